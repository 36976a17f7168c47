"""Scoped reads of measures, periods, data, submissions and the series behind the charts.

Visibility follows the team (teams.selectors.teams_visible_to): a team's own data is
seen by its members, its assigned coaches and the program's staff. Views find the team
(or collaborative) first through the user's selectors, answering 404 when it is not
visible, and then read its rows through the functions here, which always filter by the
program too. `teams.selectors.team_access` says who may change what (403 for the rest).

Collaborative views show aggregates to everyone who sees the collaborative, and each
team's own series only to those who see that team (`teams_visible_to`).

Query counts do not grow with the number of teams, measures or periods: the pooled
chart and the per-team summaries read all the data they need in one query each and
analyse it in Python (see tests/measures/test_query_counts.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Avg, Count, FloatField, Q, QuerySet, Sum
from django.db.models.functions import Cast, Length

from accounts.models import User
from accounts.selectors import (
    coach_program_ids,
    is_program_staff,
    staff_or_coach_program_ids,
    staff_program_ids,
)
from collaboratives.models import Collaborative
from collaboratives.selectors import collaboratives_visible_to
from core import clock
from teams.models import Team, TeamStatus
from teams.selectors import teams_coached_by, teams_visible_to

from .models import (
    HANDED_IN,
    BenchmarkConsent,
    CollaborativeMeasure,
    DataKind,
    DataPoint,
    DataPointRevision,
    ImportBatch,
    Measure,
    ReportingPeriod,
    Requirement,
    Submission,
    SubmissionStatus,
    TeamMeasure,
)
from .periods import has_started, started_periods

# --- who may do what ------------------------------------------------------------------


def collaborative_for(*, user: User, collaborative_id) -> Collaborative:
    """A collaborative `user` may see, or Collaborative.DoesNotExist (a 404)."""
    return collaboratives_visible_to(user=user).get(public_id=collaborative_id)


@dataclass(frozen=True)
class CollaborativeAccess:
    """What one person may see and do in a collaborative's measures."""

    is_staff: bool
    is_coach: bool

    @property
    def can_manage(self) -> bool:
        """Measure set, periods, whole-collaborative imports: program staff."""
        return self.is_staff

    @property
    def can_see_status(self) -> bool:
        """Late and missing submissions: staff and coaches."""
        return self.is_staff or self.is_coach


def collaborative_access(*, user: User, collaborative: Collaborative) -> CollaborativeAccess:
    return CollaborativeAccess(
        is_staff=is_program_staff(user=user, program=collaborative.program),
        is_coach=collaborative.program_id in coach_program_ids(user=user),
    )


def collaborative_teams_for(*, user: User, collaborative: Collaborative) -> list[Team]:
    """Active teams of the collaborative whose own records `user` may read (one query)."""
    return list(
        teams_visible_to(user=user)
        .filter(collaborative=collaborative, status=TeamStatus.ACTIVE)
        .order_by("name")
    )


# --- definitions ------------------------------------------------------------------------


def measures_visible_to(*, user: User) -> QuerySet[Measure]:
    """Definitions the user may read: the library of programs they work in (staff,
    coaches), the measure sets of their collaboratives, and their teams' own measures."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Measure.objects.none()
    program_ids = staff_or_coach_program_ids(user=user)
    condition = Q(set_entries__collaborative__in=collaboratives_visible_to(user=user)) | Q(
        team__in=teams_visible_to(user=user)
    )
    if program_ids:
        condition |= Q(team__isnull=True, program_id__in=program_ids)
    ids = Measure.objects.filter(condition).values("pk")
    return Measure.objects.filter(pk__in=ids).select_related("program")


def library_of(*, program_ids: Iterable[int], include_inactive: bool = True) -> QuerySet[Measure]:
    """Library measures of the programs (no custom team measures)."""
    measures = Measure.objects.filter(program_id__in=list(program_ids), team__isnull=True)
    if not include_inactive:
        measures = measures.filter(is_active=True)
    # M2 before M10: shorter codes first, then alphabetical
    return measures.select_related("program").order_by(
        "program__name", Length("code"), "code", "name"
    )


def library_measure_for(*, user: User, measure_id) -> Measure:
    """A library measure of a program where the user is staff or coach (else DoesNotExist)."""
    program_ids = staff_or_coach_program_ids(user=user)
    return (
        Measure.objects.filter(team__isnull=True, program_id__in=program_ids)
        .select_related("program")
        .get(public_id=measure_id)
    )


def measure_set_of(*, collaborative: Collaborative) -> list[CollaborativeMeasure]:
    """The collaborative's measure set, in order (one query)."""
    return list(
        CollaborativeMeasure.objects.filter(
            program_id=collaborative.program_id, collaborative=collaborative
        )
        .select_related("measure")
        .order_by("position", "measure__code", "measure__name")
    )


