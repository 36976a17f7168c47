"""Scoped reads for staff's credit configuration and the MOC Part 4 attestation
workflow. What a person may not see is a 404, never a 403 with content:

- a collaborative's credit settings: program staff (or admins) of its program only;
  coaches and participants of the same program get 404 too, because the settings list
  participants' claims and attestations;
- the attestation form of an offer: an active member of a team of the offer's
  collaborative, when the offer is published and asks for an attestation;
- an attestation: its author, an active lead of its team, and program staff.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from accounts.models import User
from accounts.selectors import is_program_staff, staff_program_ids
from collaboratives.models import Collaborative
from teams.models import TeamMembership, TeamRole

from .models import (
    AttestationStatus,
    Certificate,
    CreditClaim,
    CreditOffer,
    MocAttestation,
)

#: Rows per page of the staff list of claims and certificates.
CLAIMS_PAGE_SIZE = 25


def _signed_in(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def collaborative_credit_or_404(*, user: User, collaborative_id) -> Collaborative:
    """The collaborative named in the URL if `user` is staff of its program; else 404."""
    if not _signed_in(user):
        raise Http404("No such collaborative.")
    try:
        return Collaborative.objects.select_related("program").get(
            public_id=collaborative_id, program_id__in=staff_program_ids(user=user)
        )
    except (Collaborative.DoesNotExist, ValidationError, ValueError):
        raise Http404("No such collaborative.") from None


def offers_of(*, collaborative: Collaborative) -> QuerySet[CreditOffer]:
    """The collaborative's offers with the counts staff see on the credit page."""
    return (
        CreditOffer.objects.filter(collaborative=collaborative)
        .annotate(
            n_claims=Count("claims", distinct=True),
            n_certificates=Count(
                "certificates",
                filter=Q(certificates__is_current=True, certificates__revoked_at__isnull=True),
                distinct=True,
            ),
            n_attestations=Count(
                "attestations",
                filter=~Q(attestations__status=AttestationStatus.DRAFT),
                distinct=True,
            ),
        )
        .order_by("credit_type")
    )


def offer_of_or_404(*, collaborative: Collaborative, offer_id) -> CreditOffer:
    """One offer of a collaborative already checked as the staff member's."""
    try:
        return CreditOffer.objects.get(collaborative=collaborative, public_id=offer_id)
    except (CreditOffer.DoesNotExist, ValidationError, ValueError):
        raise Http404("No such offer.") from None


def attestations_waiting(*, collaborative: Collaborative) -> QuerySet[MocAttestation]:
    """Attestations of the collaborative that wait for a lead or for staff, oldest first."""
    return (
        MocAttestation.objects.filter(
            offer__collaborative=collaborative,
            status__in=[AttestationStatus.ATTESTED, AttestationStatus.COSIGNED],
        )
        .select_related("user", "team", "offer", "cosigned_by")
        .order_by("attested_at", "id")
    )


@dataclass(frozen=True)
class ClaimRow:
    claim: CreditClaim
    certificate: Certificate | None

    @property
    def state(self) -> str:
        if self.certificate is None:
            return "Claimed, no certificate yet"
        if self.certificate.is_revoked:
            return "Certificate revoked"
        return f"Certificate {self.certificate.get_status_display().lower()}"


def claims_page(*, collaborative: Collaborative, page_number) -> tuple[Page, list[ClaimRow]]:
    """One page of the collaborative's claims with each one's current certificate."""
    claims = (
        CreditClaim.objects.filter(offer__collaborative=collaborative)
        .select_related("user", "offer")
        .order_by("user__full_name", "user__email", "offer__credit_type", "id")
    )
    page = Paginator(claims, CLAIMS_PAGE_SIZE).get_page(page_number)
    claim_ids = [claim.pk for claim in page.object_list]
    current = {
        certificate.claim_id: certificate
        for certificate in Certificate.objects.filter(claim_id__in=claim_ids, is_current=True)
    }
    return page, [ClaimRow(claim, current.get(claim.pk)) for claim in page.object_list]


# --- the participant's and the lead's side ----------------------------------------------


def participant_team(*, user: User, collaborative_id: int):
    """The team through which `user` takes part in the collaborative (their first active
    membership there, by team id), or None."""
    membership = (
        TeamMembership.objects.filter(
            user=user, is_active=True, team__collaborative_id=collaborative_id
        )
        .select_related("team")
        .order_by("team_id")
        .first()
    )
    return membership.team if membership else None


def attestable_offer_or_404(*, user: User, offer_id) -> tuple[CreditOffer, object]:
    """(offer, team) for the attestation form: a published offer that asks for an
    attestation, of a collaborative where `user` is an active team member; else 404."""
    if not _signed_in(user):
        raise Http404("No such offer.")
    try:
        offer = CreditOffer.objects.select_related("collaborative", "program").get(
            public_id=offer_id, is_published=True, requires_attestation=True
        )
    except (CreditOffer.DoesNotExist, ValidationError, ValueError):
        raise Http404("No such offer.") from None
    team = participant_team(user=user, collaborative_id=offer.collaborative_id)
    if team is None:
        raise Http404("No such offer.")
    return offer, team


def active_leads(*, team_id: int) -> QuerySet[User]:
    return User.objects.filter(
        team_memberships__team_id=team_id,
        team_memberships__role=TeamRole.LEAD,
        team_memberships__is_active=True,
        is_active=True,
    ).order_by("full_name", "email")


def is_active_lead(*, user: User, team_id: int) -> bool:
    return active_leads(team_id=team_id).filter(pk=user.pk).exists()


def other_leads(*, attestation: MocAttestation) -> QuerySet[User]:
    """The leads who may co-sign: the team's active leads other than its author."""
    return active_leads(team_id=attestation.team_id).exclude(pk=attestation.user_id)


def attestation_or_404(*, user: User, attestation_id) -> MocAttestation:
    """An attestation its author, an active lead of its team, or program staff may open;
    anyone else (another team's lead, a coach, a member of the same team) gets 404."""
    if not _signed_in(user):
        raise Http404("No such attestation.")
    try:
        attestation = MocAttestation.objects.select_related(
            "offer", "offer__collaborative", "team", "user", "program", "cosigned_by"
        ).get(public_id=attestation_id)
    except (MocAttestation.DoesNotExist, ValidationError, ValueError):
        raise Http404("No such attestation.") from None
    if attestation.user_id == user.pk:
        return attestation
    if is_program_staff(user=user, program=attestation.program):
        return attestation
    if is_active_lead(user=user, team_id=attestation.team_id):
        return attestation
    raise Http404("No such attestation.")
