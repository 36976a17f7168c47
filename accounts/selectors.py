"""Reads about people and programs. Every tenant-data read starts from here.

The functions answer two questions: which programs a user works in, and in
which role. Other apps' selectors build their scoping on them.
"""

from dataclasses import dataclass, field

from django.db.models import QuerySet

from .models import STAFF_ROLES, Program, ProgramMembership, ProgramRole, User


def _active_memberships(user: User) -> QuerySet[ProgramMembership]:
    return ProgramMembership.objects.filter(user=user, is_active=True, user__is_active=True)


def program_ids_where(*, user: User, roles: tuple[str, ...]) -> set[int]:
    """Ids of the programs where `user` holds one of `roles` (empty for anonymous)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cache = _role_cache(user)
    return {pid for pid, held in cache.items() if held & set(roles)}


def staff_program_ids(*, user: User) -> set[int]:
    """Programs where the user is admin or staff: they see every team's records there."""
    return program_ids_where(user=user, roles=STAFF_ROLES)


def coach_program_ids(*, user: User) -> set[int]:
    return program_ids_where(user=user, roles=(ProgramRole.COACH,))


def forget_roles(user: User) -> None:
    """Drop the per-request role cache after a service changed the user's roles."""
    if hasattr(user, "_program_roles_cache"):
        del user._program_roles_cache


def _role_cache(user: User) -> dict[int, set[str]]:
    """Program id -> roles held, computed once per user object (i.e. per request)."""
    cached = getattr(user, "_program_roles_cache", None)
    if cached is None:
        cached = {}
        for program_id, role in _active_memberships(user).values_list("program_id", "role"):
            cached.setdefault(program_id, set()).add(role)
        user._program_roles_cache = cached
    return cached


def program_roles(*, user: User, program: Program) -> set[str]:
    """The roles `user` holds in `program`."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(_role_cache(user).get(program.pk, set()))


def is_program_staff(*, user: User, program: Program) -> bool:
    return bool(program_roles(user=user, program=program) & set(STAFF_ROLES))


def is_staff_anywhere(*, user: User) -> bool:
    """Whether the user runs any program (MFA is required for them in production)."""
    return bool(staff_program_ids(user=user))


def programs_visible_to(*, user: User) -> QuerySet[Program]:
    """Programs the user has a role in, or a team in."""
    if not getattr(user, "is_authenticated", False):
        return Program.objects.none()
    from teams.models import TeamMembership

    team_program_ids = TeamMembership.objects.filter(user=user, is_active=True).values_list(
        "program_id", flat=True
    )
    return Program.objects.filter(pk__in=set(_role_cache(user)) | set(team_program_ids))


@dataclass
class RoleSummary:
    """What the navigation and the home page need to know about a user."""

    staff_programs: list[Program] = field(default_factory=list)
    coach_programs: list[Program] = field(default_factory=list)
    team_memberships: list = field(default_factory=list)

    @property
    def is_staff(self) -> bool:
        return bool(self.staff_programs)

    @property
    def is_coach(self) -> bool:
        return bool(self.coach_programs)

    @property
    def is_team_member(self) -> bool:
        return bool(self.team_memberships)

    @property
    def has_any_role(self) -> bool:
        return self.is_staff or self.is_coach or self.is_team_member


def role_summary(*, user: User) -> RoleSummary:
    """Roles of `user` across all programs and teams, in two queries."""
    summary = RoleSummary()
    if not getattr(user, "is_authenticated", False):
        return summary
    from teams.selectors import team_memberships_of

    programs = {p.pk: p for p in Program.objects.filter(pk__in=_role_cache(user))}
    for program_id, roles in sorted(_role_cache(user).items()):
        program = programs.get(program_id)
        if program is None:
            continue
        if roles & set(STAFF_ROLES):
            summary.staff_programs.append(program)
        if ProgramRole.COACH in roles:
            summary.coach_programs.append(program)
    summary.team_memberships = list(team_memberships_of(user=user))
    return summary
