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
    Annotation,
    FunnelChartData,
    FunnelPoint,
    SpcChartData,
    funnel_chart,
    small_multiple_chart,
    spc_chart,
)
from teams.timeline import TimelineEvent

from .analysis import SeriesAnalysis
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
    tested...), then the period's notes."""
    series = analysis.series
    frequency = _frequency(analysis)
    notes: list[Annotation] = []
    for event in events:
        for i in range(len(series) - 1, -1, -1):
            start = series.starts[i]
            if start <= event.day <= period_end(frequency, start):
                notes.append(Annotation(i, event.label, event.url, kind=event.kind))
                break
    for i, note in enumerate(series.notes):
        if note:
            notes.append(Annotation(i, f"Note: {note}", kind="note"))
    notes.sort(key=lambda a: (a.index, a.kind == "note"))
    return notes


def spc_data(
    analysis: SeriesAnalysis,
    *,
    title: str,
    annotations: Sequence[Annotation] = (),
) -> SpcChartData:
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
        signal = [
            bool(kinds) or bool(sig)
            for kinds, sig in zip(per["signal_kinds"], per["sigma_signal"], strict=True)
        ]
    else:
        y = [series.display_value(i) for i in range(n)]
        cl, lcl, ucl, signal = [None] * n, [None] * n, [None] * n, [False] * n
    details = []
    for i in range(n):
        if measure.is_ratio and series.has_value(i):
            details.append(f"{fmt(series.numerators[i], 2)} of {fmt(series.denominators[i], 2)}")
        else:
            details.append("")
    # A pooled series says how many teams each point covers (measures.selectors.pooled).
    teams = []
    if series.expected:
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
    for i in range(n):
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
        row += ["Yes" if signal[i] else "No", series.notes[i] if i < len(series.notes) else ""]
        rows.append(row)
    return SpcChartData(
        title=title,
        labels=labels,
        tick_labels=tick_labels(series.labels, frequency),
        y=list(y),
        cl=list(cl),
        lcl=list(lcl),
        ucl=list(ucl),
        signal=signal,
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
    )


def spc_chart_for(
    analysis: SeriesAnalysis, *, title: str, annotations: Sequence[Annotation] = ()
) -> Chart:
    return spc_chart(spc_data(analysis, title=title, annotations=annotations))


def small_multiple_for(analysis: SeriesAnalysis, *, title: str) -> Chart:
    return small_multiple_chart(spc_data(analysis, title=title))


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


def team_chart_cards(*, team, rows=None) -> list[dict]:
    """A small chart of each of the team's measures with its signals, in three queries
    (the team's set, periods, values): for the measures overview and the team home."""
    from .analysis import Settings, analyse_series
    from .selectors import collaborative_team_series, team_measure_rows

    rows = team_measure_rows(team=team) if rows is None else rows
    series = collaborative_team_series(
        collaborative=team.collaborative, teams=[team], measures=[r.measure for r in rows]
    )
    cards = []
    for row in rows:
        analysis = analyse_series(
            series[(team.pk, row.measure.pk)], Settings.from_team_measure(row.settings)
        )
        cards.append(
            {
                "row": row,
                "analysis": analysis,
                "chart": small_multiple_for(analysis, title=row.measure.short_name),
                "goal": goal_words(row.measure),
            }
        )
    return cards
