"""Who may see a program's shared work: its library, the shared ramps and storyboards.

One rule for every part of resources, so that the library, the heat map, the
storyboards and the community agree on who is "in" a collaborative.
"""

from django.db.models import Q

from accounts.models import User
from accounts.selectors import program_role_map
from collaboratives.models import Collaborative, CollaborativeStatus
from collaboratives.selectors import collaboratives_visible_to
from teams.models import TeamMembership
from teams.selectors.roles import programs_visible_to

from .models import CommunityMember, MemberStatus, Visibility


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
    return set(_community_memberships(user=user).values_list("collaborative_id", flat=True))


def shared_work_collaborative_ids(*, user: User) -> set[int]:
    """Collaboratives whose resources, shared ramps and storyboards the user sees: the
    ones they work in (staff and coaches of the program, members of its teams), and
    the communities of practice they are an active member of: a nurse who left her
    team when the collaborative closed keeps its library while she is in the community."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    working = set(collaboratives_visible_to(user=user).values_list("pk", flat=True))
    return working | community_collaborative_ids(user=user)


def _community_memberships(*, user: User):
    """The unevaluated query behind `community_collaborative_ids`."""
    return CommunityMember.objects.filter(
        user=user,
        status=MemberStatus.ACTIVE,
        collaborative__status=CollaborativeStatus.COMMUNITY,
    )


def resources_seen_condition(*, user: User) -> Q | None:
    """The library's rule (`program_ids_of`, `shared_work_collaborative_ids`, as
    resources.selectors.library applies them) as one condition on Resource whose parts
    are subqueries, so that a page that only asks "which of these few resources may
    this person open?" runs one query instead of first reading every program and
    collaborative of theirs (the measure pages' resources panel). None: nothing (an
    anonymous or deactivated person). The roles come from the user's cached role map."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    community = _community_memberships(user=user).values("collaborative_id")
    in_programs = (
        Q(program_id__in=set(program_role_map(user=user)))
        | Q(
            program_id__in=TeamMembership.objects.filter(user=user, is_active=True).values(
                "program_id"
            )
        )
        | Q(program_id__in=Collaborative.objects.filter(pk__in=community).values("program_id"))
    )
    in_collaboratives = Q(
        collaborative_id__in=collaboratives_visible_to(user=user).values("pk")
    ) | Q(collaborative_id__in=community)
    return (
        Q(visibility__in=[Visibility.PROGRAM, Visibility.PUBLIC]) & in_programs
        | Q(visibility=Visibility.COLLABORATIVE) & in_collaboratives
    ) & Q(retired_at__isnull=True)
