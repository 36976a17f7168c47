"""The dates of a series, from its pattern, with python-dateutil's rrule (RFC 5545 RRULE).

Occurrences are computed on the local wall clock of the collaborative's zone and only
then given that zone: "13:00 every third Tuesday" stays 13:00 in March and in November,
whatever daylight saving does to the UTC offset. A wall-clock time that does not exist
on a date (skipped when the clocks go forward) is reported, not silently moved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil import rrule

from .models import MAX_OCCURRENCES, SeriesFrequency

_RRULE_DAYS = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)


@dataclass(frozen=True)
class Pattern:
    """What staff chose: how often, which day, when and how long, how many times."""

    frequency: str  # a SeriesFrequency value
    interval: int
    weekday: int  # Monday is 0
    week_of_month: int | None  # 1-4, or -1 for the last; monthly series only
    first_date: date
    start_time: time
    duration_minutes: int
    count: int
    timezone: str


@dataclass(frozen=True)
class Occurrence:
    """One computed date; `problem` says why it cannot be created as it stands."""

    starts_at: datetime  # aware, in the pattern's zone
    ends_at: datetime
    problem: str = ""


def local_starts(pattern: Pattern) -> list[datetime]:
    """The naive local start of each occurrence, at most MAX_OCCURRENCES of them."""
    day = _RRULE_DAYS[pattern.weekday]
    if pattern.frequency == SeriesFrequency.MONTHLY:
        freq = rrule.MONTHLY
        byweekday = day(pattern.week_of_month or 1)
    else:
        freq = rrule.WEEKLY
        byweekday = day
    rule = rrule.rrule(
        freq,
        interval=pattern.interval,
        byweekday=byweekday,
        count=min(pattern.count, MAX_OCCURRENCES),
        dtstart=datetime.combine(pattern.first_date, pattern.start_time),
    )
    return list(rule)


def _exists(naive: datetime, zone: ZoneInfo) -> bool:
    """False for a wall-clock time skipped by a daylight-saving change."""
    aware = naive.replace(tzinfo=zone)
    return aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == naive


def occurrences(
    pattern: Pattern, *, window_start: date | None = None, window_end: date | None = None
) -> list[Occurrence]:
    """Every occurrence, each with the problem that stops it being created, if any.

    `window_start`/`window_end` are the collaborative's dates: an occurrence outside
    them is flagged (the event form refuses such events too).
    """
    zone = ZoneInfo(pattern.timezone)
    duration = timedelta(minutes=pattern.duration_minutes)
    found = []
    for naive in local_starts(pattern):
        starts_at = naive.replace(tzinfo=zone)
        # A fixed length of time: 90 minutes are 90 minutes even across a change.
        ends_at = (starts_at.astimezone(UTC) + duration).astimezone(zone)
        problem = ""
        if not _exists(naive, zone):
            problem = (
                f"{naive:%H:%M} does not exist on {naive:%-d %B %Y} in "
                f"{pattern.timezone.replace('_', ' ')}: the clocks go forward that night."
            )
        elif window_start and starts_at.date() < window_start:
            problem = f"Before the collaborative starts ({window_start:%-d %B %Y})."
        elif window_end and ends_at.date() > window_end:
            problem = f"After the collaborative ends ({window_end:%-d %B %Y})."
        found.append(Occurrence(starts_at=starts_at, ends_at=ends_at, problem=problem))
    return found
