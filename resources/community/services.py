"""Writes of communities of practice: membership and the discussion board.

One transaction each, with its audit event inside. Problems a person can fix raise
ValidationError in plain words; the caller has already checked that the actor may
see the community (selectors.community_or_404) and, for staff actions, that they run
the program (CommunityAccess.can_moderate).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from accounts.models import ProgramMembership, ProgramRole, User
from collaboratives.models import Collaborative, CollaborativeStatus
from core import clock
from core.audit import audit_record
from core.emails import absolute_url, email_enqueue
from core.notification_kinds import ACCOUNT
from teams.models import CoachAssignment, TeamMembership, TeamStatus
from teams.services import (
    InvitationWords,
    address_refusal,
    invitation_mark_accepted,
    invitation_open,
    invitation_send_again,
    invitation_withdraw,
    link_refusal,
    normalise_email,
)

from ..models import (
    BODY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    CommunityInvitation,
    CommunityInvitationRole,
    CommunityMember,
    MemberStatus,
    Reply,
    Thread,
    ThreadFollow,
)
from . import notices
from .selectors import CommunityAccess, community_people, follower_ids, program_staff_ids
from .text import mentioned

REASON_MAX_LENGTH = 300
MESSAGE_MAX_LENGTH = 1000


# --- membership ------------------------------------------------------------------------


def founding_member_ids(*, collaborative: Collaborative) -> set[int]:
    """Who becomes a member when the collaborative turns into a community: the active
    members of its active teams, the coaches assigned to them, and the program's staff
    (active accounts and roles only)."""
    team_people = TeamMembership.objects.filter(
        program_id=collaborative.program_id,
        team__collaborative=collaborative,
        team__status=TeamStatus.ACTIVE,
        is_active=True,
        user__is_active=True,
    ).values_list("user_id", flat=True)
    coach_ids = ProgramMembership.objects.filter(
        program_id=collaborative.program_id, role=ProgramRole.COACH, is_active=True
    ).values("user_id")
    coaches = CoachAssignment.objects.filter(
        program_id=collaborative.program_id,
        team__collaborative=collaborative,
        team__status=TeamStatus.ACTIVE,
        coach_id__in=coach_ids,
        coach__is_active=True,
    ).values_list("coach_id", flat=True)
    return set(team_people) | set(coaches) | program_staff_ids(collaborative=collaborative)


@transaction.atomic
def community_members_seed(*, collaborative: Collaborative) -> int:
    """Make the collaborative's people members of its community; returns how many were
    added. Idempotent: run again, it adds only people not there yet; someone who asked
    to join or was invited becomes a member; someone staff removed stays removed."""
    if collaborative.status != CollaborativeStatus.COMMUNITY:
        return 0
    now = clock.now()
    wanted = founding_member_ids(collaborative=collaborative)
    existing = dict(
        CommunityMember.objects.filter(collaborative=collaborative).values_list("user_id", "status")
    )
    pending = [
        uid
        for uid, status in existing.items()
        if uid in wanted and status in (MemberStatus.REQUESTED, MemberStatus.INVITED)
    ]
    CommunityMember.objects.filter(collaborative=collaborative, user_id__in=pending).update(
        status=MemberStatus.ACTIVE, joined_at=now, updated_at=now
    )
    new = sorted(wanted - set(existing))
    CommunityMember.objects.bulk_create(
        [
            CommunityMember(
                program_id=collaborative.program_id,
                collaborative=collaborative,
                user_id=uid,
                status=MemberStatus.ACTIVE,
                joined_at=now,
            )
            for uid in new
        ],
        ignore_conflicts=True,
    )
    added = len(new) + len(pending)
    if added:
        audit_record(
            actor=None,
            verb="community_member.added",
            target=collaborative,
            data={"added": added},
        )
    return added


def _program_people_ids(collaborative: Collaborative) -> set[int]:
    """Ids of people with an active role or an active team membership in the program."""
    roles = ProgramMembership.objects.filter(
        program_id=collaborative.program_id, is_active=True
    ).values_list("user_id", flat=True)
    teams = TeamMembership.objects.filter(
        program_id=collaborative.program_id, is_active=True
    ).values_list("user_id", flat=True)
    return set(roles) | set(teams)


def _clean_message(message: str) -> str:
    message = (message or "").strip()
    if len(message) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            {"message": f"A message can be at most {MESSAGE_MAX_LENGTH:,} characters."}
        )
    return message


@transaction.atomic
def membership_request(
    *, access: CommunityAccess, user: User, message: str = ""
) -> CommunityMember:
    """The viewer asks to join; program staff are told. An invited person who asks
    simply becomes a member."""
    collaborative = access.collaborative
    message = _clean_message(message)
    member = access.membership
    if access.status == MemberStatus.ACTIVE:
        raise ValidationError("You are already a member of this community.")
    if access.status == MemberStatus.REQUESTED:
        raise ValidationError("You already asked to join; program staff will decide.")
    if access.status == MemberStatus.REMOVED:
        raise ValidationError(
            "Program staff removed you from this community. Ask them if you want to come back."
        )
    if access.status == MemberStatus.INVITED:
        return invitation_answer(member=member, user=user, accept=True)
    if user.pk not in _program_people_ids(collaborative):
        raise ValidationError("Only people of the program can ask to join its communities.")
    member = CommunityMember.objects.create(
        program_id=collaborative.program_id,
        collaborative=collaborative,
        user=user,
        status=MemberStatus.REQUESTED,
        message=message,
    )
    audit_record(actor=user, verb="community_member.requested", target=member)
    notices.notify_join_request(member)
    return member


@transaction.atomic
def membership_decide(*, member: CommunityMember, actor: User, approve: bool) -> CommunityMember:
    """Staff approve or decline a request to join. A declined request is deleted (the
    audit trail keeps it), so that the person may ask again later."""
    member = (
        CommunityMember.objects.select_for_update()
        .select_related("collaborative__program", "user")
        .get(pk=member.pk)
    )
    if member.status != MemberStatus.REQUESTED:
        raise ValidationError("This person is not waiting for a decision.")
    member.decided_by = actor
    if approve:
        member.status = MemberStatus.ACTIVE
        member.joined_at = clock.now()
        member.save(update_fields=["status", "decided_by", "joined_at", "updated_at"])
        audit_record(actor=actor, verb="community_member.approved", target=member)
        notices.notify_member(member, event="approved")
        return member
    audit_record(actor=actor, verb="community_member.declined", target=member)
    member.updated_at = clock.now()
    notices.notify_member(member, event="declined")
    member.delete()
    return member


def _invite_account(
    *, collaborative: Collaborative, actor: User, person: User, message: str
) -> CommunityMember:
    """Invite someone who has an account: an in-app invitation they accept or decline.

    Anyone with an active account may be invited, in the program or not: the
    invitation is the grant (resources.access then gives an active member the
    program's library and this community's shared work, nothing else of the program).
    """
    member = (
        CommunityMember.objects.select_for_update()
        .filter(collaborative=collaborative, user=person)
        .first()
    )
    if member and member.status == MemberStatus.ACTIVE:
        raise ValidationError({"email": f"{person.display_name} is already a member."})
    if member and member.status == MemberStatus.INVITED:
        raise ValidationError({"email": f"{person.display_name} is already invited."})
    if member and member.status == MemberStatus.REQUESTED:
        return membership_decide(member=member, actor=actor, approve=True)
    if member is None:
        member = CommunityMember(
            program_id=collaborative.program_id, collaborative=collaborative, user=person
        )
    member.status = MemberStatus.INVITED
    member.invited_by = actor
    member.message = message
    member.removed_at = None
    member.save()
    audit_record(actor=actor, verb="community_member.invited", target=member)
    notices.notify_member(member, event="invited")
    return member


@transaction.atomic
def membership_invite(
    *, access: CommunityAccess, actor: User, email: str, message: str = ""
) -> CommunityMember | CommunityInvitation:
    """Staff invite anyone by e-mail address.

    An address of an active account gets the in-app invitation (a CommunityMember
    row, returned); an address with no account gets an e-mailed invitation with a
    one-time link (a CommunityInvitation, returned): the newcomer creates their
    account on the link's page, and accepting makes them a member.
    """
    collaborative = access.collaborative
    message = _clean_message(message)
    email = normalise_email(email)
    accounts = User.objects.filter(email__iexact=email)
    person = accounts.filter(is_active=True).first()
    if person is not None:
        return _invite_account(
            collaborative=collaborative, actor=actor, person=person, message=message
        )
    if accounts.exists():
        raise ValidationError({"email": f"The account of {email} is closed; it cannot be invited."})
    invitation, _token = invitation_open(
        CommunityInvitation,
        scope={"collaborative": collaborative},
        email=email,
        role=CommunityInvitationRole.MEMBER,
        invited_by=actor,
        send=_send_invitation,
        program_id=collaborative.program_id,
        message=message,
    )
    return invitation


# --- e-mailed invitations (no account yet) ---------------------------------------------

#: How a community invitation's refusals name the people involved.
COMMUNITY_WORDS = InvitationWords(
    withdrawn_by="the program's staff",
    ask="the program's staff",
    joined="sign in and the community is in your list of communities",
)


def invitation_accept_path(token: str) -> str:
    """The accept page of a community invitation's link, as a path."""
    return reverse("resources:community_invitation_accept", kwargs={"token": token})


