"""Invitations and memberships: invite, resend, revoke, accept, change roles, remove.

A team always keeps a lead; a closed team takes nobody new."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from core.audit import audit_record

from ..models import (
    Invitation,
    ProgramInvitation,
    Team,
    TeamMembership,
    TeamRole,
)
from ..selectors import invitation_by_secret_token
from ._common import CLOSED_TEAM_STATUSES, lock_team
from ._invitations import (
    InvitationWords,
    address_refusal,
    invitation_email,
    invitation_mark_accepted,
    invitation_open,
    invitation_send_again,
    invitation_withdraw,
    link_refusal,
    normalise_email,
)
from .people import program_invitation_accept, program_invitation_refusal

#: How a team invitation's refusals name the people involved.
TEAM_WORDS = InvitationWords(
    withdrawn_by="the team",
    ask="your team lead",
    joined="the team is on your home page",
)


def _check_role(role: str) -> None:
    if role not in TeamRole.values:
        raise ValidationError({"role": ValidationError("Choose a team role.", code="invalid")})


def _send_invitation(invitation: Invitation, token: str, sender: User | None) -> None:
    invitation_email(
        invitation,
        token,
        sender,
        template="team_invitation",
        team=invitation.team,
        collaborative=invitation.team.collaborative,
    )


def _active_member_with_email(team: Team, email: str) -> bool:
    return TeamMembership.objects.filter(
        team=team, is_active=True, user__email__iexact=email
    ).exists()


def _refuse_closed_team(team: Team) -> None:
    if team.status in CLOSED_TEAM_STATUSES:
        raise ValidationError(
            f"{team.name} is no longer taking part in {team.collaborative.title} "
            f"({team.get_status_display().lower()}), so nobody new can join it.",
            code="team_closed",
        )


# --- invitations -----------------------------------------------------------------------


@transaction.atomic
def invitation_create(
    *, team: Team, email: str, role: str, invited_by: User | None
) -> tuple[Invitation, str]:
    """Invite a person by e-mail to join `team` with `role`; returns (invitation, raw token).

    The raw token exists only in the e-mail (and the return value, for callers that
    show it once); the database keeps its SHA-256 hash. Refused, with nothing
    changed, for someone who is already an active member and for a second open
    invitation to the same address (resend that one instead).
    """
    email = normalise_email(email)
    _check_role(role)
    team = lock_team(team)
    _refuse_closed_team(team)
    if _active_member_with_email(team, email):
        raise ValidationError(
            {
                "email": ValidationError(
                    f"{email} is already a member of this team.", code="already_member"
                )
            }
        )
    return invitation_open(
        Invitation,
        scope={"team": team},
        program=team.program,
        email=email,
        role=role,
        invited_by=invited_by,
        send=_send_invitation,
    )


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, revoked_by: User | None) -> Invitation:
    """Withdraw an open (or expired) invitation: its link stops working at once."""
    return invitation_withdraw(invitation=invitation, revoked_by=revoked_by)


def _still_wanted(invitation: Invitation) -> None:
    _refuse_closed_team(invitation.team)
    if _active_member_with_email(invitation.team, invitation.email):
        raise ValidationError(
            f"{invitation.email} is already a member of this team. "
            "Withdraw the invitation instead.",
            code="already_member",
        )


@transaction.atomic
def invitation_resend(*, invitation: Invitation, sent_by: User | None) -> tuple[Invitation, str]:
    """Send an open or expired invitation again, with a new link and a new expiry; the
    old link stops working. Returns (invitation, new raw token)."""
    return invitation_send_again(
        invitation=invitation, sent_by=sent_by, check=_still_wanted, send=_send_invitation
    )


UNKNOWN_INVITATION_MESSAGE = (
    "This invitation link is not valid. It may be incomplete, or it was replaced by a "
    "newer invitation: use the link in the most recent e-mail, or ask the person who "
    "invited you to send it again."
)


def invitation_refusal(
    *, invitation: Invitation | ProgramInvitation, user: User | None
) -> ValidationError | None:
    """Why `user` cannot accept `invitation` now, or None if they can.

    Also used by the invitation page to explain the problem before anyone clicks;
    for an anonymous visitor only the invitation's own state is checked.
    """
    if isinstance(invitation, ProgramInvitation):
        return program_invitation_refusal(invitation=invitation, user=user)
    refusal = link_refusal(invitation, words=TEAM_WORDS)
    if refusal is not None:
        return refusal
    team = invitation.team
    if team.status in CLOSED_TEAM_STATUSES:
        return ValidationError(
            f"{team.name} is no longer taking part in {team.collaborative.title}, so the "
            "invitation cannot be accepted.",
            code="team_closed",
        )
    refusal = address_refusal(invitation, user=user)
    if refusal is not None or user is None:
        return refusal
    if TeamMembership.objects.filter(team=team, user=user, is_active=True).exists():
        return ValidationError(f"You are already a member of {team.name}.", code="already_member")
    return None


@transaction.atomic
def invitation_accept(*, token: str, user: User):
    """Accept the invitation behind `token` as `user`: they join the team with its role
    (or, for an invitation to a program's staff, take up that role: people.py).

    Only the person the invitation was sent to may accept it (their e-mail address
    must match, ignoring case). A former member is re-activated with the new role.
    Unknown, expired, withdrawn and used links are refused with nothing changed.
    Returns the TeamMembership (or accounts.ProgramMembership) granted.
    """
    found = invitation_by_secret_token(token=token)
    if found is None:
        raise ValidationError(UNKNOWN_INVITATION_MESSAGE, code="unknown")
    if isinstance(found, ProgramInvitation):
        return program_invitation_accept(invitation=found, user=user)
    team = lock_team(found.team)
    invitation = Invitation.objects.select_for_update().get(pk=found.pk)
    invitation.team = team
    refusal = invitation_refusal(invitation=invitation, user=user)
    if refusal is not None:
        raise refusal
    membership = TeamMembership.objects.filter(team=team, user=user).first()
    reactivated = membership is not None
    if membership is None:
        membership = TeamMembership.objects.create(
            program=team.program, team=team, user=user, role=invitation.role
        )
    else:
        membership.is_active = True
        membership.role = invitation.role
        membership.save(update_fields=["is_active", "role"])
    invitation_mark_accepted(
        invitation,
        user=user,
        data={"membership": str(membership.public_id), "reactivated": reactivated},
    )
    return membership


# --- memberships ---------------------------------------------------------------------


def _lock_active_membership(membership: TeamMembership) -> tuple[Team, TeamMembership]:
    team = lock_team(membership.team)
    membership = (
        TeamMembership.objects.select_for_update(of=("self",))
        .select_related("user")
        .get(pk=membership.pk, team=team)
    )
    if not membership.is_active:
        raise ValidationError(
            f"{membership.user.display_name} is no longer a member of this team.",
            code="not_member",
        )
    return team, membership


def _is_only_lead(membership: TeamMembership) -> bool:
    if membership.role != TeamRole.LEAD:
        return False
    return not (
        TeamMembership.objects.filter(
            team_id=membership.team_id, is_active=True, role=TeamRole.LEAD
        )
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def team_membership_change_role(
    *, membership: TeamMembership, role: str, changed_by: User | None
) -> TeamMembership:
    """Give a member another team role. The last lead cannot be demoted: every team
    needs someone who can invite and manage members."""
    _check_role(role)
    _team, membership = _lock_active_membership(membership)
    if membership.role == role:
        return membership
    if role != TeamRole.LEAD and _is_only_lead(membership):
        raise ValidationError(
            f"{membership.user.display_name} is the team's only lead. Make someone else "
            "lead first, then change this role.",
            code="last_lead",
        )
    old_role = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record(
        actor=changed_by,
        verb="team_membership.role_changed",
        target=membership,
        data={"member": membership.user.display_name, "old_role": old_role, "new_role": role},
    )
    return membership


@transaction.atomic
def team_membership_remove(
    *, membership: TeamMembership, removed_by: User | None
) -> TeamMembership:
    """End a membership (a person leaving, or removed by a lead or staff).

    The row is kept inactive rather than deleted, so the audit trail and the work
    the person did still point at it, and a new invitation re-activates it. The
    last lead cannot be removed and cannot leave.
    """
    _team, membership = _lock_active_membership(membership)
    leaving = removed_by is not None and removed_by.pk == membership.user_id
    if _is_only_lead(membership):
        if leaving:
            message = (
                "You are the team's only lead. Make someone else lead before you leave the team."
            )
        else:
            message = (
                f"{membership.user.display_name} is the team's only lead. Make someone "
                "else lead before removing them."
            )
        raise ValidationError(message, code="last_lead")
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    audit_record(
        actor=removed_by,
        verb="team_membership.left" if leaving else "team_membership.removed",
        target=membership,
        data={"member": membership.user.display_name, "role": membership.role},
    )
    return membership
