"""Run and control charts, their small multiples, and the paragraph that says them in words.

`spc_chart` draws in layers, each a named step below, bottom to top: the baseline
shading, the axes and the phase separators; the goal, the limits and the centre line;
the values; the annotation flags; the legend.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .. import GRID, INK, MUTED, PRIMARY, Chart, chart_with_words, esc, nice_ticks, text, y_axis
from ._marks import (
    BASELINE_FILL,
    GOAL,
    LIMIT,
    SIGNAL,
    PlotArea,
    diamond,
    hline,
    path,
    plot_area,
    right_label,
    segments,
    step_paths,
    tick_format,
    with_unit,
)

#: The highlighted period's column (USWDS yellow-5), under the grid and the values.
HIGHLIGHT_FILL = "#faf3d1"


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
    #: The index of one period to pick out (the period a coach reviews), or None.
    highlight: int | None = None

    @property
    def part_indices(self) -> list[int]:
        """Where each phase after the first starts."""
        return [i for i, _ in self.part_starts]


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
    sentences.append(f"Latest value {with_unit(data.y[last], data.unit)} ({data.labels[last]}).")
    centre = data.cl[last] if data.cl and last < len(data.cl) else None
    if centre is not None:
        sentences.append(f"{data.centre_name} {with_unit(centre, data.unit)}.")
    if data.is_control and data.ucl and data.ucl[last] is not None:
        low = data.lcl[last] if data.lcl else None
        sentences.append(
            f"Limits {with_unit(low, data.unit)} to {with_unit(data.ucl[last], data.unit)}."
        )
    if data.target is not None:
        sentences.append(f"{data.target_label or 'Goal'}: {with_unit(data.target, data.unit)}.")
    if data.highlight is not None and 0 <= data.highlight < len(data.y):
        shown = with_unit(data.y[data.highlight], data.unit)
        sentences.append(f"Highlighted: {data.labels[data.highlight]}, {shown}.")
    if data.signal_texts:
        sentences.append("Signals: " + "; ".join(data.signal_texts) + ".")
    else:
        sentences.append("No signal: the variation is what chance alone would produce.")
    return " ".join(sentences)


def _area(data: SpcChartData, *, left: int, right: int, top: int, bottom: int) -> PlotArea:
    """The plot area, its value axis fitting the values, limits and goal."""
    extra = [data.target] if data.target is not None else []
    return plot_area(
        periods=len(data.y),
        values=[*data.y, *data.cl, *data.lcl, *data.ucl, *extra],
        percent=data.percent,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
    )


def _last_present(values: list[float | None]) -> float | None:
    """The newest value that is not missing (what the labels at the right show)."""
    return next((v for v in reversed(values) if v is not None), None)


def _as_chart(data: SpcChartData, *, body: list[str], width: int, height: int) -> Chart:
    return chart_with_words(
        title=data.title,
        summary=spc_summary(data),
        body=body,
        width=width,
        height=height,
        headers=data.table_headers,
        rows=data.table_rows,
    )


# --- the run or control chart -------------------------------------------------------------


def spc_chart(data: SpcChartData, *, width: int = 760, height: int = 380) -> Chart:
    """A run or control chart: the values joined by a line, the centre line per phase,
    the limits (control charts), the goal, the baseline shaded, the phases separated,
    points that belong to a signal drawn as larger orange diamonds (shape and colour),
    and numbered annotation flags above the periods with PDSA cycles or notes."""
    area = _area(data, left=64, right=width - 132, top=44, bottom=height - 78)
    body = [
        # Baseline shading and phase separators go under everything else.
        *_baseline(data=data, area=area),
        *_highlight_band(data=data, area=area),
        *_axes(data=data, area=area),
        *_phase_separators(data=data, area=area),
        *_goal(data=data, area=area),
        *_limits(data=data, area=area),
        *_centre_line(data=data, area=area),
        *_values(data=data, area=area),
        *_highlight_ring(data=data, area=area),
        *_flags(data=data, area=area),
        *_legend(data=data, left=area.left, y=height - 14),
    ]
    return _as_chart(data, body=body, width=width, height=height)


def _baseline(*, data: SpcChartData, area: PlotArea) -> list[str]:
    """The baseline periods shaded and named (not when the baseline is the whole series)."""
    if data.baseline_index is None or not 0 <= data.baseline_index < len(data.y) - 1:
        return []
    left, top, bottom = area.left, area.top, area.bottom
    x_end = area.xs[data.baseline_index] + area.step / 2
    return [
        f'<rect x="{left}" y="{top}" width="{x_end - left:.1f}" height="{bottom - top}" '
        f'fill="{BASELINE_FILL}"/>',
        text(left + 4, top + 14, "Baseline", size=12, fill=MUTED),
    ]


def _highlight_band(*, data: SpcChartData, area: PlotArea) -> list[str]:
    """The highlighted period's column, shaded under the grid and the values."""
    if data.highlight is None or not 0 <= data.highlight < len(data.y):
        return []
    x = area.xs[data.highlight] - area.step / 2
    return [
        f'<rect x="{x:.1f}" y="{area.top}" width="{area.step:.1f}" '
        f'height="{area.bottom - area.top}" fill="{HIGHLIGHT_FILL}" data-highlight="band"/>'
    ]