def _send_invitation(invitation: CommunityInvitation, token: str, sender: User | None) -> None:
    """Queue the invitation's e-mail (templates/emails/community_invitation*), escaped
    in its HTML part like every template; the link's token is in it and nowhere else."""
    path = invitation_accept_path(token)
    collaborative = invitation.collaborative
    email_enqueue(
        to=invitation.email,
        template="community_invitation",
        context={
            "invitation": invitation,
            "program": invitation.program,
            "collaborative": collaborative,
            "inviter": sender.display_name if sender else invitation.program.name,
            "message": invitation.message,
            "accept_url": absolute_url(path),
            "expires_at": invitation.expires_at,
        },
        program=invitation.program,
        dedupe_key=f"community_invitation:{invitation.token_hash}",
        # Joining is an account matter: an invitation cannot be turned off.
        kind=ACCOUNT,
        notice_url=path,
    )


def _member_with_email(collaborative: Collaborative, email: str) -> CommunityMember | None:
    return (
        CommunityMember.objects.filter(
            collaborative=collaborative,
            status=MemberStatus.ACTIVE,
            user__email__iexact=email,
            user__is_active=True,
        )
        .select_related("user")
        .first()
    )


def _still_wanted(invitation: CommunityInvitation) -> None:
    collaborative = invitation.collaborative
    if collaborative.status != CollaborativeStatus.COMMUNITY:
        raise ValidationError(
            f"{collaborative.title} is no longer a community of practice. "
            "Withdraw the invitation instead.",
            code="closed",
        )
    if _member_with_email(collaborative, invitation.email) is not None:
        raise ValidationError(
            f"{invitation.email} is already a member. Withdraw the invitation instead.",
            code="already_member",
        )


