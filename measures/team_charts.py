"""One measure's small multiples for every team a viewer sees, cached until an input
changes.

The collaborative measure page draws a run chart for each of up to hundreds of teams:
analysing and drawing them is most of its time (about 0.5 s for 300 teams), and under
load (benchmarks/load) it made the page the slowest of staff's journey. The result
depends only on what the key below names, so people who see the same teams share one
cached copy, and any change to a value, a chart setting, the measure, the periods, a
team's name or the day makes a new key (the old entry expires unused).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date

from django.core.cache import cache

from core import clock

from .analysis import (
    SUMMARY_CACHE_SECONDS,
    SeriesAnalysis,
    Settings,
    _summary_keys,
    analyse_series,
)
from .models import ChartType, Measure
from .presenters import small_multiples
from .selectors import collaborative_team_series, periods_of, team_chart_settings


def _cache_key(*, collaborative, measure: Measure, teams, rules, shared_scale: bool, today):
    """Changes whenever the charts could: each team's values and chart settings (their
    last change and count), the measure's definition and the day (_summary_keys), the
    periods, the teams and their names, the rules and the scale."""
    per_team = _summary_keys(
        collaborative=collaborative, teams=teams, measures=[measure], today=today
    )
    periods = [(p.pk, p.start, p.end, p.frequency) for p in periods_of(collaborative=collaborative)]
    raw = repr(
        (
            measure.pk,
            [(t.pk, t.name, per_team[t.pk]) for t in teams],
            periods,
            tuple(rules),
            shared_scale,
        )
    )
    return f"measures:multiples:1:{collaborative.pk}:{hashlib.sha256(raw.encode()).hexdigest()}"


def measure_small_multiples(
    *,
    collaborative,
    measure: Measure,
    teams: Sequence,
    rules,
    shared_scale: bool,
    today: date | None = None,
) -> list[dict]:
    """[{"team", "analysis", "chart"}] for `teams`, in their order: each team's run chart
    of `measure` with `rules`. Three queries when cached (the two version queries and
    the periods), five more when not, whatever the number of teams."""
    today = today or clock.today()
    teams = list(teams)
    key = _cache_key(
        collaborative=collaborative,
        measure=measure,
        teams=teams,
        rules=rules,
        shared_scale=shared_scale,
        today=today,
    )
    cached = cache.get(key)
    if cached is None:
        series = collaborative_team_series(
            collaborative=collaborative, teams=teams, measures=[measure], today=today
        )
        settings = team_chart_settings(collaborative=collaborative, team_ids=[t.pk for t in teams])
        analyses: list[SeriesAnalysis] = [
            analyse_series(
                series[(team.pk, measure.pk)],
                Settings.from_team_measure(
                    settings.get((team.pk, measure.pk)), chart_type=ChartType.RUN, rules=rules
                ),
            )
            for team in teams
        ]
        charts = small_multiples(
            [(a, team.name) for a, team in zip(analyses, teams, strict=True)],
            shared_scale=shared_scale,
        )
        cached = (analyses, charts)
        cache.set(key, cached, timeout=SUMMARY_CACHE_SECONDS)
    analyses, charts = cached
    return [
        {"team": team, "analysis": a, "chart": c}
        for team, a, c in zip(teams, analyses, charts, strict=True)
    ]