def measure_in_set(*, collaborative: Collaborative, measure_id) -> CollaborativeMeasure:
    return (
        CollaborativeMeasure.objects.filter(
            program_id=collaborative.program_id, collaborative=collaborative
        )
        .select_related("measure")
        .get(measure__public_id=measure_id)
    )


@dataclass
class TeamMeasureRow:
    """A measure the team reports, why (required, optional, custom) and its chart settings."""

    measure: Measure
    requirement: str
    settings: TeamMeasure | None = None

    @property
    def requirement_label(self) -> str:
        return {"required": "Required", "optional": "Optional", "custom": "Our own"}[
            self.requirement
        ]


def team_measure_rows(*, team: Team, include_unselected: bool = False) -> list[TeamMeasureRow]:
    """The team's measure set: the collaborative's required measures, the optional ones the
    team selected and the team's own measures (two queries).

    With `include_unselected`, optional and own measures the team did not select come too
    (for the page where the team chooses).
    """
    settings = {
        tm.measure_id: tm
        for tm in TeamMeasure.objects.filter(program_id=team.program_id, team=team).select_related(
            "measure"
        )
    }
    rows: list[TeamMeasureRow] = []
    for entry in measure_set_of(collaborative=team.collaborative):
        tm = settings.get(entry.measure_id)
        if entry.requirement == Requirement.REQUIRED:
            rows.append(TeamMeasureRow(entry.measure, "required", tm))
        elif include_unselected or (tm is not None and tm.is_selected):
            rows.append(TeamMeasureRow(entry.measure, "optional", tm))
    for tm in settings.values():
        if tm.measure.team_id == team.pk and (include_unselected or tm.is_selected):
            rows.append(TeamMeasureRow(tm.measure, "custom", tm))
    return rows


def team_measure_get(*, team: Team, measure_id) -> TeamMeasureRow:
    """One measure the team may report (its set, or an optional or own measure it has not
    selected: collaborative pages link to those too), or Measure.DoesNotExist (a 404)."""
    for row in team_measure_rows(team=team, include_unselected=True):
        if str(row.measure.public_id) == str(measure_id):
            return row
    raise Measure.DoesNotExist


def custom_measures_of(*, team: Team) -> QuerySet[Measure]:
    return Measure.objects.filter(program_id=team.program_id, team=team).order_by("name")


# --- periods and submissions --------------------------------------------------------------


def periods_of(
    *, collaborative: Collaborative, frequency: str | None = None
) -> list[ReportingPeriod]:
    periods = ReportingPeriod.objects.filter(
        program_id=collaborative.program_id, collaborative=collaborative
    )
    if frequency:
        periods = periods.filter(frequency=frequency)
    return list(periods.order_by("start", "frequency"))


def period_get(*, collaborative: Collaborative, period_id) -> ReportingPeriod:
    return ReportingPeriod.objects.get(
        program_id=collaborative.program_id, collaborative=collaborative, public_id=period_id
    )


@dataclass
class PeriodStatus:
    """A period as the team (or its coach) sees it: status in words, late or not."""

    period: ReportingPeriod
    submission: Submission | None
    today: date

    @property
    def status(self) -> str:
        return self.submission.status if self.submission else SubmissionStatus.NOT_STARTED

    @property
    def status_label(self) -> str:
        return SubmissionStatus(self.status).label

    @property
    def is_handed_in(self) -> bool:
        return self.status in HANDED_IN

    @property
    def is_open(self) -> bool:
        """Started, so data can be entered."""
        return has_started(self.period, self.today)

    @property
    def is_late(self) -> bool:
        return not self.is_handed_in and self.period.due_date < self.today

    @property
    def tag(self) -> str:
        """The status tag's colour class: late beats the status."""
        return "late" if self.is_late else self.status


def team_period_statuses(
    *, team: Team, today: date | None = None, frequencies: Sequence[str] | None = None
) -> list[PeriodStatus]:
    """Every period of the team's collaborative with the team's status (two queries)."""
    today = today or clock.today()
    periods = periods_of(collaborative=team.collaborative)
    if frequencies is not None:
        periods = [p for p in periods if p.frequency in frequencies]
    submissions = {
        s.period_id: s
        for s in Submission.objects.filter(program_id=team.program_id, team=team).select_related(
            "submitted_by", "reviewed_by"
        )
    }
    return [PeriodStatus(p, submissions.get(p.pk), today) for p in periods]


