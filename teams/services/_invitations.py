"""What every invitation shares, to a team or to a program's staff.

The token and its link, the address it is for, one open invitation per person,
resending with a new link, withdrawing, and the reasons a link cannot be used.
The kinds differ only in what they check before sending and what accepting
grants: members.py (teams) and people.py (program staff and coaches) supply that.
Every write is audited with the same verbs for both kinds; the audit row's target
type tells them apart.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

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
from core.notification_kinds import ACCOUNT

from ..models import OPEN_INVITATION, Invitation, InvitationBase
from ..selectors import InvitationState, invitation_state, token_hash

#: How long an invitation link works. Resending starts the period again.
INVITATION_VALID_FOR = timedelta(days=14)

AnyInvitation = TypeVar("AnyInvitation", bound=InvitationBase)

#: Sends the e-mail of an invitation with its raw token, signed by the sender.
Sender = Callable[[AnyInvitation, str, User | None], None]


@dataclass(frozen=True)
class InvitationWords:
    """How the refusals of one kind of invitation name the people involved."""

    #: Who withdraws invitations: "the team".
    withdrawn_by: str
    #: Whom the invitee asks for a new one: "your team lead".
    ask: str
    #: Where someone who accepted finds what they joined: "the team is on your home page".
    joined: str


def normalise_email(email: str) -> str:
    """The address as invitations store it (trimmed, lower case), or a ValidationError."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError(
            {"email": ValidationError("Enter a valid e-mail address.", code="invalid")}
        ) from exc
    if len(email) > InvitationBase._meta.get_field("email").max_length:
        raise ValidationError(
            {"email": ValidationError("This e-mail address is too long.", code="too_long")}
        )
    return email


