"""Writes of attendance: the session code, staff's roster, people's own statements.

Precedence (one record per person and event; continuing-education credit reads it):

    staff's roster (4) > meeting report import (3) > session code (2) > own statement (1)

A new record replaces the existing one only when its source ranks the same or higher:
a person's own "I attended live" / "I watched the recording" never replaces a code,
a report or staff's mark (and cannot overturn staff's "absent"); a report adds
minutes to a code entry and replaces an earlier report; staff's roster mark always
wins. A person may correct their own statement (live <-> recording). Every change
writes an audit row with what it replaced, in the same transaction, under a lock
on the event row so that two writers for one person cannot both insert.
"""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User
from core.audit import audit_record
from core.cache import count_in_window
from core.clock import now
from core.timezones import format_local

from ..models import Attendance, AttendanceCode, AttendanceMode, AttendanceSource, Event
from .selectors import check_in_window, may_attend

RANK = {
    AttendanceSource.SELF_RECORDING: 1,
    AttendanceSource.SELF_LIVE: 1,
    AttendanceSource.CODE: 2,
    AttendanceSource.IMPORT: 3,
    AttendanceSource.ROSTER: 4,
}

#: Code characters: no 0/O, 1/I/L, so a code read off a projector is typed right.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 6
#: Wrong codes one person may try at one event per window before waiting.
CODE_TRIES = 10
CODE_TRIES_WINDOW = 15 * 60
#: Upper bound on minutes anyone can claim (a recording watched, staff's entry).
MINUTES_CEILING = 1000

NOT_IN_COLLABORATIVE = (
    "Only members of the collaborative's teams, their coaches and program staff can be "
    "recorded at this event."
)


@dataclass
class Outcome:
    """What a write did: the record as it now stands, and whether it changed."""

    attendance: Attendance | None
    changed: bool

    @property
    def kept(self) -> bool:
        """An existing record stayed as it was (stronger, or the same)."""
        return not self.changed and self.attendance is not None


