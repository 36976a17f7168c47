"""Imports: check an uploaded file into a preview, then commit all of its rows or none.

`import_preview` reads and checks the file (measures.imports) and stores the result as
an ImportBatch: the rows ready to write, or the problems, each with its row and column.
Nothing else is written. `import_commit` checks the stored rows again against the data
as it is now (a period may have been submitted meanwhile) and writes them in one
transaction, in bulk, with a revision for every value that changes. Values that are
already stored as imported write nothing: importing the same file twice changes nothing.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import connection, transaction

from accounts.models import User
from accounts.selectors import is_program_staff
from collaboratives.models import Collaborative
from core import clock
from core.audit import audit_record
from core.bulk_changes import bulk_data_changed
from teams.models import Team, TeamStatus

from ..imports import (
    CheckedRow,
    ImportContext,
    ImportFileError,
    Problem,
    check_rows,
    counts_of,
    read_table,
)
from ..models import (
    HANDED_IN,
    CollaborativeMeasure,
    DataPoint,
    DataPointRevision,
    DataSource,
    ImportBatch,
    ImportStatus,
    ReportingPeriod,
    Requirement,
    RevisionAction,
    Submission,
    TeamMeasure,
)
from ..validation import Entry, value_problems
from ._common import entry_of, revision_for


def team_sets(*, collaborative: Collaborative, teams: Sequence[Team]) -> dict[int, dict]:
    """team id -> {measure id: Measure} of each team's measure set, in two queries."""
    entries = list(
        CollaborativeMeasure.objects.filter(
            program_id=collaborative.program_id, collaborative=collaborative
        ).select_related("measure")
    )
    chosen = defaultdict(dict)
    for tm in TeamMeasure.objects.filter(
        program_id=collaborative.program_id,
        collaborative=collaborative,
        team_id__in=[t.pk for t in teams],
        is_selected=True,
    ).select_related("measure"):
        chosen[tm.team_id][tm.measure_id] = tm.measure
    sets: dict[int, dict] = {}
    for team in teams:
        measures = {}
        for entry in entries:
            if entry.requirement == Requirement.REQUIRED or entry.measure_id in chosen[team.pk]:
                measures[entry.measure_id] = entry.measure
        for measure_id, measure in chosen[team.pk].items():
            if measure.team_id == team.pk:
                measures[measure_id] = measure
        sets[team.pk] = measures
    return sets


def build_context(*, collaborative: Collaborative, team: Team | None, actor: User) -> ImportContext:
    """Everything the rows are checked against, in a fixed number of queries."""
    if team is not None:
        teams = [team]
    else:
        teams = list(
            Team.objects.filter(
                program_id=collaborative.program_id,
                collaborative=collaborative,
                status=TeamStatus.ACTIVE,
            )
        )
    by_name: dict[str, list[Team]] = defaultdict(list)
    for t in teams:
        by_name[t.name.lower()].append(t)
    periods = list(
        ReportingPeriod.objects.filter(
            program_id=collaborative.program_id, collaborative=collaborative
        ).order_by("start")
    )
    period_range = (
        f"{periods[0].label} to {periods[-1].label}" if periods else "no periods are set up yet"
    )
    team_ids = [t.pk for t in teams]
    handed_in = set(
        Submission.objects.filter(
            program_id=collaborative.program_id,
            collaborative=collaborative,
            team_id__in=team_ids,
            status__in=HANDED_IN,
        ).values_list("team_id", "period_id")
    )
    existing = {
        (team_id, measure_id, period_id): Entry(numerator, denominator, value, note)
        for team_id, measure_id, period_id, numerator, denominator, value, note in (
            DataPoint.objects.filter(
                program_id=collaborative.program_id,
                collaborative=collaborative,
                team_id__in=team_ids,
                deleted_at__isnull=True,
            ).values_list(
                "team_id", "measure_id", "period_id", "numerator", "denominator", "value", "note"
            )
        )
    }
    return ImportContext(
        collaborative_title=collaborative.title,
        teams_by_id={str(t.public_id): t for t in teams},
        teams_by_name=dict(by_name),
        team_sets=team_sets(collaborative=collaborative, teams=teams),
        periods={(p.frequency, p.start): p for p in periods},
        period_range=period_range,
        handed_in=handed_in,
        existing=existing,
        today=clock.today(),
        fixed_team=team,
        may_edit_handed_in=is_program_staff(user=actor, program=collaborative.program),
    )


