"""Who may see a program's shared work: its library, the shared ramps and storyboards.

One rule for every part of resources, so that the library, the heat map, the
storyboards and the community agree on who is "in" a collaborative.
"""

from accounts.models import User
from collaboratives.models import Collaborative, CollaborativeStatus
from collaboratives.selectors import collaboratives_visible_to
from teams.selectors.roles import programs_visible_to

from .models import CommunityMember, MemberStatus


def program_ids_of(*, user: User) -> set[int]:
    """The programs whose program-wide resources the user sees: every program they have
    a role or a team in, and the programs of the communities of practice they belong
    to (someone who left their team when the collaborative closed keeps the library)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    programs = set(programs_visible_to(user=user).values_list("pk", flat=True))
    communities = community_collaborative_ids(user=user)
    if communities:
        programs |= set(
            Collaborative.objects.filter(pk__in=communities).values_list("program_id", flat=True)
        )
    return programs


def community_collaborative_ids(*, user: User) -> set[int]:
    """Collaboratives in their community-of-practice phase where the user is an active
    community member (whether or not they are still on one of its teams)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    return set(
        CommunityMember.objects.filter(
            user=user,
            status=MemberStatus.ACTIVE,
            collaborative__status=CollaborativeStatus.COMMUNITY,
        ).values_list("collaborative_id", flat=True)
    )


def shared_work_collaborative_ids(*, user: User) -> set[int]:
    """Collaboratives whose resources, shared ramps and storyboards the user sees: the
    ones they work in (staff and coaches of the program, members of its teams), and
    the communities of practice they are an active member of: a nurse who left her
    team when the collaborative closed keeps its library while she is in the community."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    working = set(collaboratives_visible_to(user=user).values_list("pk", flat=True))
    return working | community_collaborative_ids(user=user)