def minutes_cap(*, event: Event) -> int:
    """The most minutes one person can have at `event`: three times its length (a
    recording watched more than once), never above MINUTES_CEILING."""
    length = max(int((event.ends_at - event.starts_at).total_seconds() // 60), 1)
    return min(length * 3, MINUTES_CEILING)


def check_minutes(*, event: Event, minutes: int | None) -> None:
    if minutes is None:
        return
    cap = minutes_cap(event=event)
    if minutes < 0 or minutes > cap:
        raise ValidationError({"minutes": [f"Enter between 0 and {cap} minutes."]})


def _snapshot(attendance: Attendance | None) -> dict | None:
    if attendance is None:
        return None
    return {
        "source": attendance.source,
        "present": attendance.present,
        "minutes": attendance.minutes,
        "mode": attendance.mode,
    }


def record_attendance(
    *,
    event: Event,
    person: User,
    source: str,
    actor: User,
    verb: str,
    present: bool = True,
    minutes: int | None = None,
    mode: str = AttendanceMode.LIVE,
) -> Outcome:
    """Write `person`'s record at `event` if `source` may replace what is there.

    The caller holds the event row lock (select_for_update) inside a transaction.
    """
    existing = (
        Attendance.objects.select_for_update()
        .filter(program_id=event.program_id, event=event, user=person)
        .first()
    )
    if existing is not None and RANK[source] < RANK[existing.source]:
        return Outcome(existing, False)
    wanted = {"source": source, "present": present, "minutes": minutes, "mode": mode}
    if existing is not None and _snapshot(existing) == wanted:
        return Outcome(existing, False)
    before = _snapshot(existing)
    attendance = existing or Attendance(program_id=event.program_id, event=event, user=person)
    for name, value in wanted.items():
        setattr(attendance, name, value)
    attendance.recorded_by = None if actor.pk == person.pk else actor
    attendance.save()
    audit_record(
        actor=actor,
        verb=verb,
        target=attendance,
        data={"person": str(person.public_id), "event": str(event.public_id), **wanted}
        | ({"replaced": before} if before else {}),
    )
    return Outcome(attendance, True)


def _locked(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


# --- the session code -------------------------------------------------------------------


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(value: str) -> str:
    """What a person typed, as a code: upper case, spaces and dashes dropped."""
    return re.sub(r"[^0-9A-Z]", "", (value or "").upper())[:20]


@transaction.atomic
def code_for(*, event: Event, actor: User) -> AttendanceCode:
    """The event's check-in code, made on first use (staff opening the display)."""
    event = _locked(event)
    existing = AttendanceCode.objects.filter(event=event).first()
    return existing or _store_code(event=event, actor=actor, existing=None)


@transaction.atomic
def code_regenerate(*, event: Event, actor: User) -> AttendanceCode:
    """A fresh code for the event; the old one stops working at once."""
    event = _locked(event)
    existing = AttendanceCode.objects.select_for_update().filter(event=event).first()
    code = _store_code(event=event, actor=actor, existing=existing)
    audit_record(actor=actor, verb="attendance.code_regenerated", target=event)
    return code


def _store_code(*, event: Event, actor: User, existing: AttendanceCode | None) -> AttendanceCode:
    row = existing or AttendanceCode(program_id=event.program_id, event=event)
    row.created_by = actor
    for _attempt in range(20):  # 31**6 codes: a clash is rare, twenty in a row impossible
        row.code = _new_code()
        try:
            with transaction.atomic():
                row.save()
            return row
        except IntegrityError:
            continue
    raise RuntimeError("No free attendance code found")  # pragma: no cover


def _tries_key(event: Event, user: User) -> str:
    window = int(time.time() // CODE_TRIES_WINDOW)
    return f"attendance-code-tries:{event.pk}:{user.pk}:{window}"


def _tries_used(event: Event, user: User) -> int:
    return int(cache.get(_tries_key(event, user)) or 0)


def _count_wrong_try(event: Event, user: User) -> None:
    """A fixed window in the cache (add, then incr), like core.csp's report limit; while
    Redis is down FailOpenRedisCache lets tries through rather than locking people out."""
    count_in_window(_tries_key(event, user), CODE_TRIES_WINDOW)


def check_in_with_code(*, event: Event, user: User, code: str) -> Outcome:
    """Record `user` at `event` from the code shown during it.

    Refused with a message (nothing recorded) for too many wrong tries, a cancelled
    event, someone outside the collaborative, a time outside the check-in window,
    another event's code and a wrong code. Wrong codes count against the person's
    tries at this event.
    """
    if _tries_used(event, user) >= CODE_TRIES:
        raise ValidationError(
            {
                "code": [
                    "Too many wrong codes. Wait 15 minutes and try again, or ask the "
                    "event's staff to mark you present."
                ]
            }
        )
    if event.is_cancelled:
        raise ValidationError("This event was cancelled; there is nothing to check in to.")
    if not may_attend(event=event, user=user):
        raise ValidationError(NOT_IN_COLLABORATIVE)
    opens, closes = check_in_window(event=event)
    moment = now()
    if moment < opens:
        raise ValidationError(f"Check-in opens at {format_local(opens)}. Try again then.")
    if moment > closes:
        raise ValidationError(
            f"Check-in closed at {format_local(closes)}. If you attended, say so on the "
            "event page, or ask the event's staff to mark you present."
        )
    typed = normalize_code(code)
    with transaction.atomic():
        event = _locked(event)
        current = AttendanceCode.objects.filter(event=event).values_list("code", flat=True).first()
        if not typed or typed != current:
            other = bool(typed) and AttendanceCode.objects.filter(code=typed).exists()
            _count_wrong_try(event, user)
            if other:
                raise ValidationError(
                    {
                        "code": [
                            "This is the code of a different event. Check the code "
                            f"shown for “{event.title}”."
                        ]
                    }
                )
            raise ValidationError(
                {"code": ["That code is not right. Check the code shown and try again."]}
            )
        outcome = record_attendance(
            event=event,
            person=user,
            source=AttendanceSource.CODE,
            actor=user,
            verb="attendance.checked_in",
        )
    if outcome.kept and not outcome.attendance.present:
        raise ValidationError(
            "Staff have marked you absent from this event; ask them to change it."
        )
    return outcome


# --- staff's roster ---------------------------------------------------------------------


@transaction.atomic
def roster_mark(
    *, event: Event, actor: User, person: User, present: bool, minutes: int | None = None
) -> Outcome:
    """Staff mark `person` present (optionally with minutes) or absent at `event`.

    The roster outranks every other source: it replaces a code entry, a report's
    minutes or the person's own statement (the audit row keeps what it replaced).
    """
    if present and not may_attend(event=event, user=person):
        raise ValidationError(NOT_IN_COLLABORATIVE)
    if present:
        check_minutes(event=event, minutes=minutes)
    event = _locked(event)
    return record_attendance(
        event=event,
        person=person,
        source=AttendanceSource.ROSTER,
        actor=actor,
        verb="attendance.marked",
        present=present,
        minutes=minutes if present else None,
    )


# --- people's own statements ----------------------------------------------------------

LIVE, RECORDING = "live", "recording"


@transaction.atomic
def self_attest(*, event: Event, user: User, kind: str, minutes: int | None = None) -> Outcome:
    """`user` says they attended live, or watched the recording for `minutes`.

    Allowed once the event has started (live) or once a recording is posted; it never
    replaces a stronger record (the Outcome says so) and cannot overturn staff's
    "absent" (refused).
    """
    if event.is_cancelled:
        raise ValidationError("This event was cancelled.")
    if not may_attend(event=event, user=user):
        raise ValidationError(NOT_IN_COLLABORATIVE)
    if kind == LIVE:
        if now() < event.starts_at:
            raise ValidationError(
                "You can say you attended once the event has started "
                f"({format_local(event.starts_at)})."
            )
        source, mode, minutes = AttendanceSource.SELF_LIVE, AttendanceMode.LIVE, None
    elif kind == RECORDING:
        if not event.recording_url:
            raise ValidationError("No recording of this event has been posted yet.")
        if minutes is None:
            raise ValidationError(
                {"minutes": ["Say how many minutes of the recording you watched."]}
            )
        if minutes < 1:
            raise ValidationError({"minutes": ["Enter at least 1 minute."]})
        check_minutes(event=event, minutes=minutes)
        source, mode = AttendanceSource.SELF_RECORDING, AttendanceMode.RECORDING
    else:
        raise ValidationError("Choose live attendance or the recording.")
    event = _locked(event)
    outcome = record_attendance(
        event=event,
        person=user,
        source=source,
        actor=user,
        verb="attendance.attested",
        minutes=minutes,
        mode=mode,
    )
    if outcome.kept and not outcome.attendance.present:
        raise ValidationError(
            "Staff have marked you absent from this event; ask them to change it."
        )
    return outcome
