"""A team's stored values: the period's data points, their history, deleted values,
imports, and a value in words.

Every read filters by the team's program as well as the team, and leaves soft-deleted
values out unless it is asked for them (staff restore those).
"""

from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet

from collaboratives.models import Collaborative
from teams.models import Team

from ..models import DataKind, DataPoint, DataPointRevision, ImportBatch, Measure, ReportingPeriod


def point_words(point: DataPoint | None) -> str:
    """A stored value in words: "19 of 25 (76%)", "3.2 per 1,000 (8 of 2,500)", "187 minutes"."""
    if point is None:
        return ""
    measure = point.measure

    def plain(number) -> str:
        text = format(number.normalize(), "f")
        return f"{int(number):,}" if number == number.to_integral_value() else text

    if measure.is_ratio:
        if point.numerator is None or point.denominator is None:
            return point.note and "no value (see the note)"
        ratio = float(point.numerator) / float(point.denominator) * measure.chart_multiplier
        shown = f"{ratio:.1f}".rstrip("0").rstrip(".")
        fraction = f"{plain(point.numerator)} of {plain(point.denominator)}"
        if measure.data_kind == DataKind.PROPORTION:
            return f"{fraction} ({shown}%)"
        return f"{shown} {measure.display_unit} ({fraction})"
    if point.value is None:
        return point.note and "no value (see the note)"
    return f"{plain(point.value)} {measure.unit}".strip()


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