def oldest_open_period(statuses: Sequence[PeriodStatus]) -> PeriodStatus | None:
    """Where entry opens: the oldest started period the team has not handed in."""
    for status in statuses:
        if status.is_open and not status.is_handed_in:
            return status
    return None


def previous_period(*, period: ReportingPeriod) -> ReportingPeriod | None:
    """The period of the same frequency just before `period`."""
    return (
        ReportingPeriod.objects.filter(
            program_id=period.program_id,
            collaborative_id=period.collaborative_id,
            frequency=period.frequency,
            start__lt=period.start,
        )
        .order_by("-start")
        .first()
    )


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


def submission_of(*, team: Team, period: ReportingPeriod) -> Submission | None:
    return (
        Submission.objects.filter(program_id=team.program_id, team=team, period=period)
        .select_related("submitted_by", "reviewed_by")
        .first()
    )


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


def data_point_get(*, team: Team, data_point_id) -> DataPoint:
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


def submissions_of_team(*, team: Team) -> QuerySet[Submission]:
    return (
        Submission.objects.filter(program_id=team.program_id, team=team)
        .select_related("period", "submitted_by", "reviewed_by", "team")
        .order_by("period__start")
    )


def reviews_waiting_for(*, user: User) -> list[Submission]:
    """Submitted periods waiting for review: of the coach's teams, and for staff of every
    team of their programs."""
    staff_ids = staff_program_ids(user=user)
    condition = Q(team__in=teams_coached_by(user=user).values("pk"))
    if staff_ids:
        condition |= Q(program_id__in=staff_ids)
    return list(
        Submission.objects.filter(condition, status=SubmissionStatus.SUBMITTED)
        .select_related("team", "team__collaborative", "period", "submitted_by")
        .order_by("submitted_at")[:200]
    )


@dataclass
class StatusGrid:
    """Teams x periods of a collaborative, with each cell's status."""

    periods: list[ReportingPeriod]
    rows: list[tuple[Team, list[PeriodStatus]]]

    @property
    def late_count(self) -> int:
        return sum(1 for _, cells in self.rows for cell in cells if cell.is_late)


def submission_grid(
    *,
    collaborative: Collaborative,
    teams: Sequence[Team],
    today: date | None = None,
    newest_first: bool = False,
    limit: int | None = None,
) -> StatusGrid:
    """Submission status of `teams` for every started period, or the `limit` latest
    (two queries)."""
    today = today or clock.today()
    periods = started_periods(periods_of(collaborative=collaborative), today)
    if limit is not None:
        periods = periods[-limit:]
    if newest_first:
        periods = list(reversed(periods))
    submissions = {
        (s.team_id, s.period_id): s
        for s in Submission.objects.filter(
            program_id=collaborative.program_id,
            collaborative=collaborative,
            team__in=[t.pk for t in teams],
        )
    }
    rows = [
        (team, [PeriodStatus(p, submissions.get((team.pk, p.pk)), today) for p in periods])
        for team in teams
    ]
    return StatusGrid(periods=periods, rows=rows)


def import_batch_get(*, collaborative: Collaborative, team: Team | None, import_id) -> ImportBatch:
    return ImportBatch.objects.get(
        program_id=collaborative.program_id,
        collaborative=collaborative,
        team=team,
        public_id=import_id,
    )


def benchmark_named_team_ids(*, collaborative: Collaborative) -> set[int]:
    """Teams of the collaborative that chose to be named to other teams."""
    return set(
        BenchmarkConsent.objects.filter(
            program_id=collaborative.program_id,
            team__collaborative=collaborative,
            show_name=True,
        ).values_list("team_id", flat=True)
    )


def benchmark_consent_of(*, team: Team) -> bool:
    return BenchmarkConsent.objects.filter(
        program_id=team.program_id, team=team, show_name=True
    ).exists()


# --- series -----------------------------------------------------------------------------


