"""Invitations and memberships: invite, resend, revoke, accept, change roles, remove.

A team always keeps a lead; a closed team takes nobody new."""

from __future__ import annotations

import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import dateformat, timezone

from accounts.models import User
from core import clock
from core.audit import audit_record
from core.emails import absolute_url, email_enqueue

from ..models import (
    Invitation,
    Team,
    TeamMembership,
    TeamRole,
)
from ..selectors import (
    InvitationState,
    invitation_by_secret_token,
    invitation_state,
    token_hash,
)

#: How long an invitation link works. Resending starts the period again.
from ._common import CLOSED_TEAM_STATUSES, lock_team

#: How long an invitation link works. Resending starts the period again.
INVITATION_VALID_FOR = timedelta(days=14)


def _normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError(
            {"email": ValidationError("Enter a valid e-mail address.", code="invalid")}
        ) from exc
    if len(email) > Invitation._meta.get_field("email").max_length:
        raise ValidationError(
            {"email": ValidationError("This e-mail address is too long.", code="too_long")}
        )
    return email


def _check_role(role: str) -> None:
    if role not in TeamRole.values:
        raise ValidationError({"role": ValidationError("Choose a team role.", code="invalid")})


def _new_token() -> tuple[str, str]:
    """A fresh secret for the link, and the hash that is all the database keeps."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def invitation_link(token: str) -> str:
    """The absolute accept link the e-mail carries."""
    return absolute_url(reverse("teams:invitation_accept", kwargs={"token": token}))


def _send_invitation(*, invitation: Invitation, token: str, sender: User | None) -> None:
    team = invitation.team
    email_enqueue(
        to=invitation.email,
        template="team_invitation",
        context={
            "invitation": invitation,
            "team": team,
            "collaborative": team.collaborative,
            "program": invitation.program,
            "role": invitation.get_role_display(),
            "inviter": sender.display_name if sender else invitation.program.name,
            "accept_url": invitation_link(token),
            "expires_at": invitation.expires_at,
        },
        program=invitation.program,
        dedupe_key=f"team-invitation:{invitation.token_hash}",
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
    email = _normalise_email(email)
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
    existing = Invitation.objects.filter(
        team=team, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).first()
    if existing is not None:
        raise ValidationError({"email": _duplicate_message(existing)})
    token, hashed = _new_token()
    now = clock.now()
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                program=team.program,
                team=team,
                email=email,
                role=role,
                token_hash=hashed,
                invited_by=invited_by,
                expires_at=now + INVITATION_VALID_FOR,
                last_sent_at=now,
                send_count=1,
            )
    except IntegrityError as exc:
        # Someone invited the same address a moment ago.
        existing = Invitation.objects.filter(
            team=team, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
        ).first()
        if existing is None:
            raise
        raise ValidationError({"email": _duplicate_message(existing)}) from exc
    audit_record(
        actor=invited_by,
        verb="invitation.created",
        target=invitation,
        data={"email": email, "role": role},
    )
    _send_invitation(invitation=invitation, token=token, sender=invited_by)
    return invitation, token


def _duplicate_message(existing: Invitation) -> ValidationError:
    if invitation_state(existing) == InvitationState.EXPIRED:
        return ValidationError(
            f"The invitation to {existing.email} has expired. Resend it to send a new link.",
            code="duplicate_expired",
        )
    return ValidationError(
        f"{existing.email} has already been invited and has not answered yet. "
        "Resend that invitation instead.",
        code="duplicate",
    )


def _lock_open_invitation(invitation: Invitation) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("team", "team__collaborative", "program")
        .get(pk=invitation.pk)
    )
    state = invitation_state(invitation)
    if state == InvitationState.ACCEPTED:
        raise ValidationError(
            f"{invitation.email} has already accepted this invitation.", code="used"
        )
    if state == InvitationState.REVOKED:
        raise ValidationError(
            f"The invitation to {invitation.email} was already withdrawn.", code="revoked"
        )
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, revoked_by: User | None) -> Invitation:
    """Withdraw an open (or expired) invitation: its link stops working at once."""
    invitation = _lock_open_invitation(invitation)
    invitation.revoked_at = clock.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        actor=revoked_by,
        verb="invitation.revoked",
        target=invitation,
        data={"email": invitation.email, "role": invitation.role},
    )
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation, sent_by: User | None) -> tuple[Invitation, str]:
    """Send an open or expired invitation again, with a new link and a new expiry.

    The new token replaces the old one, so a forwarded or leaked older e-mail stops
    working; returns (invitation, new raw token).
    """
    invitation = _lock_open_invitation(invitation)
    _refuse_closed_team(invitation.team)
    if _active_member_with_email(invitation.team, invitation.email):
        raise ValidationError(
            f"{invitation.email} is already a member of this team. "
            "Withdraw the invitation instead.",
            code="already_member",
        )
    token, hashed = _new_token()
    now = clock.now()
    invitation.token_hash = hashed
    invitation.expires_at = now + INVITATION_VALID_FOR
    invitation.last_sent_at = now
    invitation.send_count += 1
    invitation.save(update_fields=["token_hash", "expires_at", "last_sent_at", "send_count"])
    audit_record(
        actor=sent_by,
        verb="invitation.resent",
        target=invitation,
        data={"email": invitation.email, "send_count": invitation.send_count},
    )
    _send_invitation(invitation=invitation, token=token, sender=sent_by)
    return invitation, token


def _mask_email(email: str) -> str:
    """ "j***@example.org": enough for the invitee to recognise, little for anyone else."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