def _new_token() -> tuple[str, str]:
    """A fresh secret for the link, and the hash that is all the database keeps."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def invitation_path(token: str) -> str:
    """The accept page of `token` (the same page for every kind), as a path."""
    return reverse("teams:invitation_accept", kwargs={"token": token})


def invitation_link(token: str) -> str:
    """The absolute accept link the e-mail carries."""
    return absolute_url(invitation_path(token))


def invitation_email(
    invitation: InvitationBase, token: str, sender: User | None, *, template: str, **context
) -> None:
    """Queue the invitation's e-mail (templates/emails/<template>*) with the link.

    Every kind's template gets the invitation, its program, the role's name, who
    invites and until when the link works; `context` adds the kind's own.

    Someone who already has an account also finds the invitation in their in-app
    inbox, opening the same accept page. That notice holds the link's token like the
    outbox row holds it in the e-mail's text (the invitation itself keeps only its
    hash), and only its recipient ever reads it; resending makes a new notice whose
    link replaces the old one's.
    """
    email_enqueue(
        to=invitation.email,
        template=template,
        context={
            "invitation": invitation,
            "program": invitation.program,
            "role": invitation.get_role_display(),
            "inviter": sender.display_name if sender else invitation.program.name,
            "accept_url": invitation_link(token),
            "expires_at": invitation.expires_at,
            **context,
        },
        program=invitation.program,
        dedupe_key=f"{template}:{invitation.token_hash}",
        # Joining is an account matter: an invitation cannot be turned off.
        kind=ACCOUNT,
        notice_url=invitation_path(token),
    )


def _duplicate_message(existing: InvitationBase) -> ValidationError:
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


def invitation_open(
    model: type[AnyInvitation],
    *,
    scope: dict,
    email: str,
    role: str,
    invited_by: User | None,
    send: Sender,
    **fields,
) -> tuple[AnyInvitation, str]:
    """Create and send an invitation of `model` to `email` (already normalised) with
    `role`; returns (invitation, raw token). Call inside the caller's transaction,
    after its own checks.

    `scope` names where one open invitation per address is allowed (a team, a
    program); a second one is refused, pointing at the first (resend it instead).
    """
    existing = model.objects.filter(OPEN_INVITATION, email__iexact=email, **scope).first()
    if existing is not None:
        raise ValidationError({"email": _duplicate_message(existing)})
    token, hashed = _new_token()
    now = clock.now()
    try:
        with transaction.atomic():
            invitation = model.objects.create(
                email=email,
                role=role,
                token_hash=hashed,
                invited_by=invited_by,
                expires_at=now + INVITATION_VALID_FOR,
                last_sent_at=now,
                send_count=1,
                **scope,
                **fields,
            )
    except IntegrityError as exc:
        # Someone invited the same address a moment ago.
        existing = model.objects.filter(OPEN_INVITATION, email__iexact=email, **scope).first()
        if existing is None:
            raise
        raise ValidationError({"email": _duplicate_message(existing)}) from exc
    audit_record(
        actor=invited_by,
        verb="invitation.created",
        target=invitation,
        data={"email": email, "role": role},
    )
    send(invitation, token, invited_by)
    return invitation, token


def lock_open_invitation(invitation: AnyInvitation) -> AnyInvitation:
    """The invitation re-read and locked; refused if it was accepted or withdrawn."""
    related = [
        "program",
        *(["team", "team__collaborative"] if isinstance(invitation, Invitation) else []),
    ]
    invitation = (
        type(invitation)
        .objects.select_for_update(of=("self",))
        .select_related(*related)
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


def invitation_withdraw(*, invitation: AnyInvitation, revoked_by: User | None) -> AnyInvitation:
    """Withdraw an open (or expired) invitation: its link stops working at once."""
    invitation = lock_open_invitation(invitation)
    invitation.revoked_at = clock.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        actor=revoked_by,
        verb="invitation.revoked",
        target=invitation,
        data={"email": invitation.email, "role": invitation.role},
    )
    return invitation


def invitation_send_again(
    *,
    invitation: AnyInvitation,
    sent_by: User | None,
    check: Callable[[AnyInvitation], None],
    send: Sender,
) -> tuple[AnyInvitation, str]:
    """Send an open or expired invitation again, with a new link and a new expiry.

    `check` refuses (ValidationError) an invitation that is no longer wanted, e.g.
    the person joined meanwhile. The new token replaces the old one, so a forwarded
    or leaked older e-mail stops working; returns (invitation, new raw token).
    """
    invitation = lock_open_invitation(invitation)
    check(invitation)
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
    send(invitation, token, sent_by)
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


def link_refusal(invitation: InvitationBase, *, words: InvitationWords) -> ValidationError | None:
    """Why the link cannot be used by anyone now: used, withdrawn or expired; else None."""
    state = invitation_state(invitation)
    if state == InvitationState.ACCEPTED:
        return ValidationError(
            f"This invitation has already been used. If you accepted it, {words.joined}; "
            f"otherwise ask {words.ask} for a new invitation.",
            code="used",
        )
    if state == InvitationState.REVOKED:
        return ValidationError(
            f"This invitation was withdrawn by {words.withdrawn_by}. Ask {words.ask} if you "
            "think you should still join.",
            code="revoked",
        )
    if state == InvitationState.EXPIRED:
        return ValidationError(
            f"This invitation expired on "
            f"{dateformat.format(timezone.localtime(invitation.expires_at), 'j F Y')}. "
            f"Ask {words.ask} to send it again.",
            code="expired",
        )
    return None


def address_refusal(invitation: InvitationBase, *, user: User | None) -> ValidationError | None:
    """Why a signed-in `user` cannot accept: the invitation was sent to another address.

    None for an anonymous visitor (they are asked to sign in with that address).
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if not _email_belongs_to(user, invitation.email):
        return ValidationError(
            f"This invitation was sent to {_mask_email(invitation.email)}, but you are signed "
            f"in as {user.email}. Sign out, then sign in or create an account with the "
            "address the invitation was sent to.",
            code="wrong_email",
        )
    return None


def invitation_mark_accepted(invitation: AnyInvitation, *, user: User, data: dict) -> AnyInvitation:
    """Record that `user` accepted the (locked, checked) invitation, with an audit row."""
    invitation.accepted_at = clock.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        actor=user,
        verb="invitation.accepted",
        target=invitation,
        data={"email": invitation.email, "role": invitation.role, **data},
    )
    return invitation
