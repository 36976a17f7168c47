"""What other feature apps may use of measures. import-linter lets them import only
this module (pyproject.toml; docs/decisions/0007-layers.md).

certificates counts the periods a team handed in (whole-collaborative credit).
pdsa is a user too: a PDSA cycle's Study links the measures whose data show its
result (only those the team reports may be linked), and the cycle page shows their
charts. Everything here reads a team the caller has already been allowed to see.

dashboards reads a whole collaborative's figures (the staff progress dashboard): the
share of teams that handed in each month and the signals across teams; the caller has
checked that the viewer is the program's staff.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, QuerySet

from teams.models import Team

from .analysis import team_signal_summary
from .models import HANDED_IN, Frequency, Measure, ReportingPeriod, Submission
from .presenters import team_chart_cards
from .selectors import measure_set_of, team_measure_rows

__all__ = [
    "MeasureSignalCount",
    "monthly_handed_in",
    "periods_handed_in",
    "signal_counts",
    "team_measure_charts",
    "team_reported_measures",
]


def team_reported_measures(*, team: Team, also_ids: Iterable[int] = ()) -> QuerySet[Measure]:
    """The measures the team reports (required, the optional ones it chose, its own),
    plus those whose ids are in `also_ids` (e.g. links made before the team dropped an
    optional measure), by name."""
    ids = {row.measure.pk for row in team_measure_rows(team=team)} | set(also_ids)
    return Measure.objects.filter(program_id=team.program_id, pk__in=ids).order_by("name")


def team_measure_charts(*, team: Team, measure_ids: Collection[int]) -> list[dict]:
    """A small chart of each of these measures of the team, with its signals, drawn with
    the team's own chart settings (for template `measures/_chart_cards.html`)."""
    if not measure_ids:
        return []
    rows = [
        row
        for row in team_measure_rows(team=team, include_unselected=True)
        if row.measure.pk in measure_ids
    ]
    return team_chart_cards(team=team, rows=rows)


def periods_handed_in(*, team_ids: Iterable[int]) -> dict[int, int]:
    """{team id: number of reporting periods} the team handed in (submitted or
    reviewed), in one query: whole-collaborative credit counts them. Teams without
    any are absent."""
    rows = (
        Submission.objects.filter(team_id__in=list(team_ids), status__in=HANDED_IN)
        .values("team_id")
        .annotate(n=Count("period_id", distinct=True))
        .order_by()
    )
    return {row["team_id"]: row["n"] for row in rows}


def monthly_handed_in(
    *, collaborative, team_ids: Sequence[int], first_month: date, last_month: date
) -> dict[date, tuple[int, date]]:
    """{month: (number of these teams that handed in (submitted or reviewed) that
    month's report, the report's due date)} for each monthly reporting period of the
    collaborative starting first_month..last_month (months without a period are absent).
    Two queries whatever the number of teams, counted in SQL."""
    due = dict(
        ReportingPeriod.objects.filter(
            program_id=collaborative.program_id,
            collaborative=collaborative,
            frequency=Frequency.MONTHLY,
            start__gte=first_month,
            start__lte=last_month,
        ).values_list("start", "due_date")
    )
    months = dict.fromkeys(due, 0)
    rows = (
        Submission.objects.filter(
            program_id=collaborative.program_id,
            collaborative=collaborative,
            team_id__in=list(team_ids),
            status__in=HANDED_IN,
            period__frequency=Frequency.MONTHLY,
            period__start__gte=first_month,
            period__start__lte=last_month,
        )
        .values("period__start")
        .annotate(n=Count("team_id", distinct=True))
        .order_by()
    )
    for row in rows:
        months[row["period__start"]] = row["n"]
    return {start: (n, due[start]) for start, n in months.items()}


@dataclass(frozen=True)
class MeasureSignalCount:
    """How many teams' run charts of one measure show a signal at their latest point."""

    measure: Measure
    improvement: int
    concern: int
    with_data: int


def signal_counts(*, collaborative, teams: Sequence[Team]) -> list[MeasureSignalCount]:
    """Per measure of the collaborative's set (in order): the number of `teams` whose
    run chart has a signal in the better direction, in the worse direction, and with
    any data. Reads the per-team signal summaries that the collaborative's measures page
    caches (`team_signal_summary`): a fixed number of queries whatever the number of
    teams, and no chart analysed again until a team's data change."""
    measures = [entry.measure for entry in measure_set_of(collaborative=collaborative)]
    if not measures or not teams:
        return [MeasureSignalCount(m, 0, 0, 0) for m in measures]
    summary = team_signal_summary(collaborative=collaborative, teams=teams, measures=measures)
    counts = {m.pk: [0, 0, 0] for m in measures}
    for item in summary:
        for measure, cell in item.cells:
            tones = {signal.get("tone") for signal in cell.signals}
            tally = counts[measure.pk]
            tally[0] += "improvement" in tones
            tally[1] += "concern" in tones
            tally[2] += cell.n_points > 0
    return [MeasureSignalCount(m, *counts[m.pk]) for m in measures]