def _email_belongs_to(user: User, email: str) -> bool:
    """The invitation's address is the user's login or one of their verified addresses."""
    if user.email.lower() == email.lower():
        return True
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


UNKNOWN_INVITATION_MESSAGE = (
    "This invitation link is not valid. It may be incomplete, or it was replaced by a "
    "newer invitation: use the link in the most recent e-mail, or ask your team lead to "
    "send it again."
)


def invitation_refusal(*, invitation: Invitation, user: User | None) -> ValidationError | None:
    """Why `user` cannot accept `invitation` now, or None if they can.

    Also used by the invitation page to explain the problem before anyone clicks;
    for an anonymous visitor only the invitation's own state is checked.
    """
    state = invitation_state(invitation)
    if state == InvitationState.ACCEPTED:
        return ValidationError(
            "This invitation has already been used. If you accepted it, the team is on "
            "your home page; otherwise ask your team lead for a new invitation.",
            code="used",
        )
    if state == InvitationState.REVOKED:
        return ValidationError(
            "This invitation was withdrawn by the team. Ask your team lead if you think "
            "you should still join.",
            code="revoked",
        )
    if state == InvitationState.EXPIRED:
        return ValidationError(
            f"This invitation expired on "
            f"{dateformat.format(timezone.localtime(invitation.expires_at), 'j F Y')}. "
            "Ask your team lead to send it again.",
            code="expired",
        )
    team = invitation.team
    if team.status in CLOSED_TEAM_STATUSES:
        return ValidationError(
            f"{team.name} is no longer taking part in {team.collaborative.title}, so the "
            "invitation cannot be accepted.",
            code="team_closed",
        )
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if not _email_belongs_to(user, invitation.email):
        return ValidationError(
            f"This invitation was sent to {_mask_email(invitation.email)}, but you are signed "
            f"in as {user.email}. Sign out, then sign in or create an account with the "
            "address the invitation was sent to.",
            code="wrong_email",
        )
    if TeamMembership.objects.filter(team=team, user=user, is_active=True).exists():
        return ValidationError(f"You are already a member of {team.name}.", code="already_member")
    return None


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> TeamMembership:
    """Accept the invitation behind `token` as `user`: they join the team with its role.

    Only the person the invitation was sent to may accept it (their e-mail address
    must match, ignoring case). A former member is re-activated with the new role.
    Unknown, expired, withdrawn and used links are refused with nothing changed.
    """
    found = invitation_by_secret_token(token=token)
    if found is None:
        raise ValidationError(UNKNOWN_INVITATION_MESSAGE, code="unknown")
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
    invitation.accepted_at = clock.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        actor=user,
        verb="invitation.accepted",
        target=invitation,
        data={
            "email": invitation.email,
            "role": invitation.role,
            "membership": str(membership.public_id),
            "reactivated": reactivated,
        },
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