def _highlight_ring(*, data: SpcChartData, area: PlotArea) -> list[str]:
    """A dark ring around the highlighted period's point (shape, not colour alone), its
    tooltip naming the period and saying that it is the one highlighted."""
    i = data.highlight
    if i is None or not 0 <= i < len(data.y) or data.y[i] is None:
        return []
    tip = f"{data.labels[i]}: {with_unit(data.y[i], data.unit)}"
    if i < len(data.details) and data.details[i]:
        tip += f" ({data.details[i]})"
    return [
        f'<circle cx="{area.xs[i]:.1f}" cy="{area.scale_y(data.y[i]):.1f}" r="11" fill="none" '
        f'stroke="{INK}" stroke-width="2.5" data-highlight="true">'
        f"<title>{esc(tip + ' – this period')}</title></circle>"
    ]


def _axes(*, data: SpcChartData, area: PlotArea) -> list[str]:
    """The value axis with its grid, the time axis, and the period labels: at most about
    twelve (every k-th, always the last), a label's lines stacked."""
    left, right, bottom = area.left, area.right, area.bottom
    n = len(data.y)
    marks = [
        y_axis(
            area.scale_y,
            x=left,
            right=right,
            ticks=nice_ticks(*area.scale_y.domain, 5),
            label=data.y_label,
            tick_format=tick_format(data.percent),
        ),
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{MUTED}" '
        'stroke-width="1"/>',
    ]
    every = max(1, math.ceil(n / 12))
    for i, label in enumerate(data.tick_labels):
        if i % every and i != n - 1:
            continue
        for k, line in enumerate(label.split("\n")):
            marks.append(
                text(area.xs[i], bottom + 16 + 14 * k, line, anchor="middle", size=11, fill=MUTED)
            )
    return marks


def _phase_separators(*, data: SpcChartData, area: PlotArea) -> list[str]:
    """A dashed line before each new phase, with the phase's name."""
    marks = []
    for i, label in data.part_starts:
        x = area.xs[i] - area.step / 2
        marks.append(
            f'<line x1="{x:.1f}" y1="{area.top}" x2="{x:.1f}" y2="{area.bottom}" stroke="{INK}" '
            'stroke-width="1.5" stroke-dasharray="6 3"/>'
        )
        if label:
            marks.append(text(x + 4, area.top + 28, label[:40], size=12, fill=INK))
    return marks


def _goal(*, data: SpcChartData, area: PlotArea) -> list[str]:
    """The goal as a long-dashed green line, labelled at the right."""
    if data.target is None:
        return []
    gy = area.scale_y(data.target)
    return [
        hline(left=area.left, right=area.right, y=gy, stroke=GOAL, dash="10 4"),
        right_label(
            right=area.right,
            y=gy,
            words=f"Goal {with_unit(data.target, data.unit)}",
            size=12,
            fill=GOAL,
        ),
    ]


def _limits(*, data: SpcChartData, area: PlotArea) -> list[str]:
    """Control charts: each limit as dashed steps per phase, labelled with its last value."""
    if not data.is_control:
        return []
    marks = []
    for limits, name in ((data.ucl, "Upper limit"), (data.lcl, "Lower limit")):
        for d in step_paths(area.xs, area.ys(limits), area.step / 2, data.part_indices):
            marks.append(
                f'<path d="{d}" fill="none" stroke="{LIMIT}" stroke-width="1.5" '
                'stroke-dasharray="4 3"/>'
            )
        last = _last_present(limits)
        if last is not None:
            marks.append(
                right_label(
                    right=area.right,
                    y=area.scale_y(last),
                    words=f"{name} {with_unit(last, data.unit)}",
                    size=11,
                    fill=MUTED,
                )
            )
    return marks


def _centre_line(*, data: SpcChartData, area: PlotArea) -> list[str]:
    """The median or mean as solid steps per phase, its last value in bold at the right."""
    marks = [
        f'<path d="{d}" fill="none" stroke="{INK}" stroke-width="2"/>'
        for d in step_paths(area.xs, area.ys(data.cl), area.step / 2, data.part_indices)
    ]
    last_cl = _last_present(data.cl)
    if last_cl is not None:
        marks.append(
            right_label(
                right=area.right,
                y=area.scale_y(last_cl),
                words=f"{data.centre_name} {with_unit(last_cl, data.unit)}",
                size=12,
                weight="bold",
            )
        )
    return marks


