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


# --- the one rule for "ended": a period is handed in only once it is over ---------------


def has_ended(period, today: date | None = None) -> bool:
    """Whether `period` (anything with an `end`) is over by `today` (default: today).

    Values may be entered (and saved as a draft) from the day a period starts, but the
    period is submitted, and pooled with the other teams', only once it has ended: from
    the day after its last day. A month handed in on its 6th day would otherwise stand
    in the collaborative's charts for the whole month.
    """
    return period.end < (today or clock.today())


def submittable_from(period) -> date:
    """The first day `period` can be submitted: the day after it ends."""
    return period.end + timedelta(days=1)


def day_words(day: date) -> str:
    """ "1 January 2027" (month names not locale-bound, no leading zero)."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def not_ended_message(period) -> str:
    """Why `period` cannot be submitted yet, and when it can."""
    return (
        f"{period.label} can be submitted from {day_words(submittable_from(period))}, "
        "once it has ended."
    )
