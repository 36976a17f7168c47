"""Panels certificates add to other apps' pages.

- The team home's "Credit ready to claim": the viewer's own credit in the team's
  collaborative that they earned and have not claimed yet (nothing shows when there is
  none). It reads the viewer's standing only, never anyone else's.
- The collaborative page's credit panel: staff's link to its credit, and, for a
  participant, the link to their MOC Part 4 attestation and its state.
"""

from accounts.selectors import is_program_staff
from core.panels import COLLABORATIVE_PAGE, TEAM_HOME, register_panel

from .access import participant_team
from .eligibility import offers_for, standings_for
from .models import AttestationStatus, CreditOffer, MocAttestation


def _context(*, team, user) -> dict | None:
    # Most collaboratives publish no credit: one plain query says so, before the
    # viewer's offers (their visibility, teams and attendance) are worked out.
    if not CreditOffer.objects.filter(
        program_id=team.program_id, collaborative_id=team.collaborative_id, is_published=True
    ).exists():
        return None
    offers = list(offers_for(user=user).filter(collaborative_id=team.collaborative_id))
    if not offers:
        return None
    ready = [s for s in standings_for(user=user, offers=offers) if s.can_claim]
    return {"credit_ready": ready} if ready else None


register_panel(
    TEAM_HOME, name="credit", template="certificates/_credit_ready.html", context=_context, order=15
)


def _credit_panel(*, collaborative, user) -> dict | None:
    """Staff: counts and the link to the credit page (which lists participants' claims
    and attestations, so nobody else gets it). A team member of the collaborative: the
    published offers that ask for an attestation, with theirs. Others: nothing."""
    if is_program_staff(user=user, program=collaborative.program):
        return {
            "is_staff": True,
            "n_offers": CreditOffer.objects.filter(collaborative=collaborative).count(),
            "n_waiting": MocAttestation.objects.filter(
                offer__collaborative=collaborative,
                status__in=[AttestationStatus.ATTESTED, AttestationStatus.COSIGNED],
            ).count(),
        }
    if participant_team(user=user, collaborative_id=collaborative.pk) is None:
        return None
    offers = list(
        CreditOffer.objects.filter(
            collaborative=collaborative, is_published=True, requires_attestation=True
        ).order_by("credit_type")
    )
    if not offers:
        return None
    mine = {a.offer_id: a for a in MocAttestation.objects.filter(offer__in=offers, user=user)}
    return {"is_staff": False, "attestable": [(offer, mine.get(offer.pk)) for offer in offers]}


register_panel(
    COLLABORATIVE_PAGE,
    name="credit",
    template="certificates/_collaborative_credit_panel.html",
    context=_credit_panel,
    order=40,
)