def _values(*, data: SpcChartData, area: PlotArea) -> list[str]:
    """The line (broken where a value is missing), then each point with its tooltip: a
    dot, or an orange diamond for a point that is part of a signal."""
    marks = [
        f'<path d="{path(run)}" fill="none" stroke="{PRIMARY}" stroke-width="2" '
        'stroke-linejoin="round"/>'
        for run in segments(area.xs, area.ys(data.y))
    ]
    for i, value in enumerate(data.y):
        if value is None:
            continue
        x, y = area.xs[i], area.scale_y(value)
        tip = f"{data.labels[i]}: {with_unit(value, data.unit)}"
        if i < len(data.details) and data.details[i]:
            tip += f" ({data.details[i]})"
        if i < len(data.signal) and data.signal[i]:
            marks.append(
                f'<path d="{diamond(x, y, 7)}" fill="{SIGNAL}" stroke="{INK}" stroke-width="1" '
                f'data-signal="true"><title>{esc(tip + " – part of a signal")}</title></path>'
            )
        else:
            marks.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{PRIMARY}" stroke="#ffffff" '
                f'stroke-width="1"><title>{esc(tip)}</title></circle>'
            )
    return marks


def _flags(*, data: SpcChartData, area: PlotArea) -> list[str]:
    """Annotation flags, numbered like the list under the chart (which carries the links);
    several in one period share a flag ("3-4"), each still listed under the chart."""
    top, bottom = area.top, area.bottom
    flags: dict[int, list[tuple[int, Annotation]]] = {}
    for number, note in enumerate(data.annotations, start=1):
        if 0 <= note.index < len(data.y):
            flags.setdefault(note.index, []).append((number, note))
    marks = []
    for index, notes in flags.items():
        x = area.xs[index]
        first, last = notes[0][0], notes[-1][0]
        label = str(first) if first == last else f"{first}-{last}"
        half = 9 if first == last else 6 + 4 * len(label)
        tip = "; ".join(note.label for _, note in notes)
        # No link inside the chart: an image (role="img") must hold nothing focusable
        # (WCAG 4.1.2); the numbered list under the chart links to each cycle.
        marks.append(
            f'<line x1="{x:.1f}" y1="{top - 8}" x2="{x:.1f}" y2="{bottom}" stroke="{GRID}" '
            'stroke-width="1" stroke-dasharray="2 3"/>'
            f'<rect x="{x - half:.1f}" y="{top - 25}" width="{2 * half:.1f}" height="18" rx="9" '
            f'fill="#ffffff" stroke="{INK}" stroke-width="1.5"><title>{esc(tip)}</title></rect>'
            f'<text x="{x:.1f}" y="{top - 12:.1f}" text-anchor="middle" font-size="11" '
            f'fill="{INK}" font-weight="bold">{label}</text>'
        )
    return marks


def _legend(*, data: SpcChartData, left: int, y: int) -> list[str]:
    """Shapes and words, never colour alone; limits and goal only when drawn. `y` is
    the words' baseline."""
    ly = y
    legend = [
        f'<circle cx="{left + 6}" cy="{ly - 4}" r="4" fill="{PRIMARY}"/>',
        text(left + 16, ly, "Value", size=12),
        f'<path d="{diamond(left + 70, ly - 4, 6)}" fill="{SIGNAL}" stroke="{INK}" '
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
    return legend


# --- small multiples ----------------------------------------------------------------------


def small_multiple_chart(data: SpcChartData, *, width: int = 280, height: int = 140) -> Chart:
    """A small chart for side-by-side comparison: the line, the centre line, signal
    points and the goal on a shared-looking frame, with the latest value in words."""
    area = _area(data, left=8, right=width - 8, top=30, bottom=height - 10)
    left, right = area.left, area.right
    latest = _last_present(data.y)
    body = [
        f'<rect x="0.5" y="0.5" width="{width - 1}" height="{height - 1}" fill="#ffffff" '
        f'stroke="{GRID}"/>',
        text(8, 18, data.title[:34], size=13, weight="bold"),
        text(right, 18, with_unit(latest, data.unit), anchor="end", size=13, fill=PRIMARY),
    ]
    if data.target is not None:
        gy = area.scale_y(data.target)
        body.append(
            f'<line x1="{left}" y1="{gy:.1f}" x2="{right}" y2="{gy:.1f}" stroke="{GOAL}" '
            'stroke-width="1.5" stroke-dasharray="6 3"/>'
        )
    for d in step_paths(area.xs, area.ys(data.cl), area.step / 2, data.part_indices):
        body.append(f'<path d="{d}" fill="none" stroke="{INK}" stroke-width="1.5"/>')
    for run in segments(area.xs, area.ys(data.y)):
        body.append(f'<path d="{path(run)}" fill="none" stroke="{PRIMARY}" stroke-width="1.5"/>')
    for i, value in enumerate(data.y):
        if value is not None and i < len(data.signal) and data.signal[i]:
            body.append(
                f'<path d="{diamond(area.xs[i], area.scale_y(value), 4.5)}" fill="{SIGNAL}" '
                f'stroke="{INK}" stroke-width="0.8" data-signal="true"/>'
            )
    return _as_chart(data, body=body, width=width, height=height)
