"""Turn the engine's analysis into the words and numbers a chart draws.

Views call these with a `SeriesAnalysis` (measures.analysis) and get the plain
`SpcChartData` / `FunnelChartData` that core.charts.spc draws, plus the "Show data"
table. The funnel's limits come from the engine's `funnel()` and `funnel_limits()`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from core.charts import Chart, fmt
from core.charts.spc import (
    PHASE_KINDS,
    POINT_KINDS,
    TONE_WORDS,
    Annotation,
    FunnelChartData,
    FunnelPoint,
    PhaseSignal,
    PointMark,
    SignalItem,
    SpcChartData,
    funnel_chart,
    share_scales,
    small_multiple_chart,
    spc_chart,
)
from teams.timeline import TimelineEvent

from .analysis import SeriesAnalysis, signal_side, signal_tone
from .models import DataKind, Direction, Measure
from .periods import MONTH_NAMES, period_end, period_label
from .selectors import coverage_words
from .spc import funnel, funnel_limits


def long_label(label: object, frequency: str) -> str:
    if isinstance(label, date):
        return period_label(frequency, label)
    return str(label)


def tick_labels(labels: Sequence[object], frequency: str) -> list[str]:
    """Short axis labels: the month, with the year under the first one and each January."""
    ticks = []
    for i, label in enumerate(labels):
        if isinstance(label, date):
            if frequency == "weekly":
                ticks.append(f"{label.day} {MONTH_NAMES[label.month - 1][:3]}")
                continue
            month = MONTH_NAMES[label.month - 1][:3]
            ticks.append(f"{month}\n{label.year}" if i == 0 or label.month == 1 else month)
        else:
            ticks.append(str(label).replace(" ", "\n", 1))
    return ticks


def goal_words(measure: Measure) -> str:
    if measure.target is None:
        return measure.target_note
    value = f"{fmt(measure.target)}{'%' if measure.data_kind == DataKind.PROPORTION else ''}"
    if measure.direction == Direction.INCREASE:
        return f"at least {value}"
    if measure.direction == Direction.DECREASE:
        return f"at most {value}"
    return value


def _frequency(analysis: SeriesAnalysis) -> str:
    return "quarterly" if analysis.rolled_up else analysis.series.measure.frequency


def annotations_for(
    analysis: SeriesAnalysis, events: Iterable[TimelineEvent] = ()
) -> list[Annotation]:
    """Numbered flags: what happened in each period (the team's timeline: PDSA cycles
    tested...), then the period's notes; each says its period and dates for the list
    under the chart."""
    series = analysis.series
    frequency = _frequency(analysis)
    notes: list[Annotation] = []
    for event in events:
        for i in range(len(series) - 1, -1, -1):
            start = series.starts[i]
            if start <= event.day <= period_end(frequency, start):
                when = long_label(series.labels[i], frequency)
                if event.dates:
                    when += f" ({event.dates})"
                notes.append(Annotation(i, event.label, event.url, kind=event.kind, when=when))
                break
    for i, note in enumerate(series.notes):
        if note:
            when = long_label(series.labels[i], frequency)
            notes.append(Annotation(i, f"Note: {note}", kind="note", when=when))
    notes.sort(key=lambda a: (a.index, a.kind == "note"))
    return notes


def _periods(labels: Sequence[str], start: int, end: int) -> str:
    return labels[start] if start == end else f"{labels[start]} to {labels[end]}"


def signal_marking(
    analysis: SeriesAnalysis, labels: Sequence[str]
) -> tuple[list[PointMark | None], list[PhaseSignal], list[SignalItem]]:
    """Which signal each point is part of, the signals of whole phases, and the list of
    signals under the chart.

    A point in several signals shows the first kind in MDC's precedence (outside the
    limits, trend, 2 of 3, shift); its tooltip names all of them. Signals of a whole
    phase (too few crossings, too few or too many runs) mark no point: every point of
    the phase would light up and hide the signals that say where something happened.
    """
    result = analysis.result
    n = len(labels)
    marks: list[PointMark | None] = [None] * n
    phases: list[PhaseSignal] = []
    items: list[SignalItem] = []
    if result is None:
        return marks, phases, items
    measure = analysis.series.measure
    order = list(POINT_KINDS)
    per_point: dict[int, list[tuple[int, PointMark]]] = {}
    for signal in analysis.signals:
        kind, text = signal["kind"], signal["text"]
        periods = _periods(labels, signal["start"], signal["end"])
        if kind in PHASE_KINDS:
            phases.append(PhaseSignal(kind, signal["start"], signal["end"], text))
            name = f"{PHASE_KINDS[kind]} (the whole phase)"
            items.append(SignalItem(kind, "neutral", name, periods, text))
            continue
        tone = signal_tone(measure, signal, result)
        up = signal_side(signal, result) >= 0
        name = f"{POINT_KINDS.get(kind, kind)}, {TONE_WORDS[tone]}"
        items.append(SignalItem(kind, tone, name, periods, text, up=up))
        mark = PointMark(kind, tone, f"{name}: {text}", up, name)
        rank = order.index(kind) if kind in order else len(order)
        for i in signal["points"]:
            if 0 <= i < n:
                per_point.setdefault(i, []).append((rank, mark))
    for i, found in per_point.items():
        found.sort(key=lambda pair: pair[0])
        first = found[0][1]
        words = "; ".join(mark.words for _, mark in found)
        names = "; ".join(dict.fromkeys(mark.name for _, mark in found))
        marks[i] = PointMark(first.kind, first.tone, words, first.up, names)
    return marks, phases, items


def _signal_cell(mark: PointMark | None, i: int, phases: Sequence[PhaseSignal]) -> str:
    """The "Signal" column of the data table: which signal, in words."""
    if mark is not None:
        return mark.name
    for phase in phases:
        if phase.start <= i <= phase.end:
            return f"{PHASE_KINDS[phase.kind]} (the whole phase)"
    return "No"


def spc_data(
    analysis: SeriesAnalysis,
    *,
    title: str,
    annotations: Sequence[Annotation] = (),
    highlight_period: object = None,
    thumbnail: bool = False,
) -> SpcChartData:
    """The chart's numbers and words. `highlight_period` (a period's public id) picks out
    one period, the one a coach reviews (not drawn when it has no value on the chart). A
    `thumbnail` skips what only the full chart shows: the "Show data" table, the points'
    tooltips and the period ticks (300 thumbnails on a page would otherwise format some
    30,000 numbers for nothing)."""
    series = analysis.series
    measure = series.measure
    frequency = _frequency(analysis)
    labels = [long_label(label, frequency) for label in series.labels]
    result = analysis.result
    n = len(series)
    if result is not None:
        per = result["per_point"]
        y = per["y"]
        cl, lcl, ucl = per["cl"], per["lcl"], per["ucl"]
    else:
        y = [series.display_value(i) for i in range(n)]
        cl, lcl, ucl = [None] * n, [None] * n, [None] * n
    marks, phases, items = signal_marking(analysis, labels)
    details = []
    for i in range(0 if thumbnail else n):
        if measure.is_ratio and series.has_value(i):
            details.append(f"{fmt(series.numerators[i], 2)} of {fmt(series.denominators[i], 2)}")
        else:
            details.append("")
    # A pooled series says how many teams each point covers (measures.selectors.pooled).
    teams = []
    if series.expected and not thumbnail:
        teams = [coverage_words(series.reporting[i], series.expected[i]) for i in range(n)]
        details = [
            "; ".join(part for part in pair if part) for pair in zip(details, teams, strict=True)
        ]
    unit = measure.display_unit
    percent = measure.data_kind == DataKind.PROPORTION

    def cell(v):
        if v is None:
            return "–"
        return f"{fmt(v)}%" if percent else fmt(v)

    headers = ["Period", "Value"]
    if measure.is_ratio:
        headers += ["Numerator", "Denominator"]
    if teams:
        headers.append("Teams")
    headers.append("Median" if not analysis.is_control else "Mean")
    if analysis.is_control:
        headers += ["Lower limit", "Upper limit"]
    headers += ["Signal", "Note"]
    rows = []
    for i in range(0 if thumbnail else n):
        row = [labels[i], cell(y[i])]
        if measure.is_ratio:
            row += [
                fmt(series.numerators[i], 2) if series.has_value(i) else "–",
                fmt(series.denominators[i], 2) if series.has_value(i) else "–",
            ]
        if teams:
            row.append(teams[i])
        row.append(cell(cl[i]))
        if analysis.is_control:
            row += [cell(lcl[i]), cell(ucl[i])]
        row += [_signal_cell(marks[i], i, phases), series.notes[i] if i < len(series.notes) else ""]
        rows.append(row)
    highlight = None
    if highlight_period is not None and highlight_period in series.period_ids:
        highlight = series.period_ids.index(highlight_period)
        if rows:
            rows[highlight][0] += " (this period)"
    return SpcChartData(
        title=title,
        labels=labels,
        tick_labels=[] if thumbnail else tick_labels(series.labels, frequency),
        y=list(y),
        cl=list(cl),
        lcl=list(lcl),
        ucl=list(ucl),
        signal=[mark is not None for mark in marks],
        marks=marks,
        phase_signals=phases,
        signal_items=items,
        details=details,
        part_starts=list(analysis.phase_indices),
        baseline_index=analysis.baseline_index,
        target=float(measure.target) if measure.target is not None else None,
        target_label=f"Goal ({goal_words(measure)})" if measure.target is not None else "",
        unit=unit,
        y_label="Percent" if percent else (unit or measure.short_name),
        chart_name=analysis.chart_name,
        centre_name="Mean" if analysis.is_control else "Median",
        is_control=analysis.is_control,
        annotations=list(annotations),
        signal_texts=analysis.signal_texts,
        warnings=list(analysis.warnings),
        percent=percent,
        table_headers=headers,
        table_rows=rows,
        highlight=highlight,
    )


def spc_chart_for(
    analysis: SeriesAnalysis,
    *,
    title: str,
    annotations: Sequence[Annotation] = (),
    highlight_period: object = None,
) -> Chart:
    return spc_chart(
        spc_data(analysis, title=title, annotations=annotations, highlight_period=highlight_period)
    )


def small_multiple_for(analysis: SeriesAnalysis, *, title: str) -> Chart:
    return small_multiple_chart(spc_data(analysis, title=title, thumbnail=True))


def signal_key(charts: Iterable[Chart]) -> list[SignalItem]:
    """Each kind of mark the charts show, once (for a key above small multiples, which
    have no room for a legend of their own)."""
    seen: dict[tuple[str, str], SignalItem] = {}
    for chart in charts:
        for item in chart.signals:
            seen.setdefault((item.kind, item.tone), item)
    order = [*POINT_KINDS, *PHASE_KINDS]
    return sorted(
        seen.values(),
        key=lambda item: (order.index(item.kind) if item.kind in order else 99, item.tone),
    )


def small_multiples(
    entries: Sequence[tuple[SeriesAnalysis, str]], *, shared_scale: bool = False
) -> list[Chart]:
    """Thumbnails of (analysis, title) pairs; with `shared_scale`, those of the same
    unit share one value range, so that their heights compare."""
    datas = [spc_data(analysis, title=title, thumbnail=True) for analysis, title in entries]
    if shared_scale:
        share_scales(datas)
    return [small_multiple_chart(data) for data in datas]


def funnel_for(
    *,
    measure: Measure,
    period_label_text: str,
    rows: Sequence[tuple],
    named_ids: set[int],
    highlight_ids: set[int],
) -> Chart | None:
    """The funnel plot of teams' values in one period; None for measures it does not fit.

    `rows` are (team, numerator, denominator) sorted by denominator. Teams in
    `named_ids` are named (the viewer may see them, or they opted in); the others are
    "Team 1", "Team 2"... in order of size, which says nothing about who they are.
    """
    if not measure.is_ratio or not rows:
        return None
    kind = "proportion" if measure.data_kind == DataKind.PROPORTION else "rate"
    multiply = measure.chart_multiplier
    labels = []
    for k, (team, _, _) in enumerate(rows, start=1):
        if team.pk in highlight_ids:
            labels.append(f"{team.name} (your team)")
        elif team.pk in named_ids:
            labels.append(team.name)
        else:
            labels.append(f"Team {k}")
    result = funnel(
        [r[1] for r in rows], [r[2] for r in rows], kind=kind, multiply=multiply, labels=labels
    )
    per = result["per_unit"]
    centre = result["summary"]["centre"]
    points = [
        FunnelPoint(
            label=labels[i],
            denominator=rows[i][2],
            value=per["value"][i],
            highlight=rows[i][0].pk in highlight_ids,
            named=rows[i][0].pk in named_ids or rows[i][0].pk in highlight_ids,
            outside=per["outside_95"][i],
        )
        for i in range(len(rows))
        if per["value"][i] is not None
    ]
    curves: dict[str, list[tuple[float, float, float]]] = {"95": [], "998": []}
    if centre is not None:
        base = centre / multiply
        low = max(1.0, min(r[2] for r in rows) * 0.8)
        high = max(r[2] for r in rows) * 1.08
        steps = 48
        for k in range(steps + 1):
            d = low + (high - low) * k / steps
            for level, key in ((0.95, "95"), (0.998, "998")):
                lo, hi = funnel_limits(base, d, level, kind)
                curves[key].append((d, lo * multiply, hi * multiply))
    data = FunnelChartData(
        title=f"{measure.short_name}, {period_label_text}",
        points=points,
        centre=centre,
        curves=curves,
        unit=measure.display_unit,
        percent=kind == "proportion",
        signal_texts=[s["text"] for s in result["summary"]["signals"]],
        warnings=list(result["summary"]["warnings"]),
    )
    return funnel_chart(data)


def team_chart_cards(*, team, rows=None, shared_scale: bool = False) -> list[dict]:
    """A small chart of each of the team's measures with its signals, in three queries
    (the team's set, periods, values): for the measures overview and the team home.
    `shared_scale` puts the charts of one unit on one value range."""
    from .analysis import Settings, analyse_series
    from .selectors import collaborative_team_series, team_measure_rows

    rows = team_measure_rows(team=team) if rows is None else rows
    series = collaborative_team_series(
        collaborative=team.collaborative, teams=[team], measures=[r.measure for r in rows]
    )
    analyses = [
        analyse_series(series[(team.pk, row.measure.pk)], Settings.from_team_measure(row.settings))
        for row in rows
    ]
    charts = small_multiples(
        [(a, row.measure.short_name) for a, row in zip(analyses, rows, strict=True)],
        shared_scale=shared_scale,
    )
    return [
        {"row": row, "analysis": analysis, "chart": chart, "goal": goal_words(row.measure)}
        for row, analysis, chart in zip(rows, analyses, charts, strict=True)
    ]
