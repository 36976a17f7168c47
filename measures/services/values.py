"""One value at a time: enter, change, delete (softly) and restore a team's data point.

The API enters values one by one; the period grid saves many at once through
`measures.services.submissions.period_save`. Both refuse a period that has not started
or belongs to another frequency, and a period the team has handed in (staff may still
correct it). Deleting is a soft delete with a revision; staff restore it.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from core import clock
from core.audit import audit_record
from teams.models import Team

from ..models import (
    DataPoint,
    DataSource,
    Measure,
    ReportingPeriod,
    RevisionAction,
    Submission,
)
from ..periods import has_started, not_started_message
from ..validation import Entry, value_problems
from ._common import entry_of, lock_submission, refuse_if_handed_in, revision_for, write_entry


def period_problem(
    *, team: Team, period: ReportingPeriod, measure: Measure, today: date | None = None
) -> str | None:
    """Why values of `measure` cannot be entered for `period` (None when they can)."""
    today = today or clock.today()
    if period.collaborative_id != team.collaborative_id:
        return f"{period.label} is not a reporting period of {team.collaborative.title}."
    if period.frequency != measure.frequency:
        return (
            f"{measure.short_name} is reported {measure.get_frequency_display().lower()}, "
            f"not in {period.label}'s periods."
        )
    if not has_started(period, today):
        return not_started_message(period)
    return None


@transaction.atomic
def data_point_upsert(
    *,
    team: Team,
    measure: Measure,
    period: ReportingPeriod,
    entry: Entry,
    actor: User,
    source: str = DataSource.API,
) -> DataPoint | None:
    """Enter or change one value (API). A blank entry deletes (softly) the value."""
    problem = period_problem(team=team, period=period, measure=measure)
    if problem:
        raise ValidationError({"period": problem})
    problems = value_problems(measure, entry)
    if problems:
        raise ValidationError(problems)
    submission = lock_submission(team, period)
    refuse_if_handed_in(submission, period, actor, team)
    existing = (
        DataPoint.objects.select_for_update()
        .filter(team=team, measure=measure, period=period)
        .first()
    )
    point, revision = write_entry(
        team=team,
        measure=measure,
        period=period,
        existing=existing,
        entry=entry,
        actor=actor,
        source=source,
    )
    if revision is not None:
        revision.save()
        if submission is None:
            Submission.objects.create(
                program_id=team.program_id,
                collaborative_id=team.collaborative_id,
                team=team,
                period=period,
                updated_by=actor,
            )
        audit_record(
            actor=actor,
            verb=f"data_point.{revision.action}",
            target=point,
            data={"measure": str(measure.public_id), "period": str(period.start)},
        )
    return point


@transaction.atomic
def data_point_delete(*, data_point: DataPoint, actor: User) -> DataPoint:
    """Soft delete: the value leaves the charts; staff can restore it."""
    locked = DataPoint.objects.select_for_update().get(pk=data_point.pk)
    if locked.deleted_at is not None:
        return locked
    submission = lock_submission(locked.team, locked.period)
    refuse_if_handed_in(submission, locked.period, actor, locked.team)
    before = entry_of(locked)
    locked.deleted_at = clock.now()
    locked.deleted_by = actor
    locked.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    revision_for(locked, RevisionAction.DELETED, before, Entry(), actor, DataSource.ENTRY).save()
    audit_record(
        actor=actor,
        verb="data_point.deleted",
        target=locked,
        data={"period": str(locked.period.start), "measure": str(locked.measure.public_id)},
    )
    return locked


@transaction.atomic
def data_point_restore(*, data_point: DataPoint, actor: User) -> DataPoint:
    """Undo a soft delete (staff)."""
    locked = DataPoint.objects.select_for_update().get(pk=data_point.pk)
    if locked.deleted_at is None:
        return locked
    locked.deleted_at = None
    locked.deleted_by = None
    locked.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    revision_for(
        locked, RevisionAction.RESTORED, Entry(), entry_of(locked), actor, DataSource.ENTRY
    ).save()
    audit_record(
        actor=actor,
        verb="data_point.restored",
        target=locked,
        data={"period": str(locked.period.start), "measure": str(locked.measure.public_id)},
    )
    return locked