@dataclass
class Series:
    """One measure over time, as the chart and the engine need it.

    Values are floats (None when missing); `numerators`/`denominators` for ratio
    measures, `values` for the others. `period_ids` and `notes` stay aligned.
    """

    measure: Measure
    labels: list[object] = field(default_factory=list)
    starts: list[date] = field(default_factory=list)
    numerators: list[float | None] = field(default_factory=list)
    denominators: list[float | None] = field(default_factory=list)
    values: list[float | None] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    reporting: list[int] = field(default_factory=list)
    period_ids: list[object] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.starts)

    @property
    def n_values(self) -> int:
        if self.measure.is_ratio:
            return sum(1 for d in self.denominators if d is not None)
        return sum(1 for v in self.values if v is not None)

    def has_value(self, i: int) -> bool:
        if self.measure.is_ratio:
            return self.denominators[i] is not None and self.numerators[i] is not None
        return self.values[i] is not None

    def display_value(self, i: int) -> float | None:
        """The value as charted (percent, per 1,000, or as entered)."""
        if not self.has_value(i):
            return None
        if self.measure.is_ratio:
            return self.numerators[i] / self.denominators[i] * self.measure.chart_multiplier
        return self.values[i]

    def trimmed(self) -> Series:
        """Without the empty periods before the first value and after the last one."""
        filled = [i for i in range(len(self)) if self.has_value(i)]
        if not filled:
            return Series(measure=self.measure)
        lo, hi = filled[0], filled[-1] + 1
        return Series(
            measure=self.measure,
            labels=self.labels[lo:hi],
            starts=self.starts[lo:hi],
            numerators=self.numerators[lo:hi],
            denominators=self.denominators[lo:hi],
            values=self.values[lo:hi],
            notes=self.notes[lo:hi],
            reporting=self.reporting[lo:hi],
            period_ids=self.period_ids[lo:hi],
        )


def _started(periods: Iterable[ReportingPeriod], frequency: str, today: date):
    return [p for p in started_periods(periods, today) if p.frequency == frequency]


_NO_POINT = (None, None, None, "")


@dataclass(frozen=True)
class PeriodAxis:
    """The x axis of a series: the periods' ids, labels, starts and public ids, computed
    once and shared by every series drawn over the same periods."""

    pks: tuple
    labels: tuple
    starts: tuple
    public_ids: tuple

    @classmethod
    def of(cls, periods: Sequence[ReportingPeriod]) -> PeriodAxis:
        return cls(
            pks=tuple(p.pk for p in periods),
            labels=tuple(p.start if p.frequency != "quarterly" else p.label for p in periods),
            starts=tuple(p.start for p in periods),
            public_ids=tuple(p.public_id for p in periods),
        )


def series_from_points(
    measure: Measure,
    periods: Sequence[ReportingPeriod] | PeriodAxis,
    points: dict[int, tuple] | None,
) -> Series:
    """Align `points` (period id -> (numerator, denominator, value, note)) to `periods`."""
    axis = periods if isinstance(periods, PeriodAxis) else PeriodAxis.of(periods)
    get = (points or {}).get
    rows = [get(pk, _NO_POINT) for pk in axis.pks]
    return Series(
        measure=measure,
        labels=list(axis.labels),
        starts=list(axis.starts),
        numerators=[None if r[0] is None else float(r[0]) for r in rows],
        denominators=[None if r[1] is None else float(r[1]) for r in rows],
        values=[None if r[2] is None else float(r[2]) for r in rows],
        notes=[r[3] or "" for r in rows],
        reporting=[0 if r[1] is None and r[2] is None else 1 for r in rows],
        period_ids=list(axis.public_ids),
    )


def team_series(*, team: Team, measure: Measure, today: date | None = None, periods=None) -> Series:
    """The team's values of `measure` for every started period of its frequency (two
    queries, one when `periods` are given)."""
    today = today or clock.today()
    if periods is None:
        periods = periods_of(collaborative=team.collaborative, frequency=measure.frequency)
    periods = _started(periods, measure.frequency, today)
    points = {
        period_id: (num, den, value, note)
        for period_id, num, den, value, note in DataPoint.objects.filter(
            program_id=team.program_id, team=team, measure=measure, deleted_at__isnull=True
        ).values_list("period_id", "numerator", "denominator", "value", "note")
    }
    return series_from_points(measure, periods, points)


def pooled_series(
    *,
    collaborative: Collaborative,
    measure: Measure,
    today: date | None = None,
) -> Series:
    """The collaborative's pooled series of one measure (see `pooled_series_many`)."""
    return pooled_series_many(collaborative=collaborative, measures=[measure], today=today)[
        measure.pk
    ]


