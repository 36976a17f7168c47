"""The one place the code asks what day and time it is.

Every "today" and "now" in the project comes from here, never from scattered
`date.today()` or `timezone.localdate()` calls, for two reasons:

* the time zone is stated: `today()` is the site's zone (settings.TIME_ZONE, UTC)
  unless a zone is passed, e.g. a collaborative's own (`today(collaborative.timezone)`);
* tests fix the clock in one fixture (time-machine, tests/conftest.py) and the demo
  is seeded relative to one day, so nothing depends on the real calendar.

`month_start`, `month_end` and `add_months` are here too because every app counts
in calendar months (ratings, reporting periods, the demo's calendar).
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo

from django.utils import timezone


def now() -> datetime:
    """The current instant, timezone-aware (UTC)."""
    return timezone.now()


def today(tz: str | tzinfo | None = None) -> date:
    """Today's date in `tz` (a zone name or tzinfo); the site's zone when None.

    The site's zone, not the zone activated for the viewer (teams.middleware): what
    is due or late must not depend on who looks.
    """
    if isinstance(tz, str):
        tz = ZoneInfo(tz)
    return timezone.localdate(timezone.now(), timezone=tz or timezone.get_default_timezone())


def month_start(day: date) -> date:
    """The first day of `day`'s month: monthly things are stored as their first day."""
    return day.replace(day=1)


def month_end(day: date) -> date:
    """The last day of `day`'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after `day`'s month (negative: before)."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def current_month(tz: str | tzinfo | None = None) -> date:
    """The month that is running now (its first day), in `tz` or the site's zone."""
    return month_start(today(tz))
