"""Reads about people and programs. Every tenant-data read starts from here.

The functions answer two questions: which programs a user works in, and in
which role. Other apps' selectors build their scoping on them.
"""

import contextlib

from django.conf import settings
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


def staff_or_coach_program_ids(*, user: User) -> set[int]:
    """Programs the user works for (staff, admin or coach): they see its library, its
    collaboratives' reports and its facilities."""
    return program_ids_where(user=user, roles=(*STAFF_ROLES, ProgramRole.COACH))


def programs_run_by(*, user: User) -> list[Program]:
    """The programs the user runs as staff or admin, by name: where they may launch
    collaboratives, build surveys and keep the measure library."""
    return list(Program.objects.filter(pk__in=staff_program_ids(user=user)).order_by("name"))


def _role_cache(user: User) -> dict[int, set[str]]:
    """Program id -> roles held, computed once per user object (i.e. per request)."""
    cached = getattr(user, "_program_roles_cache", None)
    if cached is None:
        cached = {}
        for program_id, role in _active_memberships(user).values_list("program_id", "role"):
            cached.setdefault(program_id, set()).add(role)
        user._program_roles_cache = cached
    return cached


def forget_program_roles(user: User) -> None:
    """Drop the user object's cached roles: call after granting or ending one, so that
    the rest of the request sees the change."""
    with contextlib.suppress(AttributeError):
        del user._program_roles_cache


def program_role_map(*, user: User) -> dict[int, set[str]]:
    """Program id -> the roles `user` holds there (a copy; empty for anonymous)."""
    if not getattr(user, "is_authenticated", False):
        return {}
    return {program_id: set(roles) for program_id, roles in _role_cache(user).items()}


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


def must_set_up_mfa(*, user: User) -> bool:
    """Whether `user` runs a program but has no authenticator yet, where the settings
    require one for staff (MFA_REQUIRED_FOR_STAFF, on unless DEBUG)."""
    if not getattr(settings, "MFA_REQUIRED_FOR_STAFF", False):
        return False
    if not getattr(user, "is_authenticated", False) or not is_staff_anywhere(user=user):
        return False
    from allauth.mfa.models import Authenticator  # allauth's models load after ours

    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def coaches_of_program(*, program: Program) -> QuerySet[User]:
    """People who hold the coach role in the program (candidates for assignment)."""
    return (
        User.objects.filter(
            program_memberships__program=program,
            program_memberships__role=ProgramRole.COACH,
            program_memberships__is_active=True,
            is_active=True,
        )
        .distinct()
        .order_by("full_name")
    )
