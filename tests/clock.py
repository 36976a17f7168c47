"""The suite's calendar: one fixed "today" that every test and factory counts from.

The `_fixed_clock` fixture (tests/conftest.py) travels to `suite_today()` at noon UTC
(a time that is the same date in every US time zone) before each test, with the clock
ticking from there, so nothing depends on the day the suite happens to run. Factories
and fixtures build their calendars relative to it (`month(-8)` is the first day of the
month eight months before this one).

* `QI_TEST_TODAY=YYYY-MM-DD` runs the whole suite on another day (`make test-dates`
  runs it on three far-apart days), which proves the calendars are relative.
* A test that is about one particular day says so: `@pytest.mark.today("2026-12-06")`;
  the fixtures it uses are then built relative to that day.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time

from core.clock import add_months, month_start

#: The default day, used when QI_TEST_TODAY is not set.
DEFAULT_TODAY = date(2026, 11, 20)

#: The time of day the clock starts at (UTC): the same calendar day from Hawaii to UTC.
START_TIME = time(12, 0)


def suite_today() -> date:
    """The day the suite runs on: QI_TEST_TODAY, or DEFAULT_TODAY."""
    value = os.environ.get("QI_TEST_TODAY")
    return date.fromisoformat(value) if value else DEFAULT_TODAY


def instant(day: date) -> datetime:
    """The moment the fixed clock starts on `day`."""
    return datetime.combine(day, START_TIME, tzinfo=UTC)


def month(offset: int = 0, *, today: date | None = None) -> date:
    """The first day of the month `offset` months from the running one (negative: before).

    Reads the (fixed) clock, so inside a test it counts from the test's day.
    """
    from core import clock

    return add_months(month_start(today or clock.today()), offset)


def label(day: date) -> str:
    """How the pages name `day`'s month ("April 2026"): expected text is computed, not typed."""
    return f"{day:%B} {day.year}"
