"""Run and control charts, small multiples and funnel plots (SVG) for measures.

Pure functions: they take plain numbers and words (built by measures.presenters from
the engine's analysis) and return a `core.charts.Chart`: the SVG, a one-paragraph text
summary for screen readers and the rows of the "Show data" table. Nothing here computes
a statistic; centre lines, limits and signals come from measures.spc.

The SVG is plain (presentation attributes, no stylesheet, no script, no foreignObject)
so that the same markup renders in a browser, a WeasyPrint PDF and an e-mail. Every
piece of text placed in it is escaped (team names and notes are user input).

Built on the primitives of core.charts (scales, ticks, axes, the accessible document).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from core.charts import (
    GRID,
    HIGHLIGHT,
    INK,
    MUTED,
    PRIMARY,
    Chart,
    LinearScale,
    esc,
    fmt,
    nice_ticks,
    svg_document,
    text,
    y_axis,
)

GOAL = "#216e1f"  # dark green: 6:1 on white
SIGNAL = HIGHLIGHT
BASELINE_FILL = "#f0f0f0"
LIMIT = MUTED


@dataclass
class Annotation:
    """Something that happened in a period: a PDSA cycle or a note, optionally linked."""

    index: int
    label: str
    url: str = ""
    kind: str = "note"


@dataclass
class SpcChartData:
    """Everything a run or control chart draws, in displayed units."""

    title: str
    labels: list[str]
    tick_labels: list[str]
    y: list[float | None]
    cl: list[float | None]
    lcl: list[float | None] = field(default_factory=list)
    ucl: list[float | None] = field(default_factory=list)
    signal: list[bool] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    part_starts: list[tuple[int, str]] = field(default_factory=list)
    baseline_index: int | None = None
    target: float | None = None
    target_label: str = ""
    unit: str = ""
    y_label: str = ""
    chart_name: str = "Run chart"
    centre_name: str = "Median"
    is_control: bool = False
    annotations: list[Annotation] = field(default_factory=list)
    signal_texts: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    percent: bool = False
    table_headers: list[str] = field(default_factory=list)
    table_rows: list[list[str]] = field(default_factory=list)


def _with_unit(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "%":
        return f"{fmt(value)}%"
    return f"{fmt(value)} {unit}".strip()


def _domain(values: Sequence[float | None], percent: bool) -> tuple[float, float]:
    present = [v for v in values if v is not None and math.isfinite(v)]
    if not present:
        return (0.0, 100.0) if percent else (0.0, 1.0)
    low, high = min(present), max(present)
    pad = (high - low) * 0.08 or max(abs(high) * 0.1, 1.0)
    low, high = low - pad, high + pad
    if percent:
        low, high = max(low, 0.0), min(high, 100.0)
    elif min(present) >= 0:
        low = max(low, 0.0)
    ticks = nice_ticks(low, high, 5)
    return min(low, ticks[0]), max(high, ticks[-1])


def _segments(xs: Sequence[float], ys: Sequence[float | None]) -> list[list[tuple[float, float]]]:
    """Runs of consecutive present points (a missing value breaks the line)."""
    runs: list[list[tuple[float, float]]] = [[]]
    for x, y in zip(xs, ys, strict=True):
        if y is None:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append((x, y))
    return [r for r in runs if r]


def _path(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{'M' if i == 0 else 'L'}{x:.1f} {y:.1f}" for i, (x, y) in enumerate(points))


def _step_path(xs, ys, half: float, parts: Sequence[int]) -> list[str]:
    """Horizontal steps centred on each point (limits vary per point for p and u
    charts); a new phase or a missing limit starts a new path."""
    paths, current = [], []
    for i, (x, y) in enumerate(zip(xs, ys, strict=True)):
        if y is None or (i in parts and current):
            if current:
                paths.append(current)
            current = []
            if y is None:
                continue
        if current and abs(current[-1][1] - y) > 0.05:
            current.append((x - half, current[-1][1]))
            current.append((x - half, y))
        elif not current:
            current.append((x - half, y))
        current.append((x + half, y))
    if current:
        paths.append(current)
    return [_path(p) for p in paths]


def _diamond(x: float, y: float, r: float) -> str:
    return f"M{x:.1f} {y - r:.1f} L{x + r:.1f} {y:.1f} L{x:.1f} {y + r:.1f} L{x - r:.1f} {y:.1f} Z"


def spc_summary(data: SpcChartData) -> str:
    """One paragraph in words: what the chart is, where it ends, what it signals."""
    present = [i for i, v in enumerate(data.y) if v is not None]
    if not present:
        return f"{data.title}: no data yet."
    first, last = present[0], present[-1]
    sentences = [
        f"{data.chart_name} of {data.title}, {len(present)} point"
        f"{'' if len(present) == 1 else 's'} from {data.labels[first]} to {data.labels[last]}."
    ]
    sentences.append(f"Latest value {_with_unit(data.y[last], data.unit)} ({data.labels[last]}).")
    centre = data.cl[last] if data.cl and last < len(data.cl) else None
    if centre is not None:
        sentences.append(f"{data.centre_name} {_with_unit(centre, data.unit)}.")
    if data.is_control and data.ucl and data.ucl[last] is not None:
        low = data.lcl[last] if data.lcl else None
        sentences.append(
            f"Limits {_with_unit(low, data.unit)} to {_with_unit(data.ucl[last], data.unit)}."
        )
    if data.target is not None:
        sentences.append(f"{data.target_label or 'Goal'}: {_with_unit(data.target, data.unit)}.")
    if data.signal_texts:
        sentences.append("Signals: " + "; ".join(data.signal_texts) + ".")
    else:
        sentences.append("No signal: the variation is what chance alone would produce.")
    return " ".join(sentences)


def spc_chart(data: SpcChartData, *, width: int = 760, height: int = 380) -> Chart:
    """A run or control chart: the values joined by a line, the centre line per phase,
    the limits (control charts), the goal, the baseline shaded, the phases separated,
    points that belong to a signal drawn as larger orange diamonds (shape and colour),
    and numbered annotation flags above the periods with PDSA cycles or notes."""
    n = len(data.y)
    left, right, top = 64, width - 132, 44
    bottom = height - 78
    step = (right - left) / max(n, 1)
    xs = [left + step * (i + 0.5) for i in range(n)]
    extra = [data.target] if data.target is not None else []
    scale_y = LinearScale(
        _domain([*data.y, *data.cl, *data.lcl, *data.ucl, *extra], data.percent), (bottom, top)
    )
    ticks = nice_ticks(*scale_y.domain, 5)
    body: list[str] = []

    # Baseline shading and phase separators go under everything else.
    if data.baseline_index is not None and 0 <= data.baseline_index < n - 1:
        x_end = xs[data.baseline_index] + step / 2
        body.append(
            f'<rect x="{left}" y="{top}" width="{x_end - left:.1f}" height="{bottom - top}" '
            f'fill="{BASELINE_FILL}"/>'
        )
        body.append(text(left + 4, top + 14, "Baseline", size=12, fill=MUTED))
    body.append(
        y_axis(
            scale_y,
            x=left,
            right=right,
            ticks=ticks,
            label=data.y_label,
            tick_format=(lambda v: f"{fmt(v)}%") if data.percent else fmt,
        )
    )
    body.append(
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{MUTED}" '
        'stroke-width="1"/>'
    )
    every = max(1, math.ceil(n / 12))
    for i, label in enumerate(data.tick_labels):
        if i % every and i != n - 1:
            continue
        lines = label.split("\n")
        for k, line in enumerate(lines):
            body.append(
                text(xs[i], bottom + 16 + 14 * k, line, anchor="middle", size=11, fill=MUTED)
            )
    part_indices = [i for i, _ in data.part_starts]
    for i, label in data.part_starts:
        x = xs[i] - step / 2
        body.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}" stroke="{INK}" '
            'stroke-width="1.5" stroke-dasharray="6 3"/>'
        )
        if label:
            body.append(text(x + 4, top + 28, label[:40], size=12, fill=INK))

    # Goal, limits, centre line.
    if data.target is not None:
        gy = scale_y(data.target)
        body.append(
            f'<line x1="{left}" y1="{gy:.1f}" x2="{right}" y2="{gy:.1f}" stroke="{GOAL}" '
            'stroke-width="2" stroke-dasharray="10 4"/>'
        )
        body.append(
            text(
                right + 6, gy + 4, f"Goal {_with_unit(data.target, data.unit)}", size=12, fill=GOAL
            )
        )
    if data.is_control:
        for limits, name in ((data.ucl, "Upper limit"), (data.lcl, "Lower limit")):
            for d in _step_path(
                xs, [None if v is None else scale_y(v) for v in limits], step / 2, part_indices
            ):
                body.append(
                    f'<path d="{d}" fill="none" stroke="{LIMIT}" stroke-width="1.5" '
                    'stroke-dasharray="4 3"/>'
                )
            last = next((v for v in reversed(limits) if v is not None), None)
            if last is not None:
                body.append(
                    text(
                        right + 6,
                        scale_y(last) + 4,
                        f"{name} {_with_unit(last, data.unit)}",
                        size=11,
                        fill=MUTED,
                    )
                )
    for d in _step_path(
        xs, [None if v is None else scale_y(v) for v in data.cl], step / 2, part_indices
    ):
        body.append(f'<path d="{d}" fill="none" stroke="{INK}" stroke-width="2"/>')
    last_cl = next((v for v in reversed(data.cl) if v is not None), None)
    if last_cl is not None:
        body.append(
            text(
                right + 6,
                scale_y(last_cl) + 4,
                f"{data.centre_name} {_with_unit(last_cl, data.unit)}",
                size=12,
                weight="bold",
            )
        )

    # The data.
    for run in _segments(xs, [None if v is None else scale_y(v) for v in data.y]):
        body.append(
            f'<path d="{_path(run)}" fill="none" stroke="{PRIMARY}" stroke-width="2" '
            'stroke-linejoin="round"/>'
        )
    for i, value in enumerate(data.y):
        if value is None:
            continue
        x, y = xs[i], scale_y(value)
        tip = f"{data.labels[i]}: {_with_unit(value, data.unit)}"
        if i < len(data.details) and data.details[i]:
            tip += f" ({data.details[i]})"
        is_signal = i < len(data.signal) and data.signal[i]
        if is_signal:
            body.append(
                f'<path d="{_diamond(x, y, 7)}" fill="{SIGNAL}" stroke="{INK}" stroke-width="1" '
                f'data-signal="true"><title>{esc(tip + " – part of a signal")}</title></path>'
            )
        else:
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{PRIMARY}" stroke="#ffffff" '
                f'stroke-width="1"><title>{esc(tip)}</title></circle>'
            )

    # Annotation flags, numbered like the list under the chart (which carries the links);
    # several in one period share a flag ("3-4"), each still listed under the chart.
    flags: dict[int, list[tuple[int, Annotation]]] = {}
    for number, note in enumerate(data.annotations, start=1):
        if 0 <= note.index < n:
            flags.setdefault(note.index, []).append((number, note))
    for index, notes in flags.items():
        x = xs[index]
        first, last = notes[0][0], notes[-1][0]
        label = str(first) if first == last else f"{first}-{last}"
        half = 9 if first == last else 6 + 4 * len(label)
        tip = "; ".join(note.label for _, note in notes)
        flag = (
            f'<line x1="{x:.1f}" y1="{top - 8}" x2="{x:.1f}" y2="{bottom}" stroke="{GRID}" '
            'stroke-width="1" stroke-dasharray="2 3"/>'
            f'<rect x="{x - half:.1f}" y="{top - 25}" width="{2 * half:.1f}" height="18" rx="9" '
            f'fill="#ffffff" stroke="{INK}" stroke-width="1.5"><title>{esc(tip)}</title></rect>'
            f'<text x="{x:.1f}" y="{top - 12:.1f}" text-anchor="middle" font-size="11" '
            f'fill="{INK}" font-weight="bold">{label}</text>'
        )
        # No link inside the chart: an image (role="img") must hold nothing focusable
        # (WCAG 4.1.2); the numbered list under the chart links to each cycle.
        body.append(flag)

    # Legend: shapes and words, never colour alone.
    ly = height - 14
    legend = [
        f'<circle cx="{left + 6}" cy="{ly - 4}" r="4" fill="{PRIMARY}"/>',
        text(left + 16, ly, "Value", size=12),
        f'<path d="{_diamond(left + 70, ly - 4, 6)}" fill="{SIGNAL}" stroke="{INK}" '
        'stroke-width="1"/>',
        text(left + 80, ly, "Part of a signal", size=12),
        f'<line x1="{left + 185}" y1="{ly - 4}" x2="{left + 209}" y2="{ly - 4}" '
        f'stroke="{INK}" stroke-width="2"/>',
        text(left + 214, ly, data.centre_name, size=12),
    ]
    lx = left + 270
    if data.is_control:
        legend.append(
            f'<line x1="{lx}" y1="{ly - 4}" x2="{lx + 24}" y2="{ly - 4}" stroke="{LIMIT}" '
            'stroke-width="1.5" stroke-dasharray="4 3"/>'
        )
        legend.append(text(lx + 29, ly, "Limits", size=12))
        lx += 80
    if data.target is not None:
        legend.append(
            f'<line x1="{lx}" y1="{ly - 4}" x2="{lx + 24}" y2="{ly - 4}" stroke="{GOAL}" '
            'stroke-width="2" stroke-dasharray="10 4"/>'
        )
        legend.append(text(lx + 29, ly, "Goal", size=12))
    body.extend(legend)

    summary = spc_summary(data)
    return Chart(
        svg=svg_document(
            width=width, height=height, title=data.title, description=summary, body="".join(body)
        ),
        title=data.title,
        summary=summary,
        headers=data.table_headers,
        rows=data.table_rows,
    )


def small_multiple_chart(data: SpcChartData, *, width: int = 280, height: int = 140) -> Chart:
    """A small chart for side-by-side comparison: the line, the centre line, signal
    points and the goal on a shared-looking frame, with the latest value in words."""
    n = len(data.y)
    left, right, top, bottom = 8, width - 8, 30, height - 10
    step = (right - left) / max(n, 1)
    xs = [left + step * (i + 0.5) for i in range(n)]
    extra = [data.target] if data.target is not None else []
    scale_y = LinearScale(
        _domain([*data.y, *data.cl, *data.lcl, *data.ucl, *extra], data.percent), (bottom, top)
    )
    latest = next((v for v in reversed(data.y) if v is not None), None)
    body = [
        f'<rect x="0.5" y="0.5" width="{width - 1}" height="{height - 1}" fill="#ffffff" '
        f'stroke="{GRID}"/>',
        text(8, 18, data.title[:34], size=13, weight="bold"),
        text(right, 18, _with_unit(latest, data.unit), anchor="end", size=13, fill=PRIMARY),
    ]
    if data.target is not None:
        gy = scale_y(data.target)
        body.append(
            f'<line x1="{left}" y1="{gy:.1f}" x2="{right}" y2="{gy:.1f}" stroke="{GOAL}" '
            'stroke-width="1.5" stroke-dasharray="6 3"/>'
        )
    parts = [i for i, _ in data.part_starts]
    for d in _step_path(xs, [None if v is None else scale_y(v) for v in data.cl], step / 2, parts):
        body.append(f'<path d="{d}" fill="none" stroke="{INK}" stroke-width="1.5"/>')
    for run in _segments(xs, [None if v is None else scale_y(v) for v in data.y]):
        body.append(f'<path d="{_path(run)}" fill="none" stroke="{PRIMARY}" stroke-width="1.5"/>')
    for i, value in enumerate(data.y):
        if value is not None and i < len(data.signal) and data.signal[i]:
            body.append(
                f'<path d="{_diamond(xs[i], scale_y(value), 4.5)}" fill="{SIGNAL}" '
                f'stroke="{INK}" stroke-width="0.8" data-signal="true"/>'
            )
    summary = spc_summary(data)
    return Chart(
        svg=svg_document(
            width=width, height=height, title=data.title, description=summary, body="".join(body)
        ),
        title=data.title,
        summary=summary,
        headers=data.table_headers,
        rows=data.table_rows,
    )


@dataclass
class FunnelPoint:
    label: str
    denominator: float
    value: float
    highlight: bool = False
    named: bool = False
    outside: str | None = None


@dataclass
class FunnelChartData:
    title: str
    points: list[FunnelPoint]
    centre: float | None
    curves: dict[str, list[tuple[float, float, float]]]
    unit: str = "%"
    percent: bool = True
    x_label: str = "Denominator (records in the month)"
    signal_texts: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    highlight_label: str = "Your team"


def funnel_chart(data: FunnelChartData, *, width: int = 760, height: int = 400) -> Chart:
    """Each team's value against its denominator, around the pooled mean, with 95% and
    99.8% limits that narrow as the denominator grows. The viewer's team is a labelled
    diamond; other teams are named only when the caller says they may be."""
    left, right, top, bottom = 64, width - 120, 24, height - 70
    dens = [p.denominator for p in data.points] or [1.0]
    x_high = max(dens) * 1.08
    scale_x = LinearScale((0.0, x_high), (left, right))
    curve_values = [v for pts in data.curves.values() for _, lo, hi in pts for v in (lo, hi)]
    values = [p.value for p in data.points] + curve_values
    if data.centre is not None:
        values.append(data.centre)
    scale_y = LinearScale(_domain(values, data.percent), (bottom, top))
    body = [
        y_axis(
            scale_y,
            x=left,
            right=right,
            ticks=nice_ticks(*scale_y.domain, 5),
            label="Value",
            tick_format=(lambda v: f"{fmt(v)}%") if data.percent else fmt,
        ),
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{MUTED}"/>',
    ]
    for tick in nice_ticks(0, x_high, 6):
        x = scale_x(tick)
        body.append(text(x, bottom + 16, fmt(tick, 0), anchor="middle", size=11, fill=MUTED))
    body.append(
        text((left + right) / 2, bottom + 36, data.x_label, anchor="middle", size=12, fill=MUTED)
    )
    for level, dash, name in (("95", "5 3", "95% limits"), ("998", "2 2", "99.8% limits")):
        pts = data.curves.get(level, [])
        if not pts:
            continue
        for which in (1, 2):
            path = _path([(scale_x(q[0]), scale_y(q[which])) for q in pts])
            body.append(
                f'<path d="{path}" fill="none" stroke="{LIMIT}" stroke-width="1.5" '
                f'stroke-dasharray="{dash}"/>'
            )
        body.append(text(right + 6, scale_y(pts[-1][2]) + 4, name, size=11, fill=MUTED))
    if data.centre is not None:
        cy = scale_y(data.centre)
        body.append(
            f'<line x1="{left}" y1="{cy:.1f}" x2="{right}" y2="{cy:.1f}" stroke="{INK}" '
            'stroke-width="2"/>'
        )
        body.append(
            text(
                right + 6,
                cy + 4,
                f"Mean {_with_unit(data.centre, data.unit)}",
                size=12,
                weight="bold",
            )
        )
    for point in data.points:
        x, y = scale_x(point.denominator), scale_y(point.value)
        tip = f"{point.label}: {_with_unit(point.value, data.unit)} of {fmt(point.denominator, 0)}"
        if point.highlight:
            body.append(
                f'<path d="{_diamond(x, y, 8)}" fill="{HIGHLIGHT}" stroke="{INK}" '
                f'stroke-width="1"><title>{esc(tip)}</title></path>'
            )
            body.append(text(x + 10, y - 8, point.label, size=12, weight="bold", fill=INK))
        else:
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{PRIMARY}" fill-opacity="0.8" '
                f'stroke="#ffffff"><title>{esc(tip)}</title></circle>'
            )
            if point.named:
                body.append(text(x + 7, y - 6, point.label[:30], size=11, fill=MUTED))
    n = len(data.points)
    sentences = [f"Funnel plot of {data.title}: {n} team{'' if n == 1 else 's'}."]
    if data.centre is not None:
        sentences.append(f"Pooled mean {_with_unit(data.centre, data.unit)}.")
    mine = [p for p in data.points if p.highlight]
    if mine:
        p = mine[0]
        where = {
            "above": "above the limits",
            "below": "below the limits",
            None: "within the limits",
        }[p.outside]
        sentences.append(f"{p.label}: {_with_unit(p.value, data.unit)}, {where}.")
    if data.signal_texts:
        sentences.append("Outside the limits: " + "; ".join(data.signal_texts) + ".")
    else:
        sentences.append("Every team is within the 95% limits: differences are what chance allows.")
    summary = " ".join(sentences)
    rows = [
        [
            p.label,
            fmt(p.denominator, 0),
            _with_unit(p.value, data.unit),
            {"above": "Above", "below": "Below", None: "Within"}[p.outside],
        ]
        for p in sorted(data.points, key=lambda q: (q.denominator, q.label))
    ]
    return Chart(
        svg=svg_document(
            width=width, height=height, title=data.title, description=summary, body="".join(body)
        ),
        title=data.title,
        summary=summary,
        headers=["Team", "Denominator", "Value", "Against the 95% limits"],
        rows=rows,
    )
