"""Reads about people and programs. Every tenant-data read starts from here.

The functions answer two questions: which programs a user works in, and in
which role. Other apps' selectors build their scoping on them.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404

from core.models import AuditEvent

from .models import STAFF_ROLES, Program, ProgramMembership, ProgramRole, User

#: How long a program's audit filter choices stay cached (a new event renews them).
AUDIT_CHOICES_SECONDS = 60 * 60

#: Where audit cursors count microseconds from.
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


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


def program_run_by_or_404(*, user: User, program_id) -> Program:
    """The program named in a URL if `user` is its staff or admin; else Http404.

    How every program staff page (people, audit log) finds its program: everyone else
    gets a 404, exactly as for a program that does not exist.
    """
    try:
        return Program.objects.get(public_id=program_id, pk__in=staff_program_ids(user=user))
    except (Program.DoesNotExist, ValidationError, ValueError):
        raise Http404("No such program.") from None


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


# --- A program's audit log (program staff only) --------------------------------------


@dataclass(frozen=True)
class AuditFilters:
    """What the audit log is narrowed to; empty values filter nothing.

    `since` and `until` are instants (the view turns the viewer's local dates into
    them); `until` is exclusive.
    """

    actor_pk: int | None = None
    system_only: bool = False
    verb: str = ""
    verb_group: str = ""
    target_type: str = ""
    since: datetime | None = None
    until: datetime | None = None
    text: str = ""


def program_audit_events(
    *, program: Program, filters: AuditFilters | None = None
) -> QuerySet[AuditEvent]:
    """The program's audit events, newest first, narrowed by `filters`.

    Scoped by the program the caller resolved for its staff (`program_run_by_or_404`),
    never by an id from the request: platform events (no program) and other programs'
    events cannot appear. Every filter keeps the (program, -created_at) index usable.
    """
    events = AuditEvent.objects.filter(program=program).select_related("actor")
    f = filters or AuditFilters()
    if f.system_only:
        events = events.filter(actor__isnull=True)
    elif f.actor_pk is not None:
        events = events.filter(actor_id=f.actor_pk)
    if f.verb:
        events = events.filter(verb=f.verb)
    elif f.verb_group:
        events = events.filter(verb__startswith=f"{f.verb_group}.")
    if f.target_type:
        events = events.filter(target_type=f.target_type)
    if f.since is not None:
        events = events.filter(created_at__gte=f.since)
    if f.until is not None:
        events = events.filter(created_at__lt=f.until)
    if f.text:
        events = events.filter(target_repr__icontains=f.text)
    return events.order_by("-created_at", "-id")


@dataclass(frozen=True)
class AuditPerson:
    """Someone who did something recorded in a program's log (a filter choice)."""

    pk: int
    public_id: str
    name: str
    email: str


@dataclass(frozen=True)
class AuditChoices:
    """What the log's filters offer: its people (by name) and kinds of object."""

    people: tuple[AuditPerson, ...]
    target_types: tuple[str, ...]


def program_audit_choices(*, program: Program) -> AuditChoices:
    """Everyone who did something in the program's log (people who have since left
    included: the log is history) and the kinds of object ("teams.team") it mentions.

    Both need a pass over the program's events (about 0.15 s at 100,000 events), so
    they are cached under the program's newest event: one indexed query per page
    while nothing new is recorded, recomputed as soon as something is.
    """
    newest = (
        AuditEvent.objects.filter(program=program)
        .order_by("-created_at", "-id")
        .values_list("id", flat=True)
        .first()
    )
    key = f"audit-choices:{program.pk}:{newest}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    events = AuditEvent.objects.filter(program=program)
    actor_ids = list(
        events.exclude(actor=None).order_by().values_list("actor_id", flat=True).distinct()
    )
    people = tuple(
        AuditPerson(pk=u.pk, public_id=str(u.public_id), name=u.display_name, email=u.email)
        for u in User.objects.filter(pk__in=actor_ids).order_by("full_name", "email")
    )
    types = tuple(events.order_by("target_type").values_list("target_type", flat=True).distinct())
    choices = AuditChoices(people=people, target_types=types)
    cache.set(key, choices, timeout=AUDIT_CHOICES_SECONDS)
    return choices


@dataclass(frozen=True)
class AuditCursor:
    """A position in the log: the (created_at, id) of an event, written "micros.id"."""

    created_at: datetime
    pk: int

    @classmethod
    def of(cls, event: AuditEvent) -> AuditCursor:
        return cls(event.created_at, event.pk)

    def __str__(self) -> str:
        return f"{(self.created_at - EPOCH) // timedelta(microseconds=1)}.{self.pk}"

    @classmethod
    def parse(cls, text: str) -> AuditCursor:
        """The cursor written as `text`; ValueError for anything else."""
        match = re.fullmatch(r"(\d{1,18})\.(\d{1,18})", text or "")
        if not match:
            raise ValueError(f"Not a position in the log: {text!r}")
        moment = EPOCH + timedelta(microseconds=int(match.group(1)))
        return cls(moment, int(match.group(2)))


@dataclass
class AuditPage:
    """One page of the log and the cursors of its neighbours (None: there is none)."""

    events: list[AuditEvent]
    older: AuditCursor | None
    newer: AuditCursor | None


def audit_events_page(
    events: QuerySet[AuditEvent],
    *,
    before: AuditCursor | None = None,
    after: AuditCursor | None = None,
    size: int = 50,
) -> AuditPage:
    """The `size` events just older than `before` (or just newer than `after`, or the
    newest), by keyset: one indexed range query whatever the page, so the 2,000th page
    of a 100,000-event log costs what the first does (no OFFSET)."""
    if after is not None:
        rows = list(
            events.filter(
                Q(created_at__gt=after.created_at)
                | Q(created_at=after.created_at, pk__gt=after.pk),
                created_at__gte=after.created_at,
            ).order_by("created_at", "id")[: size + 1]
        )
        more = len(rows) > size
        rows = rows[:size][::-1]
        return AuditPage(
            events=rows,
            older=AuditCursor.of(rows[-1]) if rows else after,
            newer=AuditCursor.of(rows[0]) if more else None,
        )
    if before is not None:
        events = events.filter(
            Q(created_at__lt=before.created_at) | Q(created_at=before.created_at, pk__lt=before.pk),
            created_at__lte=before.created_at,
        )
    rows = list(events[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    newer = None
    if before is not None:
        newer = AuditCursor.of(rows[0]) if rows else before
    return AuditPage(
        events=rows, older=AuditCursor.of(rows[-1]) if more and rows else None, newer=newer
    )
