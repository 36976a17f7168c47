"""What the services that write values share: one value's change and its revision, the
period's lock, and the rule that closes a handed-in period to the team.

Every change of a value goes through `write_entry` (or, for imports, in bulk with the
same `entry_of` and `revision_for`), so the history has the same shape whatever wrote it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from accounts.models import User
from accounts.selectors import is_program_staff
from core import clock
from teams.models import Team

from ..models import (
    HANDED_IN,
    DataPoint,
    DataPointRevision,
    Measure,
    ReportingPeriod,
    RevisionAction,
    Submission,
    SubmissionStatus,
)
from ..validation import Entry


def entry_of(point: DataPoint | None) -> Entry:
    if point is None or point.deleted_at is not None:
        return Entry()
    return Entry(point.numerator, point.denominator, point.value, point.note)


def revision_for(
    point: DataPoint, action: str, before: Entry, after: Entry, actor: User | None, source: str
) -> DataPointRevision:
    return DataPointRevision(
        program_id=point.program_id,
        team_id=point.team_id,
        data_point=point,
        action=action,
        source=source,
        changed_by=actor if getattr(actor, "is_authenticated", False) else None,
        old_numerator=before.numerator,
        old_denominator=before.denominator,
        old_value=before.value,
        old_note=before.note or "",
        new_numerator=after.numerator,
        new_denominator=after.denominator,
        new_value=after.value,
        new_note=after.note or "",
    )


def write_entry(
    *,
    team: Team,
    measure: Measure,
    period: ReportingPeriod,
    existing: DataPoint | None,
    entry: Entry,
    actor: User,
    source: str,
) -> tuple[DataPoint | None, DataPointRevision | None]:
    """Apply one entry to one (possibly missing or deleted) data point; nothing when it
    does not change anything."""
    before = entry_of(existing)
    if entry.is_blank and not entry.note:
        if existing is None or existing.deleted_at is not None:
            return existing, None
        existing.deleted_at = clock.now()
        existing.deleted_by = actor
        existing.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
        return existing, revision_for(
            existing, RevisionAction.DELETED, before, Entry(), actor, source
        )
    if existing is not None and existing.deleted_at is None and before.same_as(entry):
        return existing, None
    if existing is None:
        point = DataPoint.objects.create(
            program_id=team.program_id,
            collaborative_id=team.collaborative_id,
            team=team,
            measure=measure,
            period=period,
            numerator=entry.numerator,
            denominator=entry.denominator,
            value=entry.value,
            note=entry.note or "",
            source=source,
            entered_by=actor,
        )
        return point, revision_for(point, RevisionAction.CREATED, before, entry, actor, source)
    action = RevisionAction.UPDATED if existing.deleted_at is None else RevisionAction.RESTORED
    existing.numerator, existing.denominator = entry.numerator, entry.denominator
    existing.value, existing.note = entry.value, entry.note or ""
    existing.source, existing.entered_by = source, actor
    existing.deleted_at, existing.deleted_by = None, None
    existing.save()
    return existing, revision_for(existing, action, before, entry, actor, source)


def lock_submission(team: Team, period: ReportingPeriod) -> Submission | None:
    return Submission.objects.select_for_update().filter(team=team, period=period).first()


def refuse_if_handed_in(
    submission: Submission | None, period: ReportingPeriod, actor: User, team: Team
) -> None:
    if (
        submission is not None
        and submission.status in HANDED_IN
        and not is_program_staff(user=actor, program=team.program)
    ):
        word = "reviewed" if submission.status == SubmissionStatus.REVIEWED else "submitted"
        raise ValidationError(
            f"{period.label} is already {word}. Ask your coach to return it if a value "
            "needs to change."
        )
