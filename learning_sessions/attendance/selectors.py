"""Reads about attendance: who may attend an event, the roster, counts, one's own record.

Who may attend (and so be recorded as present) is who may register: the active members
of the collaborative's teams, and the program's coaches and staff. It is the same set
of people who can see the collaborative (collaboratives_visible_to), so a person who
cannot open the event page can never be recorded at it.

"Who attended" (credit, evaluations) reads `attended()`: present rows only, since a
row may also be staff's "absent" mark.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from accounts.models import STAFF_ROLES, ProgramMembership, ProgramRole, User
from teams.models import TeamMembership

from ..models import (
    Attendance,
    AttendanceImport,
    AttendanceSource,
    Event,
    Registration,
    RegistrationStatus,
)
from ..selectors import events_visible_to

#: The check-in window around an event: the code works from OPENS_BEFORE before the
#: start until CLOSES_AFTER after the end (stated on the check-in pages).
OPENS_BEFORE = timedelta(minutes=15)
CLOSES_AFTER = timedelta(minutes=30)

#: Staff-facing order of the roster's attendance states.
PRESENT, ABSENT, UNKNOWN = "present", "absent", "unknown"


def check_in_window(*, event: Event) -> tuple[datetime, datetime]:
    """When the event's code is accepted: (opens, closes)."""
    return event.starts_at - OPENS_BEFORE, event.ends_at + CLOSES_AFTER


def people_who_may_attend(*, event: Event) -> QuerySet[User]:
    """Everyone who may be recorded at `event`: team members, coaches, program staff."""
    members = TeamMembership.objects.filter(
        program_id=event.program_id,
        team__collaborative_id=event.collaborative_id,
        is_active=True,
    ).values("user_id")
    workers = ProgramMembership.objects.filter(
        program_id=event.program_id,
        is_active=True,
        role__in=(*STAFF_ROLES, ProgramRole.COACH),
    ).values("user_id")
    return User.objects.filter(Q(pk__in=members) | Q(pk__in=workers), is_active=True)


def may_attend(*, event: Event, user: User) -> bool:
    return people_who_may_attend(event=event).filter(pk=user.pk).exists()


def people_of_program(*, program_id: int) -> QuerySet[User]:
    """Anyone with a place in the program (any role, any team, active or not): an import
    row matching one of them but nobody who may attend is "outside the collaborative"
    rather than "unknown", without revealing accounts of other programs."""
    return User.objects.filter(
        Q(pk__in=ProgramMembership.objects.filter(program_id=program_id).values("user_id"))
        | Q(pk__in=TeamMembership.objects.filter(program_id=program_id).values("user_id"))
    )


def attendance_of(*, event: Event, user: User) -> Attendance | None:
    """`user`'s record at `event` (present or staff's absent mark), if any."""
    return Attendance.objects.filter(program_id=event.program_id, event=event, user=user).first()


def present_records() -> QuerySet[Attendance]:
    """The one definition of "attended": present rows only (a row may also be staff's
    "absent" mark). Credit, evaluations and counts all start from here."""
    return Attendance.objects.filter(present=True)


def attended(*, event: Event) -> QuerySet[Attendance]:
    """The present records of `event`: what credit and evaluations count."""
    return present_records().filter(program_id=event.program_id, event=event)


@dataclass
class RosterRow:
    person: User
    registration: str | None  # RegistrationStatus label, or None
    attendance: Attendance | None

    @property
    def state(self) -> str:
        if self.attendance is None:
            return UNKNOWN
        return PRESENT if self.attendance.present else ABSENT


