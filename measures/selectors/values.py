"""A team's stored values: the period's data points, their history, deleted values,
imports, and a value in words.

Every read filters by the team's program as well as the team, and leaves soft-deleted
values out unless it is asked for them (staff restore those).
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from django.db.models import QuerySet

from collaboratives.models import Collaborative
from teams.models import Team

from ..display import value_words
from ..models import DataPoint, DataPointRevision, ImportBatch, Measure, ReportingPeriod


def point_words(point: DataPoint | None, measure: Measure | None = None) -> str:
    """A stored value in words: "19 of 25 (76%)", "3.2 per 1,000 (8 of 2,500)", "187 minutes".

    Pass `measure` when the point was read without it (saves a query per point)."""
    if point is None:
        return ""
    measure = measure or point.measure
    words = value_words(measure, point.numerator, point.denominator, point.value)
    return words or (point.note and "no value (see the note)")


def period_data_points(
    *, team: Team, period: ReportingPeriod, include_deleted: bool = False
) -> dict[int, DataPoint]:
    """measure id -> the team's data point of the period."""
    points = DataPoint.objects.filter(
        program_id=team.program_id, team=team, period=period
    ).select_related("measure")
    if not include_deleted:
        points = points.filter(deleted_at__isnull=True)
    return {p.measure_id: p for p in points}


def team_points_of(*, team: Team, measures: Iterable[Measure]) -> dict[int, dict[int, DataPoint]]:
    """measure id -> period id -> the team's current data point, for every period of
    `measures`, in one query whatever their number (the coach's review page)."""
    points: dict[int, dict[int, DataPoint]] = {m.pk: {} for m in measures}
    for point in DataPoint.objects.filter(
        program_id=team.program_id,
        team=team,
        measure_id__in=list(points),
        deleted_at__isnull=True,
    ):
        points[point.measure_id][point.period_id] = point
    return points


def data_point_get(*, team: Team, data_point_id: UUID | str) -> DataPoint:
    return DataPoint.objects.select_related("measure", "period").get(
        program_id=team.program_id, team=team, public_id=data_point_id
    )


def data_points_of_team(*, team: Team) -> QuerySet[DataPoint]:
    """The team's current (not deleted) data points, for lists and the API."""
    return (
        DataPoint.objects.filter(program_id=team.program_id, team=team, deleted_at__isnull=True)
        .select_related("measure", "period", "entered_by")
        .order_by("period__start", "measure__code", "measure__name")
    )


def current_data_points(*, team: Team, measure: Measure) -> list[DataPoint]:
    """The team's current values of one measure, newest period first."""
    return list(
        DataPoint.objects.filter(
            program_id=team.program_id, team=team, measure=measure, deleted_at__isnull=True
        )
        .select_related("period", "entered_by")
        .order_by("-period__start")
    )


def measure_history(*, team: Team, measure: Measure) -> list[DataPointRevision]:
    """Every change of the team's values of one measure, newest first."""
    return list(
        DataPointRevision.objects.filter(
            program_id=team.program_id, team=team, data_point__measure=measure
        )
        .select_related("changed_by", "data_point__period")
        .order_by("-changed_at", "-id")
    )


def deleted_data_points(*, team: Team, measure: Measure | None = None) -> list[DataPoint]:
    points = DataPoint.objects.filter(
        program_id=team.program_id, team=team, deleted_at__isnull=False
    )
    if measure is not None:
        points = points.filter(measure=measure)
    return list(points.select_related("period", "measure", "deleted_by").order_by("period__start"))


def import_batch_get(
    *, collaborative: Collaborative, team: Team | None, import_id: UUID | str
) -> ImportBatch:
    return ImportBatch.objects.get(
        program_id=collaborative.program_id,
        collaborative=collaborative,
        team=team,
        public_id=import_id,
    )
