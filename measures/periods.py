"""Calendar arithmetic for reporting periods: pure functions, no database.

Months are stored by their first day, quarters by the first day of their first month,
weeks by their Monday, so that a period is identified by (frequency, start).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from core import clock
from core.clock import add_months, month_end

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def period_start_for(frequency: str, day: date) -> date:
    """The start of the period of `frequency` that contains `day`."""
    if frequency == "weekly":
        return week_start(day)
    if frequency == "quarterly":
        return quarter_start(day)
    return day.replace(day=1)


def period_end(frequency: str, start: date) -> date:
    if frequency == "weekly":
        return start + timedelta(days=6)
    if frequency == "quarterly":
        return month_end(add_months(start, 2))
    return month_end(start)


def next_period_start(frequency: str, start: date) -> date:
    if frequency == "weekly":
        return start + timedelta(days=7)
    if frequency == "quarterly":
        return add_months(start, 3)
    return add_months(start, 1)


def iter_periods(frequency: str, first: date, last: date) -> Iterator[tuple[date, date]]:
    """(start, end) of every period of `frequency` touching first..last."""
    start = period_start_for(frequency, first)
    while start <= last:
        yield start, period_end(frequency, start)
        start = next_period_start(frequency, start)


def period_label(frequency: str, start: date) -> str:
    """ "March 2026", "Q1 2026" or "Week of 2 March 2026" (month names not locale-bound)."""
    month = MONTH_NAMES[start.month - 1]
    if frequency == "quarterly":
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    if frequency == "weekly":
        return f"Week of {start.day} {month} {start.year}"
    return f"{month} {start.year}"


def quarter_label(day: date) -> str:
    return f"Q{(day.month - 1) // 3 + 1} {day.year}"


# --- the one rule for "started" -------------------------------------------------------


def has_started(period, today: date | None = None) -> bool:
    """Whether `period` (anything with a `start`) has begun by `today` (default: today).

    A period that has started is listed, charted and open for values; one that has not
    is refused everywhere with `not_started_message`.
    """
    return period.start <= (today or clock.today())


def started_periods(periods: Iterable, today: date | None = None) -> list:
    """The periods of `periods` that have started, in their order."""
    today = today or clock.today()
    return [p for p in periods if has_started(p, today)]


def not_started_message(period) -> str:
    return f"{period.label} has not started yet."
