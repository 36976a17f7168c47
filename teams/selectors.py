"""Scoped reads of facilities, teams and memberships.

Who sees a team's records (PRODUCT.md, privacy model): its members, its
assigned coaches, and the program's staff. Everyone else gets nothing, and
views turn "nothing" into a 404.
"""

from django.db.models import Q, QuerySet

from accounts.models import User
from accounts.selectors import coach_program_ids, staff_program_ids

from .models import CoachAssignment, Facility, Team, TeamMembership, TeamRole


def teams_visible_to(*, user: User) -> QuerySet[Team]:
    """Teams whose records `user` may read."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Team.objects.none()
    condition = Q(memberships__user=user, memberships__is_active=True)
    staff_ids = staff_program_ids(user=user)
    if staff_ids:
        condition |= Q(program_id__in=staff_ids)
    coach_ids = coach_program_ids(user=user)
    if coach_ids:
        condition |= Q(coach_assignments__coach=user, program_id__in=coach_ids)
    visible_ids = Team.objects.filter(condition).values("pk")
    return Team.objects.filter(pk__in=visible_ids).select_related("collaborative", "facility")


def team_get_for(*, user: User, public_id) -> Team:
    """One visible team, or Team.DoesNotExist (a 404 for the view)."""
    return teams_visible_to(user=user).get(public_id=public_id)


def teams_coached_by(*, user: User) -> QuerySet[Team]:
    """The teams a coach is assigned to, across collaboratives and programs."""
    if not getattr(user, "is_authenticated", False):
        return Team.objects.none()
    return (
        Team.objects.filter(
            coach_assignments__coach=user, program_id__in=coach_program_ids(user=user)
        )
        .select_related("collaborative", "facility", "program")
        .order_by("collaborative__title", "name")
    )


def team_memberships_of(*, user: User) -> QuerySet[TeamMembership]:
    """The user's own active team memberships, newest collaborative first."""
    if not getattr(user, "is_authenticated", False):
        return TeamMembership.objects.none()
    return (
        TeamMembership.objects.filter(user=user, is_active=True)
        .select_related("team", "team__collaborative", "team__program")
        .order_by("-team__collaborative__start_date", "team__name")
    )


def team_members(*, team: Team) -> QuerySet[TeamMembership]:
    """Active members of a team the caller already may see."""
    return (
        TeamMembership.objects.filter(team=team, is_active=True)
        .select_related("user")
        .order_by("role", "user__full_name")
    )


def team_coaches(*, team: Team) -> QuerySet[CoachAssignment]:
    return CoachAssignment.objects.filter(team=team).select_related("coach")


def team_role_of(*, user: User, team: Team) -> str | None:
    """The user's role in `team`, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        TeamMembership.objects.filter(team=team, user=user, is_active=True)
        .values_list("role", flat=True)
        .first()
    )


def is_team_lead(*, user: User, team: Team) -> bool:
    return team_role_of(user=user, team=team) == TeamRole.LEAD


def facilities_visible_to(*, user: User) -> QuerySet[Facility]:
    """Facilities of the programs the user works in (staff and coaches), plus their teams'."""
    if not getattr(user, "is_authenticated", False):
        return Facility.objects.none()
    program_ids = staff_program_ids(user=user) | coach_program_ids(user=user)
    return Facility.objects.filter(
        Q(program_id__in=program_ids) | Q(teams__in=teams_visible_to(user=user))
    ).distinct()
