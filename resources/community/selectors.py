"""Reads of communities of practice, always scoped to the viewer.

Who sees what:
- a community (its page, where one asks to join) exists for the people of its program
  (a role or a team there) and for anyone with a membership row that is not "removed";
  everyone else gets a 404, exactly as for a collaborative that does not exist;
- its board, members list and shared ramps are for its active members and the
  program's staff (who run it); everyone else, again, gets a 404;
- managing members, hiding and locking are for program staff (403 for members).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from accounts.models import STAFF_ROLES, ProgramMembership, User
from accounts.selectors import is_program_staff
from collaboratives.models import Collaborative, CollaborativeStatus
from teams.selectors import invitation_state, programs_visible_to, token_hash

from ..models import (
    CommunityInvitation,
    CommunityMember,
    MemberStatus,
    Reply,
    Thread,
    ThreadFollow,
)

#: Threads per page of a community's board.
THREADS_PER_PAGE = 20
#: Replies per page of a thread: on its page, in its replies endpoint and in the first
#: page the thread-detail API embeds (one number, so a page of the API is a page of the
#: thread).
REPLIES_PER_PAGE = 50


@dataclass(frozen=True)
class CommunityAccess:
    """A viewer's place in one community: their membership row (if any) and whether
    they run the program."""

    collaborative: Collaborative
    membership: CommunityMember | None
    is_staff: bool

    @property
    def status(self) -> str:
        return self.membership.status if self.membership else ""

    @property
    def is_member(self) -> bool:
        """Reads the board and the shared work, writes on the board."""
        return self.is_staff or self.status == MemberStatus.ACTIVE

    @property
    def can_moderate(self) -> bool:
        """Manages members, hides and locks."""
        return self.is_staff


def _communities() -> QuerySet[Collaborative]:
    return Collaborative.objects.filter(status=CollaborativeStatus.COMMUNITY).select_related(
        "program"
    )


def communities_visible_to(*, user: User) -> QuerySet[Collaborative]:
    """Communities of practice the user may see: those of the programs they work in (a
    role or an active team there), and those they hold a (not removed) membership row in.

    Not `resources.access.program_ids_of`: that also counts the programs of the
    communities someone belongs to (for the program's library), and a person invited
    into one community from outside the program must not find its other communities.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Collaborative.objects.none()
    own = CommunityMember.objects.filter(user=user).exclude(status=MemberStatus.REMOVED)
    working = programs_visible_to(user=user).values("pk")
    return _communities().filter(
        Q(program_id__in=working) | Q(pk__in=own.values("collaborative_id"))
    )


def community_or_404(*, user: User, community_id) -> CommunityAccess:
    """The community named in a URL and the viewer's place in it; Http404 when the
    viewer may not know it exists."""
    try:
        collaborative = communities_visible_to(user=user).get(public_id=community_id)
    except (Collaborative.DoesNotExist, ValidationError, ValueError):
        raise Http404("No such community.") from None
    membership = CommunityMember.objects.filter(collaborative=collaborative, user=user).first()
    return CommunityAccess(
        collaborative=collaborative,
        membership=membership,
        is_staff=is_program_staff(user=user, program=collaborative.program),
    )


def community_member_or_404(*, user: User, community_id) -> CommunityAccess:
    """`community_or_404` for the pages only members read (the board, the members, the
    shared work): a non-member gets the same 404 as for an unknown community."""
    access = community_or_404(user=user, community_id=community_id)
    if not access.is_member:
        raise Http404("No such community.")
    return access


def program_staff_ids(*, collaborative: Collaborative) -> set[int]:
    """Ids of the program's staff and admins (active roles and accounts): they run every
    community of the program."""
    return set(
        ProgramMembership.objects.filter(
            program_id=collaborative.program_id,
            role__in=STAFF_ROLES,
            is_active=True,
            user__is_active=True,
        ).values_list("user_id", flat=True)
    )


def community_people_ids(*, collaborative: Collaborative) -> set[int]:
    """Ids of everyone who may read the community's board now: its active members and
    the program's staff (active accounts only). Whom notices may go to."""
    members = CommunityMember.objects.filter(
        collaborative=collaborative, status=MemberStatus.ACTIVE, user__is_active=True
    ).values_list("user_id", flat=True)
    return set(members) | program_staff_ids(collaborative=collaborative)


def community_people(*, collaborative: Collaborative) -> QuerySet[User]:
    """The people of `community_people_ids`, by name: whom a message may mention."""
    return User.objects.filter(pk__in=community_people_ids(collaborative=collaborative)).order_by(
        "full_name", "email"
    )


def members_of(*, collaborative: Collaborative, statuses: tuple[str, ...]) -> QuerySet:
    """Membership rows of the community in these statuses, by name."""
    return (
        CommunityMember.objects.filter(
            program_id=collaborative.program_id, collaborative=collaborative, status__in=statuses
        )
        .select_related("user", "invited_by", "decided_by")
        .order_by("user__full_name", "user__email")
    )


def member_or_404(*, access: CommunityAccess, member_id) -> CommunityMember:
    """One membership row of this community (for staff actions); Http404 otherwise."""
    try:
        return members_of(collaborative=access.collaborative, statuses=tuple(MemberStatus)).get(
            public_id=member_id
        )
    except (CommunityMember.DoesNotExist, ValidationError, ValueError):
        raise Http404("No such member.") from None


def community_invitation_by_secret_token(*, token: str) -> CommunityInvitation | None:
    """The e-mailed community invitation a link points to, or None.

    Deliberately not scoped by user, like the team invitations' lookup: the invitee
    may have no account yet, and the random token (only its hash is stored) is what
    authorises reading it. The page shows only the community, its program and who
    invited.
    """
    if not token or len(token) > 200:
        return None
    return (
        CommunityInvitation.objects.filter(token_hash=token_hash(token))
        .select_related("collaborative", "program", "invited_by")
        .first()
    )


def community_open_invitations(*, access: CommunityAccess) -> list[CommunityInvitation]:
    """The community's e-mailed invitations not yet accepted or withdrawn (expired ones
    included, to resend), each with its `state`, by address."""
    collaborative = access.collaborative
    invitations = list(
        CommunityInvitation.objects.filter(
            program_id=collaborative.program_id,
            collaborative=collaborative,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
        )
        .select_related("invited_by", "collaborative", "program")
        .order_by("email")
    )
    for invitation in invitations:
        invitation.state = invitation_state(invitation)
    return invitations


def community_invitation_or_404(*, access: CommunityAccess, invitation_id) -> CommunityInvitation:
    """One e-mailed invitation of this community (for staff actions); Http404 otherwise."""
    collaborative = access.collaborative
    try:
        return CommunityInvitation.objects.select_related("collaborative", "program").get(
            program_id=collaborative.program_id,
            collaborative=collaborative,
            public_id=invitation_id,
        )
    except (CommunityInvitation.DoesNotExist, ValidationError, ValueError):
        raise Http404("No such invitation.") from None


def threads_of(*, access: CommunityAccess) -> QuerySet[Thread]:
    """The community's threads, most recent activity first, with their visible reply
    counts (a hidden reply is not counted for people who cannot see it)."""
    collaborative = access.collaborative
    counted = Q() if access.can_moderate else Q(replies__hidden_at__isnull=True)
    return (
        Thread.objects.filter(program_id=collaborative.program_id, collaborative=collaborative)
        .select_related("author")
        .annotate(n_replies=Count("replies", filter=counted))
        .order_by("-last_activity_at", "-pk")
    )


def thread_or_404(*, access: CommunityAccess, thread_id) -> Thread:
    try:
        return threads_of(access=access).get(public_id=thread_id)
    except (Thread.DoesNotExist, ValidationError, ValueError):
        raise Http404("No such discussion.") from None


def replies_of(*, thread: Thread) -> QuerySet[Reply]:
    """The thread's replies, oldest first (hidden ones included: pages show them as
    removed, with the text only for moderators)."""
    return (
        Reply.objects.filter(program_id=thread.program_id, thread=thread)
        .select_related("author", "hidden_by")
        .order_by("created_at", "pk")
    )


def reply_page_number(*, thread: Thread, reply_id, size: int = REPLIES_PER_PAGE) -> int | None:
    """The page of the thread (oldest first, `size` a page) that holds the reply with
    this public id, or None when it is not one of the thread's replies. Counted, not
    stored: a link from a notice lands on the right page however many replies came
    after it. Two queries."""
    try:
        reply = (
            replies_of(thread=thread).filter(public_id=reply_id).values("pk", "created_at").first()
        )
    except (ValidationError, ValueError):
        return None
    if reply is None:
        return None
    before = (
        replies_of(thread=thread)
        .filter(
            Q(created_at__lt=reply["created_at"])
            | Q(created_at=reply["created_at"], pk__lt=reply["pk"])
        )
        .count()
    )
    return before // size + 1


def reply_or_404(*, access: CommunityAccess, reply_id) -> Reply:
    collaborative = access.collaborative
    try:
        return Reply.objects.select_related("thread").get(
            program_id=collaborative.program_id, collaborative=collaborative, public_id=reply_id
        )
    except (Reply.DoesNotExist, ValidationError, ValueError):
        raise Http404("No such reply.") from None


def is_following(*, thread: Thread, user: User) -> bool:
    return ThreadFollow.objects.filter(thread=thread, user=user, is_following=True).exists()


def follower_ids(*, thread: Thread) -> set[int]:
    return set(
        ThreadFollow.objects.filter(thread=thread, is_following=True).values_list(
            "user_id", flat=True
        )
    )