@transaction.atomic
def import_preview(
    *,
    collaborative: Collaborative,
    team: Team | None,
    actor: User,
    file_name: str,
    data: bytes,
) -> ImportBatch:
    """Read and check the file; store the preview (rows or problems). Writes no values."""
    file_format = "xlsx" if data[:4] == b"PK\x03\x04" else "csv"
    problems: list[Problem] = []
    rows: list[CheckedRow] = []
    try:
        table = read_table(file_name, data)
    except ImportFileError as error:
        problems = [Problem(None, "", str(error))]
    else:
        context = build_context(collaborative=collaborative, team=team, actor=actor)
        rows, problems = check_rows(table, context)
    batch = ImportBatch.objects.create(
        program_id=collaborative.program_id,
        collaborative=collaborative,
        team=team,
        file_name=(file_name or "upload")[:255],
        file_format=file_format,
        file_size=len(data),
        file_sha256=hashlib.sha256(data).hexdigest(),
        rows=[] if problems else [r.as_dict() for r in rows],
        problems=[p.as_dict() for p in problems],
        counts=counts_of(rows) if not problems else {},
        uploaded_by=actor,
    )
    audit_record(
        actor=actor,
        verb="import.previewed",
        target=batch,
        data={"problems": len(problems), **batch.counts},
    )
    return batch


def earlier_identical_import(batch: ImportBatch) -> ImportBatch | None:
    """A committed import of the same file into the same place, if any."""
    return (
        ImportBatch.objects.filter(
            program_id=batch.program_id,
            collaborative_id=batch.collaborative_id,
            team_id=batch.team_id,
            file_sha256=batch.file_sha256,
            status=ImportStatus.COMMITTED,
        )
        .exclude(pk=batch.pk)
        .select_related("uploaded_by")
        .order_by("-committed_at")
        .first()
    )


#: An import's changed values in one statement per chunk (PostgreSQL): the numbers
#: vary per row and come as arrays; the source, author and time are the same for all.
_UPDATE_VALUES_SQL = """
UPDATE measures_datapoint AS d
   SET numerator = v.numerator, denominator = v.denominator, value = v.value, note = v.note,
       source = %s, entered_by_id = %s, updated_at = %s, deleted_at = NULL, deleted_by_id = NULL
  FROM unnest(%s::bigint[], %s::numeric[], %s::numeric[], %s::numeric[], %s::text[])
       AS v(id, numerator, denominator, value, note)
 WHERE d.id = v.id AND d.program_id = %s
"""
_UPDATED_FIELDS = [
    "numerator",
    "denominator",
    "value",
    "note",
    "source",
    "entered_by",
    "deleted_at",
    "deleted_by",
    "updated_at",
]


def _write_updates(points: list[DataPoint], *, actor: User, now) -> None:
    """Store `points` (their new values already set on the objects).

    Django's bulk_update builds a CASE expression per column and row: for an import of
    20,000 values that is tens of seconds of Python. On PostgreSQL one UPDATE ... FROM
    unnest(arrays) per 5,000 rows does it; other databases (the SQLite demo) keep
    bulk_update.
    """
    if not points:
        return
    if connection.vendor != "postgresql":
        DataPoint.objects.bulk_update(points, _UPDATED_FIELDS, batch_size=500)
        return
    with connection.cursor() as cursor:
        for start in range(0, len(points), 5000):
            chunk = points[start : start + 5000]
            cursor.execute(
                _UPDATE_VALUES_SQL,
                [
                    DataSource.IMPORT,
                    actor.pk,
                    now,
                    [p.pk for p in chunk],
                    [p.numerator for p in chunk],
                    [p.denominator for p in chunk],
                    [p.value for p in chunk],
                    [p.note for p in chunk],
                    chunk[0].program_id,
                ],
            )


