"""A collaborative's measure set and reporting periods: what its teams report, and when.

Program staff set these up. Taking a measure out of the set or a period nobody
reported on away never loses values: a period with data cannot be removed, and a
measure's values come back when it is added to the set again.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from collaboratives.models import Collaborative
from core.audit import audit_record
from core.bulk_changes import bulk_data_changed
from core.clock import add_months

from ..models import (
    CollaborativeMeasure,
    DataPoint,
    Frequency,
    Measure,
    ReportingPeriod,
    Requirement,
    Submission,
)
from ..periods import iter_periods


@transaction.atomic
def measure_set_add(
    *,
    collaborative: Collaborative,
    measure: Measure,
    actor: User,
    requirement: str = Requirement.REQUIRED,
) -> CollaborativeMeasure:
    """Choose a library measure into the collaborative's set."""
    if measure.program_id != collaborative.program_id or measure.team_id is not None:
        raise ValidationError({"measure": "Choose a measure of this program's library."})
    if requirement not in Requirement.values:
        raise ValidationError({"requirement": "Choose required or optional."})
    if CollaborativeMeasure.objects.filter(collaborative=collaborative, measure=measure).exists():
        raise ValidationError({"measure": f"{measure.name} is already in the measure set."})
    last = (
        CollaborativeMeasure.objects.filter(collaborative=collaborative)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    entry = CollaborativeMeasure.objects.create(
        program_id=collaborative.program_id,
        collaborative=collaborative,
        measure=measure,
        requirement=requirement,
        position=(last or 0) + 1,
    )
    audit_record(
        actor=actor,
        verb="measure_set.added",
        target=collaborative,
        data={"measure": str(measure.public_id), "requirement": requirement},
    )
    return entry


@transaction.atomic
def measure_set_update(
    *, entry: CollaborativeMeasure, actor: User, requirement: str, position: int | None = None
) -> CollaborativeMeasure:
    if requirement not in Requirement.values:
        raise ValidationError({"requirement": "Choose required or optional."})
    entry.requirement = requirement
    if position is not None:
        entry.position = max(0, int(position))
    entry.save(update_fields=["requirement", "position"])
    audit_record(
        actor=actor,
        verb="measure_set.changed",
        target=entry.collaborative,
        data={"measure": str(entry.measure.public_id), "requirement": requirement},
    )
    return entry


@transaction.atomic
def measure_set_remove(*, entry: CollaborativeMeasure, actor: User) -> None:
    """Take a measure out of the set. Values already entered are kept (and come back if
    the measure is added again)."""
    collaborative, measure = entry.collaborative, entry.measure
    entry.delete()
    audit_record(
        actor=actor,
        verb="measure_set.removed",
        target=collaborative,
        data={"measure": str(measure.public_id)},
    )


@transaction.atomic
def periods_generate(
    *,
    collaborative: Collaborative,
    actor: User,
    frequency: str = Frequency.MONTHLY,
    baseline_months: int = 0,
    due_days: int = 15,
) -> int:
    """Create the reporting periods from `baseline_months` before the collaborative's
    start to its end; each is due `due_days` after it ends. Existing periods are kept
    (running it again adds only what is missing). Returns the number created."""
    if not collaborative.start_date or not collaborative.end_date:
        raise ValidationError("Set the collaborative's start and end dates first.")
    if frequency not in Frequency.values:
        raise ValidationError({"frequency": "Choose weekly, monthly or quarterly."})
    if not 0 <= baseline_months <= 36:
        raise ValidationError({"baseline_months": "Give between 0 and 36 baseline months."})
    if not 0 <= due_days <= 90:
        raise ValidationError({"due_days": "Give between 0 and 90 days."})
    first = add_months(collaborative.start_date.replace(day=1), -baseline_months)
    existing = set(
        ReportingPeriod.objects.filter(
            collaborative=collaborative, frequency=frequency
        ).values_list("start", flat=True)
    )
    new = [
        ReportingPeriod(
            program_id=collaborative.program_id,
            collaborative=collaborative,
            frequency=frequency,
            start=start,
            end=end,
            due_date=end + timedelta(days=due_days),
        )
        for start, end in iter_periods(frequency, first, collaborative.end_date)
        if start not in existing
    ]
    ReportingPeriod.objects.bulk_create(new)
    if new:
        # No model signals from bulk_create: every team's latest period may change.
        bulk_data_changed(collaborative_ids=[collaborative.pk])
        audit_record(
            actor=actor,
            verb="reporting_periods.generated",
            target=collaborative,
            data={"frequency": frequency, "created": len(new), "baseline_months": baseline_months},
        )
    return len(new)


@transaction.atomic
def period_update(*, period: ReportingPeriod, actor: User, due_date: date) -> ReportingPeriod:
    if due_date < period.end:
        raise ValidationError({"due_date": "A period is due after it ends."})
    previous = period.due_date
    period.due_date = due_date
    period.save(update_fields=["due_date"])
    audit_record(
        actor=actor,
        verb="reporting_period.due_changed",
        target=period,
        data={"from": str(previous), "to": str(due_date)},
    )
    return period


@transaction.atomic
def period_delete(*, period: ReportingPeriod, actor: User) -> None:
    """Remove a period nobody reported on (one with data is kept: its values matter)."""
    if (
        DataPoint.objects.filter(period=period).exists()
        or Submission.objects.filter(period=period).exists()
    ):
        raise ValidationError(f"Teams have reported on {period.label}: it cannot be removed.")
    collaborative = period.collaborative
    label = period.label
    period.delete()
    audit_record(
        actor=actor, verb="reporting_period.deleted", target=collaborative, data={"period": label}
    )
