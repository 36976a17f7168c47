"""Writing a series: every occurrence is created at once, or none is.

The pattern is checked as a whole before anything is written: an occurrence outside
the collaborative's dates, or at a wall-clock time that does not exist, refuses the
whole series with a message naming the dates, so staff fix the pattern (or the
collaborative's dates) instead of finding a calendar with holes.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from collaboratives.models import Collaborative
from core.audit import audit_record

from .models import MAX_OCCURRENCES, Event, EventSeries, SeriesFrequency
from .recurrence import Occurrence, Pattern, occurrences
from .services import validate_event

#: The event fields a series gives each occurrence (the rest stay at their defaults).
SERIES_EVENT_FIELDS = ("kind", "title", "description", "location", "join_url", "capacity")

#: Longest single occurrence: a congress day, not a week-long block.
MAX_DURATION_MINUTES = 24 * 60
MAX_INTERVAL = 12


def validate_pattern(pattern: Pattern) -> None:
    """The pattern's own rules, before any date is computed."""
    errors: dict[str, list[str]] = {}
    if not 1 <= pattern.count <= MAX_OCCURRENCES:
        errors["count"] = [f"A series has between 1 and {MAX_OCCURRENCES} occurrences."]
    if not 1 <= pattern.interval <= MAX_INTERVAL:
        errors["interval"] = [f"Repeat every 1 to {MAX_INTERVAL} weeks or months."]
    if not 1 <= pattern.duration_minutes <= MAX_DURATION_MINUTES:
        errors["duration_minutes"] = [
            f"An occurrence lasts between 1 and {MAX_DURATION_MINUTES} minutes."
        ]
    if pattern.frequency == SeriesFrequency.MONTHLY and pattern.week_of_month not in (
        1,
        2,
        3,
        4,
        -1,
    ):
        errors["week_of_month"] = ["Choose which week of the month (first … fourth, or last)."]
    if errors:
        raise ValidationError(errors)


def series_preview(*, collaborative: Collaborative, pattern: Pattern) -> list[Occurrence]:
    """The dates the pattern gives in `collaborative`, each with its problem if any."""
    validate_pattern(pattern)
    return occurrences(
        pattern, window_start=collaborative.start_date, window_end=collaborative.end_date
    )


@transaction.atomic
def series_create(
    *, collaborative: Collaborative, actor: User, pattern: Pattern, **fields
) -> EventSeries:
    """The series and all its events, in one transaction (program staff; the view checks)."""
    dates = series_preview(collaborative=collaborative, pattern=pattern)
    problems = [f"{o.starts_at:%-d %B %Y}: {o.problem}" for o in dates if o.problem]
    if problems:
        raise ValidationError(
            {"__all__": ["These occurrences cannot be created: " + " ".join(problems)]}
        )
    event_fields = {name: fields[name] for name in SERIES_EVENT_FIELDS if name in fields}
    for occurrence in dates:
        validate_event(
            collaborative=collaborative,
            data={**event_fields, "starts_at": occurrence.starts_at, "ends_at": occurrence.ends_at},
        )
    series = EventSeries.objects.create(
        program_id=collaborative.program_id,
        collaborative=collaborative,
        frequency=pattern.frequency,
        interval=pattern.interval,
        weekday=pattern.weekday,
        week_of_month=(
            pattern.week_of_month if pattern.frequency == SeriesFrequency.MONTHLY else None
        ),
        first_date=pattern.first_date,
        start_time=pattern.start_time,
        duration_minutes=pattern.duration_minutes,
        count=pattern.count,
        timezone=pattern.timezone,
        created_by=actor,
        **event_fields,
    )
    Event.objects.bulk_create(
        Event(
            program_id=collaborative.program_id,
            collaborative=collaborative,
            series=series,
            starts_at=occurrence.starts_at,
            ends_at=occurrence.ends_at,
            **event_fields,
        )
        for occurrence in dates
    )
    audit_record(
        actor=actor,
        verb="event_series.created",
        target=series,
        data={"occurrences": len(dates), "pattern": series.pattern_label},
    )
    return series
