"""The panel certificates add to a collaborative's page: staff's link to its credit."""

from accounts.selectors import is_program_staff
from core.panels import COLLABORATIVE_PAGE, register_panel

from .models import AttestationStatus, CreditOffer, MocAttestation


def _credit_panel(*, collaborative, user) -> dict | None:
    """Program staff only: the credit page lists participants' claims and attestations."""
    if not is_program_staff(user=user, program=collaborative.program):
        return None
    return {
        "n_offers": CreditOffer.objects.filter(collaborative=collaborative).count(),
        "n_waiting": MocAttestation.objects.filter(
            offer__collaborative=collaborative,
            status__in=[AttestationStatus.ATTESTED, AttestationStatus.COSIGNED],
        ).count(),
    }


register_panel(
    COLLABORATIVE_PAGE,
    name="credit",
    template="certificates/_collaborative_credit_panel.html",
    context=_credit_panel,
    order=40,
)
