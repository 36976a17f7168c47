"""Everything a person is, across programs and teams: the top bar, the home page and
the API's "me" read it.

It lives in teams, not accounts, because it counts team memberships as well as
program roles (accounts sits below teams and knows nothing of them).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, QuerySet

from accounts.models import STAFF_ROLES, Program, ProgramRole, User
from accounts.selectors import program_role_map

from ..models import TeamMembership
from .teams import team_memberships_of


def programs_visible_to(*, user: User) -> QuerySet[Program]:
    """Programs the user has a role in, or a team in."""
    if not getattr(user, "is_authenticated", False):
        return Program.objects.none()
    team_program_ids = TeamMembership.objects.filter(user=user, is_active=True).values_list(
        "program_id", flat=True
    )
    return Program.objects.filter(pk__in=set(program_role_map(user=user)) | set(team_program_ids))


@dataclass
class RoleSummary:
    """What the navigation and the home page need to know about a user."""

    staff_programs: list[Program] = field(default_factory=list)
    coach_programs: list[Program] = field(default_factory=list)
    team_memberships: list[TeamMembership] = field(default_factory=list)

    @property
    def is_staff(self) -> bool:
        return bool(self.staff_programs)

    @property
    def is_coach(self) -> bool:
        return bool(self.coach_programs)

    @property
    def is_team_member(self) -> bool:
        return bool(self.team_memberships)


#: What the navigation shows of each of the person's teams (templates/partials/_nav.html).
_NAV_TEAM_FIELDS = ("team__public_id", "team__name", "team__collaborative__title")
#: ... and of each program they run or coach (the People menu's links and names).
_NAV_PROGRAM_FIELDS = ("pk", "public_id", "name")


def role_summary(*, user: User, for_navigation: bool = False) -> RoleSummary:
    """Roles of `user` across all programs and teams, in at most two queries besides
    their program roles (read once per request). `for_navigation` reads only what the
    top bar shows: every page builds it.

    The programs' query also says whether the person is in any team, so that staff and
    coaches who are in none (most of them) pay one query, not two, on every page.
    """
    summary = RoleSummary()
    if not getattr(user, "is_authenticated", False):
        return summary
    roles_by_program = program_role_map(user=user)
    own_teams = TeamMembership.objects.filter(user=user, is_active=True)
    program_rows = Program.objects.filter(pk__in=roles_by_program).annotate(
        _in_a_team=Exists(own_teams)
    )
    if for_navigation:
        program_rows = program_rows.only(*_NAV_PROGRAM_FIELDS)
    programs = {p.pk: p for p in program_rows}
    for program_id, roles in sorted(roles_by_program.items()):
        program = programs.get(program_id)
        if program is None:
            continue
        if roles & set(STAFF_ROLES):
            summary.staff_programs.append(program)
        if ProgramRole.COACH in roles:
            summary.coach_programs.append(program)
    if programs and not any(p._in_a_team for p in programs.values()):
        return summary  # in no team: the programs' query said so
    memberships = team_memberships_of(user=user)
    if for_navigation:
        memberships = memberships.select_related(None).select_related("team__collaborative")
        memberships = memberships.only(*_NAV_TEAM_FIELDS)
    summary.team_memberships = list(memberships)
    return summary
