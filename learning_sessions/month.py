"""A collaborative's calendar as a month grid, in the viewer's time zone.

Weeks start on Monday (ISO 8601). An event is shown on the day it starts in the
viewer's zone, so a session at 01:00 UTC sits on the previous evening for someone in
Chicago. The month in the address is read strictly: anything but YYYY-MM between the
years the event form accepts is refused with a message, not a 500.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from collaboratives.models import Collaborative
from core.clock import today

from .forms import MAX_YEAR, MIN_YEAR
from .models import Event

_MONTH_LENGTH = 7  # len("2026-11")


@dataclass
class Day:
    date: date
    in_month: bool
    is_today: bool
    events: list[Event] = field(default_factory=list)


@dataclass
class MonthGrid:
    first: date  # the month's first day
    weeks: list[list[Day]]
    events: list[Event]  # the month's events in order, for the list under the grid
    previous: date
    following: date

    @property
    def weekday_names(self) -> list[tuple[str, str]]:
        """(full name, short name) from Monday."""
        return [(calendar.day_name[i], calendar.day_abbr[i]) for i in range(7)]


def parse_month(value: str | None) -> date | None:
    """`"2026-11"` -> 1 November 2026; None for anything else (or out of range)."""
    if not value or len(value) != _MONTH_LENGTH:
        return None
    try:
        first = datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        return None
    return first if MIN_YEAR <= first.year <= MAX_YEAR else None


def _add_month(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_grid(*, collaborative: Collaborative, first: date) -> MonthGrid:
    """The weeks that hold `first`'s month, each day with the events starting on it."""
    zone = timezone.get_current_timezone()
    weeks_dates = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    grid_start = weeks_dates[0][0]
    grid_end = weeks_dates[-1][-1] + timedelta(days=1)
    events = list(
        Event.objects.filter(
            program_id=collaborative.program_id,
            collaborative=collaborative,
            starts_at__gte=datetime.combine(grid_start, time.min, tzinfo=zone),
            starts_at__lt=datetime.combine(grid_end, time.min, tzinfo=zone),
        ).order_by("starts_at", "id")
    )
    by_day: dict[date, list[Event]] = {}
    for event in events:
        by_day.setdefault(timezone.localtime(event.starts_at, zone).date(), []).append(event)
    current = today(zone)  # the viewer's today
    weeks = [
        [
            Day(
                date=day,
                in_month=(day.year, day.month) == (first.year, first.month),
                is_today=day == current,
                events=by_day.get(day, []),
            )
            for day in week
        ]
        for week in weeks_dates
    ]
    in_month = [
        event for day in (d for week in weeks for d in week if d.in_month) for event in day.events
    ]
    return MonthGrid(
        first=first,
        weeks=weeks,
        events=in_month,
        previous=_add_month(first, -1),
        following=_add_month(first, 1),
    )
