"""The series behind the charts: one team's, every team's, and the teams' chart settings
that say how to read them (the collaborative's pooled series: measures.selectors.pooled).

Values are read in one query per call whatever the number of teams, measures and
periods, aligned to the started periods of the measure's frequency, and analysed in
Python by measures.analysis (see tests/measures/test_query_counts.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import FloatField
from django.db.models.functions import Cast

from collaboratives.models import Collaborative
from core import clock
from teams.models import Team

from ..display import charted_value
from ..models import DataPoint, Measure, ReportingPeriod, TeamMeasure
from ..periods import started_periods
from .reporting import periods_of


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
    #: Pooled series only: the participating teams each point counts ("12 of 20 teams"
    #: is `reporting` of `expected`), aligned with the values...
    expected: list[int] = field(default_factory=list)
    #: ...and every started period with whether it is pooled, and why not
    #: (measures.selectors.pooled.PooledPeriod; not trimmed).
    coverage: list = field(default_factory=list)

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
        return charted_value(self.measure, self.numerators[i], self.denominators[i], self.values[i])

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
            expected=self.expected[lo:hi],
            coverage=self.coverage,
        )


def started_of(
    periods: Iterable[ReportingPeriod], frequency: str, today: date
) -> list[ReportingPeriod]:
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


def team_series(
    *,
    team: Team,
    measure: Measure,
    today: date | None = None,
    periods: Sequence[ReportingPeriod] | None = None,
) -> Series:
    """The team's values of `measure` for every started period of its frequency (two
    queries, one when `periods` are given)."""
    today = today or clock.today()
    if periods is None:
        periods = periods_of(collaborative=team.collaborative, frequency=measure.frequency)
    periods = started_of(periods, measure.frequency, today)
    points = {
        period_id: (num, den, value, note)
        for period_id, num, den, value, note in DataPoint.objects.filter(
            program_id=team.program_id, team=team, measure=measure, deleted_at__isnull=True
        ).values_list("period_id", "numerator", "denominator", "value", "note")
    }
    return series_from_points(measure, periods, points)


def collaborative_team_series(
    *,
    collaborative: Collaborative,
    teams: Sequence[Team],
    measures: Sequence[Measure],
    today: date | None = None,
) -> dict[tuple[int, int], Series]:
    """(team id, measure id) -> Series for many teams and measures, in two queries
    (periods and data points) whatever their number."""
    return teams_series(
        teams=teams,
        measures_of={collaborative.pk: list(measures)},
        periods_of_collaborative={collaborative.pk: periods_of(collaborative=collaborative)},
        today=today,
    )


def teams_series(
    *,
    teams: Sequence[Team],
    measures_of: dict[int, Sequence[Measure]],
    periods_of_collaborative: dict[int, Sequence[ReportingPeriod]],
    today: date | None = None,
) -> dict[tuple[int, int], Series]:
    """(team id, measure id) -> Series of each team and each measure of its
    collaborative (`measures_of[collaborative id]`), for teams of any number of
    collaboratives, in one query (the data points; the caller read the periods)."""
    today = today or clock.today()
    team_ids = [t.pk for t in teams]
    measure_ids = sorted({m.pk for group in measures_of.values() for m in group})
    points: dict[tuple[int, int], dict[int, tuple]] = defaultdict(dict)
    if team_ids and measure_ids:
        for team_id, measure_id, period_id, num, den, value in DataPoint.objects.filter(
            program_id__in={t.program_id for t in teams},
            collaborative_id__in={t.collaborative_id for t in teams},
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
    axes: dict[tuple[int, str], PeriodAxis] = {}
    out: dict[tuple[int, int], Series] = {}
    for team in teams:
        periods = periods_of_collaborative.get(team.collaborative_id, ())
        for measure in measures_of.get(team.collaborative_id, ()):
            axis_key = (team.collaborative_id, measure.frequency)
            if axis_key not in axes:
                axes[axis_key] = PeriodAxis.of(started_of(periods, measure.frequency, today))
            out[(team.pk, measure.pk)] = series_from_points(
                measure, axes[axis_key], points.get((team.pk, measure.pk))
            )
    return out


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


def teams_chart_settings(
    *, teams: Sequence[Team], measure_ids: Iterable[int]
) -> dict[tuple[int, int], TeamMeasure]:
    """(team id, measure id) -> the team's chart settings of these measures, for teams
    of any number of collaboratives, in one query."""
    return {
        (tm.team_id, tm.measure_id): tm
        for tm in TeamMeasure.objects.filter(
            program_id__in={t.program_id for t in teams},
            team_id__in=[t.pk for t in teams],
            measure_id__in=list(measure_ids),
        )
    }
