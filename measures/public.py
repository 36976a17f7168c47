"""What other feature apps may use of measures. import-linter lets them import only
this module (pyproject.toml; docs/decisions/0007-layers.md).

certificates counts the periods a team handed in (whole-collaborative credit).
pdsa is a user too: a PDSA cycle's Study links the measures whose data show its
result (only those the team reports may be linked), and the cycle page shows their
charts. Everything here reads a team the caller has already been allowed to see.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from django.db.models import Count, QuerySet

from teams.models import Team

from .models import HANDED_IN, Measure, Submission
from .presenters import team_chart_cards
from .selectors import team_measure_rows

__all__ = ["periods_handed_in", "team_measure_charts", "team_reported_measures"]


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
