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
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.utils.safestring import SafeString

from core import clock
from core.charts import Chart

from .analysis import (
    SUMMARY_CACHE_SECONDS,
    SeriesAnalysis,
    Settings,
    _summary_keys,
    analyse_series,
)
from .models import ChartType, Measure
from .presenters import funnel_for, signal_key, small_multiples, team_chart_cards
from .selectors import (
    collaborative_team_series,
    periods_of,
    pooled_version,
    team_chart_settings,
    team_measure_rows,
)


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


@dataclass(frozen=True)
class TeamCard:
    """What the page shows of one team's thumbnail: the drawing and one line under it
    (its first signal, else the chart's summary)."""

    svg: SafeString
    signal: str
    summary: str


def measure_small_multiples(
    *,
    collaborative,
    measure: Measure,
    teams: Sequence,
    rules,
    shared_scale: bool,
    today: date | None = None,
) -> tuple[list[dict], list]:
    """([{"team", "card"}] for `teams` in their order, the key of the signal marks they
    show): each team's run chart of `measure` with `rules`. Three queries when cached
    (the two version queries and the periods), five more when not, whatever the number
    of teams. Only what the page shows is cached, so that reading it back is quick."""
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
        cards = [
            TeamCard(
                svg=chart.svg,
                signal=analysis.signals[0]["text"] if analysis.signals else "",
                summary=chart.summary,
            )
            for analysis, chart in zip(analyses, charts, strict=True)
        ]
        cached = (cards, signal_key(charts))
        cache.set(key, cached, timeout=SUMMARY_CACHE_SECONDS)
    cards, key_items = cached
    return [
        {"team": team, "card": card} for team, card in zip(teams, cards, strict=True)
    ], key_items


def _measure_fields(measure: Measure) -> tuple:
    """Every stored field of the measure: what its charts may draw (name, goal, unit,
    direction...), even when a bulk update left `updated_at` alone."""
    return tuple(getattr(measure, f.attname) for f in measure._meta.concrete_fields)


def pooled_small_multiples(
    *, collaborative, measures: Sequence[Measure], shared_scale: bool, today: date | None = None
) -> list[Chart]:
    """A thumbnail of each measure's pooled run chart, in the order of `measures`,
    cached under the pooled series' own key (measures.selectors.pooled_version: any
    value, period, participating team, the minimum share, the day) with every field of
    the measures and the scale. A hit costs the key's three queries: no series is built,
    analysed or drawn."""
    version, build = pooled_version(collaborative=collaborative, measures=measures, today=today)
    raw = repr((version, shared_scale, [_measure_fields(m) for m in measures]))
    key = f"measures:pooled-multiples:1:{hashlib.sha256(raw.encode()).hexdigest()}"
    charts = cache.get(key)
    if charts is None:
        pooled = build()
        charts = small_multiples(
            [(analyse_series(pooled[m.pk]), m.short_name) for m in measures],
            shared_scale=shared_scale,
        )
        cache.set(key, charts, timeout=SUMMARY_CACHE_SECONDS)
    return charts


def cached_funnel(
    *,
    measure: Measure,
    period_label_text: str,
    rows: Sequence[tuple],
    named_ids: set[int],
    highlight_ids: set[int],
) -> Chart | None:
    """presenters.funnel_for, remembered for the same inputs: placing hundreds of team
    labels is most of the page's remaining time. The key is the inputs themselves (the
    teams' numbers and names read this request), so it cannot go stale."""
    raw = repr(
        (
            measure.pk,
            measure.updated_at,
            period_label_text,
            [(team.pk, team.name, num, den) for team, num, den in rows],
            sorted(named_ids),
            sorted(highlight_ids),
        )
    )
    key = f"measures:funnel:1:{hashlib.sha256(raw.encode()).hexdigest()}"
    chart = cache.get(key)
    if chart is None:
        chart = funnel_for(
            measure=measure,
            period_label_text=period_label_text,
            rows=rows,
            named_ids=named_ids,
            highlight_ids=highlight_ids,
        )
        if chart is not None:
            chart.table_rows_html  # noqa: B018 - drawn once, kept in the cached copy
            cache.set(key, chart, timeout=SUMMARY_CACHE_SECONDS)
    return chart


def team_home_cards(*, team, today: date | None = None) -> list[dict]:
    """The team home's latest charts ([{"row", "card"}] in the set's order), cached until
    one of the team's values or chart settings, a measure, the set, the periods or the
    day changes (the keys of the collaborative signal table, so two version queries
    replace reading the values, analysing and drawing ten charts on every visit)."""
    today = today or clock.today()
    rows = team_measure_rows(team=team)
    if not rows:
        return []
    collaborative = team.collaborative
    version = _summary_keys(
        collaborative=collaborative, teams=[team], measures=[r.measure for r in rows], today=today
    )[team.pk]
    periods = [(p.pk, p.start, p.end, p.frequency) for p in periods_of(collaborative=collaborative)]
    raw = repr((version, [(r.measure.pk, r.requirement) for r in rows], periods))
    key = f"measures:team-home:1:{team.pk}:{hashlib.sha256(raw.encode()).hexdigest()}"
    cards = cache.get(key)
    if cards is None:
        cards = [
            TeamCard(
                svg=card["chart"].svg,
                signal=card["analysis"].signals[0]["text"] if card["analysis"].signals else "",
                summary=card["chart"].summary,
            )
            for card in team_chart_cards(team=team, rows=rows)
        ]
        cache.set(key, cards, timeout=SUMMARY_CACHE_SECONDS)
    return [{"row": row, "card": card} for row, card in zip(rows, cards, strict=True)]
