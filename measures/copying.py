"""Copying a collaborative brings its measure set and reporting periods along
(collaboratives.copying), shifted with the new calendar."""

from datetime import timedelta

from collaboratives.copying import copy_step
from collaboratives.models import Collaborative
from core.clock import add_months

from .models import CollaborativeMeasure, ReportingPeriod
from .periods import period_end, period_start_for


@copy_step("measures")
def copy_measure_set(source: Collaborative, target: Collaborative, shift_days: int) -> None:
    """The set's library measures (required or optional, in order) and the periods, moved
    by the calendar shift and snapped to whole months (or weeks, quarters), with the same
    delay between a period's end and its due date. Teams' own measures and data are
    their work and are never copied."""
    CollaborativeMeasure.objects.bulk_create(
        CollaborativeMeasure(
            program_id=target.program_id,
            collaborative=target,
            measure_id=entry.measure_id,
            requirement=entry.requirement,
            position=entry.position,
        )
        for entry in CollaborativeMeasure.objects.filter(
            program_id=source.program_id, collaborative=source, measure__team__isnull=True
        ).order_by("position", "id")
    )
    delta = timedelta(days=shift_days)
    months = 0
    if source.start_date and target.start_date:
        months = (target.start_date.year - source.start_date.year) * 12 + (
            target.start_date.month - source.start_date.month
        )
    seen = set()
    periods = []
    for period in ReportingPeriod.objects.filter(
        program_id=source.program_id, collaborative=source
    ).order_by("start"):
        if period.frequency == "weekly":
            start = period_start_for("weekly", period.start + delta)
        else:  # months move by whole months, so no month is skipped or doubled
            start = period_start_for(period.frequency, add_months(period.start, months))
        if (period.frequency, start) in seen:
            continue
        seen.add((period.frequency, start))
        end = period_end(period.frequency, start)
        periods.append(
            ReportingPeriod(
                program_id=target.program_id,
                collaborative=target,
                frequency=period.frequency,
                start=start,
                end=end,
                due_date=end + (period.due_date - period.end),
            )
        )
    ReportingPeriod.objects.bulk_create(periods)