@transaction.atomic
def community_invitation_resend(
    *, invitation: CommunityInvitation, sent_by: User
) -> tuple[CommunityInvitation, str]:
    """Send the invitation again with a new link and expiry; the old link stops working."""
    return invitation_send_again(
        invitation=invitation, sent_by=sent_by, check=_still_wanted, send=_send_invitation
    )


@transaction.atomic
def community_invitation_withdraw(
    *, invitation: CommunityInvitation, revoked_by: User
) -> CommunityInvitation:
    """Withdraw an open (or expired) invitation: its link stops working at once."""
    return invitation_withdraw(invitation=invitation, revoked_by=revoked_by)


def community_invitation_refusal(
    *, invitation: CommunityInvitation, user: User | None
) -> ValidationError | None:
    """Why `user` (None: an anonymous visitor) cannot accept the invitation now, or None.

    The link's own state first (used, withdrawn, expired: the team invitations'
    words), then the community (no longer one), then the address and membership.
    """
    refusal = link_refusal(invitation, words=COMMUNITY_WORDS)
    if refusal is not None:
        return refusal
    collaborative = invitation.collaborative
    if collaborative.status != CollaborativeStatus.COMMUNITY:
        return ValidationError(
            f"{collaborative.title} is no longer a community of practice, so the invitation "
            "cannot be accepted.",
            code="closed",
        )
    refusal = address_refusal(invitation, user=user)
    if refusal is not None or user is None:
        return refusal
    if CommunityMember.objects.filter(
        collaborative=collaborative, user=user, status=MemberStatus.ACTIVE
    ).exists():
        return ValidationError(
            f"You are already a member of the community of {collaborative.title}.",
            code="already_member",
        )
    return None