@transaction.atomic
def import_commit(*, batch: ImportBatch, actor: User) -> dict[str, int]:
    """Write every row of a checked preview, or none: the rows are checked again first.

    Returns the counts of values created, updated and left unchanged.
    """
    locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.status != ImportStatus.PREVIEW:
        raise ValidationError("This import was already imported or discarded.")
    if locked.problems or not locked.rows:
        raise ValidationError("Fix the problems in the file and upload it again.")
    collaborative = locked.collaborative
    team = locked.team
    context = build_context(collaborative=collaborative, team=team, actor=actor)
    teams = {t.pk: t for t in context.teams_by_id.values()}
    periods = {p.pk: p for p in context.periods.values()}
    rows = [CheckedRow(**row) for row in locked.rows]

    # Check again: the world may have moved since the preview.
    problems: list[str] = []
    for row in rows:
        t = teams.get(row.team_id)
        measure = context.team_sets.get(row.team_id, {}).get(row.measure_id)
        period = periods.get(row.period_id)
        if t is None or measure is None or period is None:
            problems.append(f"Row {row.row}: the team, measure or period no longer applies.")
            continue
        if (t.pk, period.pk) in context.handed_in and not context.may_edit_handed_in:
            problems.append(f"Row {row.row}: {period.label} was submitted in the meantime.")
        for message in value_problems(measure, row.entry()).values():
            problems.append(f"Row {row.row}: {message}")
    if problems:
        raise ValidationError(problems[:50])

    keys = [(r.team_id, r.measure_id, r.period_id) for r in rows]
    existing = {
        (p.team_id, p.measure_id, p.period_id): p
        for p in DataPoint.objects.select_for_update().filter(
            program_id=collaborative.program_id,
            collaborative=collaborative,
            team_id__in={k[0] for k in keys},
            measure_id__in={k[1] for k in keys},
            period_id__in={k[2] for k in keys},
        )
    }
    now = clock.now()
    to_create: list[DataPoint] = []
    to_update: list[tuple[DataPoint, Entry, str]] = []
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for row in rows:
        entry = row.entry()
        point = existing.get((row.team_id, row.measure_id, row.period_id))
        if point is None:
            to_create.append(
                DataPoint(
                    program_id=collaborative.program_id,
                    collaborative=collaborative,
                    team_id=row.team_id,
                    measure_id=row.measure_id,
                    period_id=row.period_id,
                    numerator=entry.numerator,
                    denominator=entry.denominator,
                    value=entry.value,
                    note=entry.note,
                    source=DataSource.IMPORT,
                    entered_by=actor,
                )
            )
            continue
        before = entry_of(point)  # nothing when the value was deleted
        if point.deleted_at is None and before.same_as(entry):
            counts["unchanged"] += 1
            continue
        action = RevisionAction.UPDATED if point.deleted_at is None else RevisionAction.RESTORED
        to_update.append((point, before, action))
        point.numerator, point.denominator = entry.numerator, entry.denominator
        point.value, point.note = entry.value, entry.note
        point.source, point.entered_by = DataSource.IMPORT, actor
        point.deleted_at, point.deleted_by = None, None
        point.updated_at = now
    created = DataPoint.objects.bulk_create(to_create)
    _write_updates([p for p, _, _ in to_update], actor=actor, now=now)

    def revision(point: DataPoint, action: str, before: Entry) -> DataPointRevision:
        return revision_for(point, action, before, entry_of(point), actor, DataSource.IMPORT)

    DataPointRevision.objects.bulk_create(
        [revision(p, RevisionAction.CREATED, Entry()) for p in created]
        + [revision(p, action, before) for p, before, action in to_update],
        batch_size=1000,
    )
    pairs = {(p.team_id, p.period_id) for p in created}
    Submission.objects.bulk_create(
        [
            Submission(
                program_id=collaborative.program_id,
                collaborative=collaborative,
                team_id=team_id,
                period_id=period_id,
                updated_by=actor,
            )
            for team_id, period_id in pairs
        ],
        ignore_conflicts=True,
    )
    counts["created"], counts["updated"] = len(created), len(to_update)
    # bulk_create and the UPDATE ... FROM unnest send no model signals: say which
    # teams' data changed, for the caches that follow them (dashboards).
    bulk_data_changed(team_ids={p.team_id for p in created} | {p.team_id for p, _, _ in to_update})
    locked.status = ImportStatus.COMMITTED
    locked.committed_at = now
    locked.counts = {**locked.counts, **counts}
    locked.save(update_fields=["status", "committed_at", "counts"])
    audit_record(actor=actor, verb="import.committed", target=locked, data=counts)
    batch.status, batch.counts, batch.committed_at = locked.status, locked.counts, now
    return counts


@transaction.atomic
def import_discard(*, batch: ImportBatch, actor: User) -> None:
    locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.status != ImportStatus.PREVIEW:
        return
    locked.status = ImportStatus.DISCARDED
    locked.rows = []
    locked.save(update_fields=["status", "rows"])
    audit_record(actor=actor, verb="import.discarded", target=locked)
