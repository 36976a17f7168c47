"""Invitations, to a team or to a program's staff: their state, and the link that opens one."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.db.models import QuerySet

from accounts.models import Program
from core import clock

from ..models import (
    OPEN_INVITATION,
    Invitation,
    InvitationBase,
    ProgramInvitation,
    Team,
)


class InvitationState:
    OPEN = "open"
    EXPIRED = "expired"
    REVOKED = "revoked"
    ACCEPTED = "accepted"


def token_hash(token: str) -> str:
    """The stored form of an invitation token: only the e-mailed link holds the secret."""
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_state(invitation: InvitationBase, *, now=None) -> str:
    """Open, expired, revoked or accepted: used or revoked beats expired."""
    now = now or clock.now()
    if invitation.accepted_at is not None:
        return InvitationState.ACCEPTED
    if invitation.revoked_at is not None:
        return InvitationState.REVOKED
    if invitation.expires_at <= now:
        return InvitationState.EXPIRED
    return InvitationState.OPEN


def invitation_by_secret_token(*, token: str) -> Invitation | ProgramInvitation | None:
    """The invitation a link points to (to a team or to a program), or None.

    Deliberately not scoped by user: the invitee may have no account yet, and the
    random token (only its hash is stored) is what authorises reading it. Callers
    show the invitee only the team, collaborative or program, and the role.
    """
    if not token or len(token) > 200:
        return None
    hashed = token_hash(token)
    return (
        Invitation.objects.filter(token_hash=hashed)
        .select_related("team", "team__collaborative", "team__facility", "program", "invited_by")
        .first()
    ) or (
        ProgramInvitation.objects.filter(token_hash=hashed)
        .select_related("program", "invited_by")
        .first()
    )


def team_invitations(*, team: Team) -> QuerySet[Invitation]:
    """Every invitation of a team the caller already may see (for lookups by id)."""
    return Invitation.objects.filter(team=team, program_id=team.program_id).select_related(
        "team", "team__collaborative", "program"
    )


def _with_state(invitations) -> list:
    """Open invitations (expired ones included, to resend), each with its `state`."""
    now = clock.now()
    invitations = list(
        invitations.filter(OPEN_INVITATION).select_related("invited_by").order_by("email")
    )
    for invitation in invitations:
        invitation.state = invitation_state(invitation, now=now)
    return invitations


def team_open_invitations(*, team: Team) -> list[Invitation]:
    """Invitations not yet accepted or revoked (expired ones included, to resend)."""
    return _with_state(Invitation.objects.filter(team=team, program_id=team.program_id))


def program_invitations(*, program: Program) -> QuerySet[ProgramInvitation]:
    """Every staff invitation of a program the caller runs (for lookups by id)."""
    return ProgramInvitation.objects.filter(program=program).select_related("program")


def program_open_invitations(*, program: Program) -> list[ProgramInvitation]:
    """The program's staff and coach invitations not yet accepted or revoked."""
    return _with_state(ProgramInvitation.objects.filter(program=program))


def invitations_to_follow_up(*, team: Team, older_than: timedelta) -> list[Invitation]:
    """Open invitations sent more than `older_than` ago, or already expired."""
    now = clock.now()
    # The fields of the state and of the reminder (the team home's due list), not who
    # invited (team_open_invitations reads that for the members page).
    fields = ("email", "created_at", "expires_at", "last_sent_at", "accepted_at", "revoked_at")
    invitations = []
    for invitation in (
        Invitation.objects.filter(team=team, program_id=team.program_id)
        .filter(OPEN_INVITATION)
        .only(*fields)
        .order_by("email")
    ):
        invitation.state = invitation_state(invitation, now=now)
        if (
            invitation.state == InvitationState.EXPIRED
            or (invitation.last_sent_at or invitation.created_at) <= now - older_than
        ):
            invitations.append(invitation)
    return invitations