@transaction.atomic
def community_invitation_accept(*, invitation: CommunityInvitation, user: User) -> CommunityMember:
    """Accept the e-mailed invitation as `user` (signed in with its address, perhaps
    with the account they just created): they become an active member. A row they had
    (asked to join, invited in the app, removed) becomes that membership."""
    # Locked and re-read: a second click, or a withdrawal meanwhile, is refused with the
    # link's own words.
    invitation = (
        CommunityInvitation.objects.select_for_update(of=("self",))
        .select_related("collaborative", "program", "invited_by")
        .get(pk=invitation.pk)
    )
    refusal = community_invitation_refusal(invitation=invitation, user=user)
    if refusal is not None:
        raise refusal
    collaborative = invitation.collaborative
    member, created = CommunityMember.objects.select_for_update().get_or_create(
        collaborative=collaborative,
        user=user,
        defaults={"program_id": collaborative.program_id, "status": MemberStatus.ACTIVE},
    )
    member.status = MemberStatus.ACTIVE
    member.invited_by = invitation.invited_by
    member.message = invitation.message
    member.joined_at = clock.now()
    member.removed_at = None
    member.save()
    invitation_mark_accepted(
        invitation, user=user, data={"member": str(member.public_id), "new_row": created}
    )
    audit_record(actor=user, verb="community_member.accepted", target=member)
    return member


@transaction.atomic
def invitation_answer(*, member: CommunityMember, user: User, accept: bool) -> CommunityMember:
    """The invited person accepts (becomes a member) or turns the invitation down (the
    row is deleted; the audit trail keeps it)."""
    member = CommunityMember.objects.select_for_update().get(pk=member.pk)
    if member.user_id != user.pk or member.status != MemberStatus.INVITED:
        raise ValidationError("There is no invitation to answer.")
    if accept:
        member.status = MemberStatus.ACTIVE
        member.joined_at = clock.now()
        member.save(update_fields=["status", "joined_at", "updated_at"])
        audit_record(actor=user, verb="community_member.accepted", target=member)
        return member
    audit_record(actor=user, verb="community_member.refused", target=member)
    member.delete()
    return member


@transaction.atomic
def membership_remove(*, member: CommunityMember, actor: User) -> CommunityMember:
    """Staff remove a member (or withdraw an invitation, or set a request aside): they
    lose the board and, unless they still work in the collaborative, its shared work.
    The row stays, so that the community's next seeding does not bring them back."""
    member = CommunityMember.objects.select_for_update().get(pk=member.pk)
    if member.status == MemberStatus.REMOVED:
        raise ValidationError("This person was already removed.")
    previous = member.status
    member.status = MemberStatus.REMOVED
    member.removed_at = clock.now()
    member.decided_by = actor
    member.save(update_fields=["status", "removed_at", "decided_by", "updated_at"])
    audit_record(
        actor=actor, verb="community_member.removed", target=member, data={"was": previous}
    )
    return member


# --- the board -------------------------------------------------------------------------


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Write your message before posting it."})
    if len(body) > BODY_MAX_LENGTH:
        raise ValidationError({"body": f"A message can be at most {BODY_MAX_LENGTH:,} characters."})
    return body


def _follow(thread: Thread, user: User) -> None:
    """Follow the thread, unless the person unfollowed it before (their choice stands)."""
    ThreadFollow.objects.get_or_create(
        thread=thread, user=user, defaults={"program_id": thread.program_id}
    )


def _notify_mentions(
    *, thread: Thread, body: str, author: User, key, reply: Reply | None = None
) -> set[int]:
    """Notify the community's people `body` mentions (never the author); their ids."""
    people = [
        person
        for person in mentioned(body, people=community_people(collaborative=thread.collaborative))
        if person.pk != author.pk
    ]
    notices.notify_mention(
        thread=thread, body=body, author=author, key=key, people=people, reply=reply
    )
    return {person.pk for person in people}


def _require_writable(access: CommunityAccess) -> None:
    if not access.is_member:
        raise ValidationError("Only members of the community write on its board.")