def roster_of(*, event: Event) -> list[RosterRow]:
    """Everyone who may attend, plus anyone already recorded, with registration and
    attendance; registered people first, then by name. Three queries."""
    records = {
        a.user_id: a
        for a in Attendance.objects.filter(program_id=event.program_id, event=event)
        .select_related("recorded_by")
        .order_by()
    }
    registrations = dict(
        Registration.objects.filter(program_id=event.program_id, event=event)
        .exclude(status=RegistrationStatus.CANCELLED)
        .values_list("user_id", "status")
    )
    people = User.objects.filter(
        Q(pk__in=people_who_may_attend(event=event).values("pk")) | Q(pk__in=list(records))
    ).order_by("full_name", "email")
    labels = dict(RegistrationStatus.choices)
    rows = [
        RosterRow(
            person=person,
            registration=labels.get(registrations.get(person.pk)),
            attendance=records.get(person.pk),
        )
        for person in people
    ]
    rows.sort(key=lambda r: (r.registration is None, (r.person.full_name or "").lower()))
    return rows


@dataclass
class Counts:
    present: int
    absent: int
    registered: int
    by_source: list[tuple[str, int]]  # (label, count) of present records


def counts_of(*, event: Event) -> Counts:
    """How many attended, by source, and how many were marked absent: the event page."""
    rows = (
        Attendance.objects.filter(program_id=event.program_id, event=event)
        .values("present", "source")
        .annotate(n=Count("id"))
        .order_by()
    )
    labels = dict(AttendanceSource.choices)
    present = sum(r["n"] for r in rows if r["present"])
    absent = sum(r["n"] for r in rows if not r["present"])
    by_source: dict[str, int] = {}
    for r in rows:
        if r["present"]:
            by_source[labels[r["source"]]] = by_source.get(labels[r["source"]], 0) + r["n"]
    registered = Registration.objects.filter(
        program_id=event.program_id, event=event, status=RegistrationStatus.REGISTERED
    ).count()
    return Counts(present, absent, registered, sorted(by_source.items()))


def attendance_visible_to(*, user: User) -> QuerySet[Attendance]:
    """`user`'s own records at the events they may see (the API's "my attendance")."""
    return (
        Attendance.objects.filter(user=user, event__in=events_visible_to(user=user).values("pk"))
        .select_related("event", "event__collaborative")
        .order_by("-event__starts_at", "-id")
    )


def coached_people(*, user: User, event: Event) -> QuerySet[User]:
    """Members of the teams `user` coaches in the event's collaborative."""
    return User.objects.filter(
        team_memberships__team__collaborative_id=event.collaborative_id,
        team_memberships__team__coach_assignments__coach=user,
        team_memberships__is_active=True,
    ).distinct()


def event_attendance_for(*, user: User, event: Event, is_staff: bool) -> QuerySet[Attendance]:
    """The records of `event` `user` may read: all for staff; for a coach, the members
    of the teams they coach; nobody else's (the caller checks the role first)."""
    qs = Attendance.objects.filter(program_id=event.program_id, event=event).select_related(
        "user", "event"
    )
    if not is_staff:
        qs = qs.filter(user__in=coached_people(user=user, event=event).values("pk"))
    return qs.order_by("user__full_name", "id")


def imports_of(*, event: Event) -> QuerySet[AttendanceImport]:
    return AttendanceImport.objects.filter(program_id=event.program_id, event=event).select_related(
        "uploaded_by", "decided_by"
    )


def import_or_404(*, event: Event, import_id) -> AttendanceImport:
    """One staged or past import of `event` (the caller has checked staff's role)."""
    try:
        return imports_of(event=event).get(public_id=import_id)
    except (AttendanceImport.DoesNotExist, ValidationError, ValueError):
        raise Http404("No such import.") from None


def user_may_attend_or_404(*, event: Event, user_id) -> User:
    """The person named in a roster form, if they may attend `event` or are on its
    roster; anyone else (another program's user, an unknown id) is a 404."""
    try:
        return User.objects.get(
            Q(pk__in=people_who_may_attend(event=event).values("pk"))
            | Q(pk__in=Attendance.objects.filter(event=event).values("user_id")),
            public_id=user_id,
        )
    except (User.DoesNotExist, ValidationError, ValueError):
        raise Http404("No such person.") from None


def attended_by(*, user: User, event_ids) -> QuerySet[Attendance]:
    """`user`'s present records at the events `event_ids`, in one query: the same
    definition as `attended()` (present rows only), read per person for credit."""
    return present_records().filter(user=user, event_id__in=list(event_ids))
