"""What a coach (or program staff) reads to judge a team's period: every measure with
the numbers entered and its value, the months before it, and the measure's chart with
the period highlighted.

Read in a fixed number of queries whatever the number of measures: the collaborative's
periods and the team's values of every measure (one query each); each chart is analysed
in Python (tests/measures/test_period_review.py counts them).
"""

from __future__ import annotations

from dataclasses import dataclass

from core import clock
from core.charts import Chart
from teams.models import Team

from .analysis import SeriesAnalysis, Settings, analyse_series
from .display import value_text
from .models import DataPoint, ReportingPeriod
from .periods import started_periods
from .presenters import goal_words, spc_chart_for
from .selectors import TeamMeasureRow, periods_of, series_from_points, team_points_of

#: How many periods before the reviewed one the table shows.
HISTORY_LENGTH = 6


@dataclass(frozen=True)
class HistoryRow:
    """One period of a measure's small table: its numbers and its value in words."""

    period: ReportingPeriod
    point: DataPoint | None
    value: str
    is_reviewed: bool = False


@dataclass(frozen=True)
class ReviewedMeasure:
    """One measure of the reviewed period, with what a coach compares it with."""

    row: TeamMeasureRow
    point: DataPoint | None
    value: str
    history: list[HistoryRow]
    analysis: SeriesAnalysis
    chart: Chart
    goal: str

    @property
    def on_chart(self) -> bool:
        """The period has a value, so its point is drawn (and ringed) on the chart."""
        return self.value != "–"


def reviewed_measures(
    *, team: Team, period: ReportingPeriod, rows: list[TeamMeasureRow]
) -> list[ReviewedMeasure]:
    """Each measure of `rows` (the team's measures reported in `period`) as the coach
    reviews it: the period's numbers and value, the `HISTORY_LENGTH` periods before it,
    and the team's chart (its own chart settings) with the period highlighted."""
    started = [
        p
        for p in started_periods(periods_of(collaborative=team.collaborative), clock.today())
        if p.frequency == period.frequency
    ]
    before = [p for p in started if p.start < period.start][-HISTORY_LENGTH:]
    by_measure = team_points_of(team=team, measures=[r.measure for r in rows])
    reviewed = []
    for row in rows:
        measure, points = row.measure, by_measure[row.measure.pk]

        def shown(p: DataPoint | None, measure=measure) -> str:
            if p is None:
                return "–"
            return value_text(measure, p.numerator, p.denominator, p.value)

        history = [HistoryRow(p, points.get(p.pk), shown(points.get(p.pk))) for p in before]
        point = points.get(period.pk)
        history.append(HistoryRow(period, point, shown(point), is_reviewed=True))
        series = series_from_points(
            measure,
            started,
            {pk: (p.numerator, p.denominator, p.value, p.note) for pk, p in points.items()},
        )
        analysis = analyse_series(series, Settings.from_team_measure(row.settings))
        chart = spc_chart_for(
            analysis,
            title=f"{measure.short_name}, {team.name}",
            highlight_period=period.public_id,
        )
        reviewed.append(
            ReviewedMeasure(
                row=row,
                point=point,
                value=shown(point),
                history=history,
                analysis=analysis,
                chart=chart,
                goal=goal_words(measure),
            )
        )
    return reviewed