@transaction.atomic
def thread_create(*, access: CommunityAccess, actor: User, title: str, body: str) -> Thread:
    """Start a discussion; its author follows it, and the people it mentions are told."""
    _require_writable(access)
    title = " ".join((title or "").split())
    errors = {}
    if not title:
        errors["title"] = "Give the discussion a title."
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = f"A title can be at most {TITLE_MAX_LENGTH} characters."
    try:
        body = _clean_body(body)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    collaborative = access.collaborative
    thread = Thread.objects.create(
        program_id=collaborative.program_id,
        collaborative=collaborative,
        author=actor,
        title=title,
        body=body,
        last_activity_at=clock.now(),
    )
    _follow(thread, actor)
    notified = _notify_mentions(thread=thread, body=body, author=actor, key=thread.public_id)
    audit_record(
        actor=actor,
        verb="community_thread.created",
        target=thread,
        data={"mentioned": len(notified)},
    )
    return thread


@transaction.atomic
def reply_create(*, access: CommunityAccess, thread: Thread, actor: User, body: str) -> Reply:
    """Reply in a discussion: the replier follows it, the people mentioned are told, and
    so are the other followers who may still read the board (once each)."""
    _require_writable(access)
    thread = (
        Thread.objects.select_for_update()
        .select_related("collaborative__program")
        .get(pk=thread.pk)
    )
    if thread.is_hidden:
        raise ValidationError("A moderator removed this discussion; it takes no replies.")
    if thread.is_locked:
        raise ValidationError("This discussion is locked: it takes no more replies.")
    body = _clean_body(body)
    reply = Reply.objects.create(
        program_id=thread.program_id,
        collaborative_id=thread.collaborative_id,
        thread=thread,
        author=actor,
        body=body,
    )
    thread.last_activity_at = reply.created_at
    thread.save(update_fields=["last_activity_at"])
    _follow(thread, actor)
    told = _notify_mentions(
        thread=thread, body=body, author=actor, key=reply.public_id, reply=reply
    )
    readers = {person.pk: person for person in community_people(collaborative=thread.collaborative)}
    followers = [
        readers[uid]
        for uid in sorted(follower_ids(thread=thread) - told - {actor.pk})
        if uid in readers
    ]
    notices.notify_reply(reply, people=followers)
    audit_record(
        actor=actor,
        verb="community_reply.created",
        target=reply,
        data={"thread": str(thread.public_id), "followers": len(followers), "mentioned": len(told)},
    )
    return reply


@transaction.atomic
def follow_set(*, thread: Thread, user: User, following: bool) -> bool:
    """Follow or stop following a thread; returns the new state."""
    ThreadFollow.objects.update_or_create(
        thread=thread,
        user=user,
        defaults={"is_following": following},
        create_defaults={"program_id": thread.program_id, "is_following": following},
    )
    return following


def _clean_reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": "Say why you hide it; the author may ask."})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": f"A reason can be at most {REASON_MAX_LENGTH} characters."}
        )
    return reason


@transaction.atomic
def thread_lock(*, thread: Thread, actor: User, locked: bool) -> Thread:
    """Lock (no more replies) or unlock a discussion."""
    thread.locked_at = clock.now() if locked else None
    thread.locked_by = actor if locked else None
    thread.save(update_fields=["locked_at", "locked_by"])
    verb = "community_thread.locked" if locked else "community_thread.unlocked"
    audit_record(actor=actor, verb=verb, target=thread)
    return thread


def _moderate(item: Thread | Reply, *, actor: User, hidden: bool, reason: str, noun: str) -> None:
    reason = _clean_reason(reason) if hidden else ""
    item.hidden_at = clock.now() if hidden else None
    item.hidden_by = actor if hidden else None
    item.hidden_reason = reason
    item.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    verb = f"community_{noun}.hidden" if hidden else f"community_{noun}.shown"
    audit_record(actor=actor, verb=verb, target=item, data={"reason": reason})


@transaction.atomic
def thread_hide(*, thread: Thread, actor: User, hidden: bool, reason: str = "") -> Thread:
    """Hide a discussion (others see "removed by a moderator"; it takes no replies), or
    show it again. Hiding needs a reason, kept for the record."""
    _moderate(thread, actor=actor, hidden=hidden, reason=reason, noun="thread")
    return thread


@transaction.atomic
def reply_hide(*, reply: Reply, actor: User, hidden: bool, reason: str = "") -> Reply:
    """Hide a reply (others see "removed by a moderator") or show it again."""
    _moderate(reply, actor=actor, hidden=hidden, reason=reason, noun="reply")
    return reply