def pooled_series_many(
    *,
    collaborative: Collaborative,
    measures: Sequence[Measure],
    today: date | None = None,
) -> dict[int, Series]:
    """measure id -> the collaborative's pooled series, in two queries whatever the number
    of teams and measures: ratio measures sum the numerators over the sum of the
    denominators; counts add up; continuous values are averaged over the teams that
    reported. `reporting` counts the teams behind each point."""
    today = today or clock.today()
    periods = periods_of(collaborative=collaborative)
    rows = (
        DataPoint.objects.filter(
            program_id=collaborative.program_id,
            collaborative=collaborative,
            measure__in=[m.pk for m in measures],
            deleted_at__isnull=True,
        )
        .filter(Q(denominator__isnull=False, numerator__isnull=False) | Q(value__isnull=False))
        .values("measure_id", "period_id")
        .annotate(
            num=Sum("numerator"),
            den=Sum("denominator"),
            total=Sum("value"),
            mean=Avg("value"),
            teams=Count("team_id", distinct=True),
        )
        .order_by()
    )
    by_measure = {m.pk: m for m in measures}
    points: dict[int, dict[int, tuple]] = defaultdict(dict)
    reporting: dict[int, dict[int, int]] = defaultdict(dict)
    for row in rows:
        measure = by_measure[row["measure_id"]]
        if measure.is_ratio:
            point = (row["num"], row["den"], None, "")
        elif measure.data_kind == DataKind.COUNT:
            point = (None, None, row["total"], "")
        else:
            point = (None, None, row["mean"], "")
        points[measure.pk][row["period_id"]] = point
        reporting[measure.pk][row["period_id"]] = row["teams"]
    result = {}
    for measure in measures:
        started = _started(periods, measure.frequency, today)
        series = series_from_points(measure, started, points.get(measure.pk))
        series.reporting = [reporting[measure.pk].get(p.pk, 0) for p in started]
        result[measure.pk] = series
    return result


def collaborative_team_series(
    *,
    collaborative: Collaborative,
    teams: Sequence[Team],
    measures: Sequence[Measure],
    today: date | None = None,
) -> dict[tuple[int, int], Series]:
    """(team id, measure id) -> Series for many teams and measures, in two queries
    (periods and data points) whatever their number."""
    today = today or clock.today()
    periods = periods_of(collaborative=collaborative)
    team_ids = [t.pk for t in teams]
    measure_ids = [m.pk for m in measures]
    points: dict[tuple[int, int], dict[int, tuple]] = defaultdict(dict)
    if team_ids and measure_ids:
        for team_id, measure_id, period_id, num, den, value in DataPoint.objects.filter(
            program_id=collaborative.program_id,
            collaborative=collaborative,
            team_id__in=team_ids,
            measure_id__in=measure_ids,
            deleted_at__isnull=True,
        ).values_list(
            "team_id",
            "measure_id",
            "period_id",
            # floats from the database: no Decimal conversion per value in Python
            Cast("numerator", FloatField()),
            Cast("denominator", FloatField()),
            Cast("value", FloatField()),
        ):
            points[(team_id, measure_id)][period_id] = (num, den, value, "")
    started = {m.frequency: PeriodAxis.of(_started(periods, m.frequency, today)) for m in measures}
    return {
        (team.pk, measure.pk): series_from_points(
            measure, started[measure.frequency], points.get((team.pk, measure.pk))
        )
        for team in teams
        for measure in measures
    }


def team_chart_settings(
    *, collaborative: Collaborative, team_ids: Sequence[int]
) -> dict[tuple[int, int], TeamMeasure]:
    """(team id, measure id) -> the team's chart settings, in one query."""
    return {
        (tm.team_id, tm.measure_id): tm
        for tm in TeamMeasure.objects.filter(
            program_id=collaborative.program_id,
            collaborative=collaborative,
            team_id__in=list(team_ids),
        )
    }


def funnel_inputs(
    *, collaborative: Collaborative, measure: Measure, period: ReportingPeriod
) -> list[tuple[Team, float, float]]:
    """Every active team's numerator and denominator of `measure` in `period` (one query)."""
    rows = (
        DataPoint.objects.filter(
            program_id=collaborative.program_id,
            collaborative=collaborative,
            measure=measure,
            period=period,
            deleted_at__isnull=True,
            denominator__isnull=False,
            numerator__isnull=False,
            team__status=TeamStatus.ACTIVE,
        )
        .select_related("team")
        .order_by("denominator", "team_id")
    )
    return [(p.team, float(p.numerator), float(p.denominator)) for p in rows]


def latest_period_with_data(
    *, collaborative: Collaborative, measure: Measure
) -> ReportingPeriod | None:
    point = (
        DataPoint.objects.filter(
            program_id=collaborative.program_id,
            collaborative=collaborative,
            measure=measure,
            deleted_at__isnull=True,
        )
        .select_related("period")
        .order_by("-period__start")
        .first()
    )
    return point.period if point else None
