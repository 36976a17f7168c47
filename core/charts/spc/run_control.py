"""Run and control charts, and the paragraph that says them in words.

`spc_chart` draws each chart twice: wide for a page, a PDF or an e-mail, and narrow for a
phone (`_Layout`: the narrow one has larger text for its width, fewer period labels, and
the lines' values in the legend instead of the right margin). Each drawing goes in
layers, each a named step below, bottom to top: the baseline shading, the axes and the
phase separators; the goal, the limits and the centre line; the values; the annotation
flags; the legend.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.utils.safestring import SafeString, mark_safe

from .. import (
    INK,
    MUTED,
    NARROW_WIDTH,
    Chart,
    LegendItem,
    chart_with_words,
    esc,
    fit_text,
    legend_layout,
    legend_marks,
    legend_rows,
    line_swatch,
    nice_ticks,
    text,
    text_width,
    y_axis,
)
from ._flags import Annotation, flag_layout, flag_marks, flag_swatch
from ._marks import (
    BASELINE_FILL,
    COMMON,
    GOAL,
    LIMIT,
    PHASE_KINDS,
    POINT_KINDS,
    TONE_WORDS,
    TONES,
    PlotArea,
    hline,
    path,
    plot_area,
    right_label,
    segments,
    signal_icon,
    signal_mark,
    spread,
    step_paths,
    tick_format,
    with_unit,
)

__all__ = ["Annotation", "PhaseSignal", "PointMark", "SignalItem", "SpcChartData", "spc_chart"]

#: The highlighted period's column (USWDS yellow-5), under the grid and the values.
HIGHLIGHT_FILL = "#faf3d1"


@dataclass(frozen=True)
class PointMark:
    """Which signal a point is part of: its kind (the mark's shape), its tone
    ("improvement", "concern", "neutral": the colour), the words of its tooltip, for a
    trend whether it rises (the triangle points up), and its short name for tables."""

    kind: str
    tone: str = "neutral"
    words: str = ""
    up: bool = True
    name: str = ""


@dataclass(frozen=True)
class PhaseSignal:
    """A signal of a whole phase (too few crossings, too few or too many runs): points
    `start` to `end`; the phase's centre line is drawn dashed and says `words`."""

    kind: str
    start: int
    end: int
    words: str


@dataclass(frozen=True)
class SignalItem:
    """One signal in the list under the chart: its mark, its name, the periods it spans
    and the sentence that explains it."""

    kind: str
    tone: str
    name: str
    periods: str
    text: str
    up: bool = True

    @property
    def icon(self) -> SafeString:
        return mark_safe(signal_icon(self.kind, self.tone, up=self.up))  # noqa: S308 - no text


@dataclass
class SpcChartData:
    """Everything a run or control chart draws, in displayed units.

    `marks` says, per point, which signal it is part of (None: none); without it, the
    points flagged in `signal` are drawn as plain signal diamonds. `y_domain` fixes the
    value axis (small multiples on a shared scale)."""

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
    marks: list[PointMark | None] = field(default_factory=list)
    phase_signals: list[PhaseSignal] = field(default_factory=list)
    signal_items: list[SignalItem] = field(default_factory=list)
    y_domain: tuple[float, float] | None = None
    #: The index of one period to pick out (the period a coach reviews), or None.
    highlight: int | None = None

    @property
    def part_indices(self) -> list[int]:
        """Where each phase after the first starts."""
        return [i for i, _ in self.part_starts]

    def point_marks(self) -> list[PointMark | None]:
        """Each point's signal mark: from `marks`, else a plain one where `signal` says so."""
        n = len(self.y)
        if self.marks:
            return [*self.marks[:n], *[None] * (n - len(self.marks))]
        plain = PointMark("signal", tone="", words="part of a signal")
        return [plain if i < len(self.signal) and self.signal[i] else None for i in range(n)]


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


def _area(data: SpcChartData, *, left: float, right: float, top: float, bottom: float) -> PlotArea:
    """The plot area, its value axis fitting the values, limits and goal (or the shared
    range the caller fixed)."""
    extra = [data.target] if data.target is not None else []
    return plot_area(
        periods=len(data.y),
        values=[*data.y, *data.cl, *data.lcl, *data.ucl, *extra],
        percent=data.percent,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        domain=data.y_domain,
    )


def _last_present(values: list[float | None]) -> float | None:
    """The newest value that is not missing (what the labels at the right show)."""
    return next((v for v in reversed(values) if v is not None), None)


# --- the run or control chart -------------------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    """The sizes of one drawing: margins, the plot's height, text sizes. `narrow` moves
    the lines' names from the right margin into the legend."""

    width: int
    left: int
    right_margin: int
    top: int
    plot_height: int
    legend_gap: int  # from the plot's bottom to the legend's first baseline
    size: int  # period labels, legend, flags
    max_periods: int  # period labels at most
    narrow: bool = False

    @property
    def right(self) -> int:
        return self.width - self.right_margin


def _wide(width: int, height: int) -> _Layout:
    return _Layout(
        width=width,
        left=64,
        right_margin=132,
        top=44,
        plot_height=height - 78 - 44,
        legend_gap=64,
        size=12,
        max_periods=12,
    )


def _narrow(data: SpcChartData) -> _Layout:
    """A phone's chart: 360 wide, text at 13 (12.9 px at 358 px), the value axis only as
    wide as its labels."""
    fmt_tick = tick_format(data.percent)
    area = _area(data, left=0, right=1, top=0, bottom=1)
    labels = [fmt_tick(t) for t in nice_ticks(*area.scale_y.domain, 4)]
    axis = max((text_width(label, 13) for label in labels), default=20)
    rotated = 18 if data.y_label and not data.percent else 0
    return _Layout(
        width=NARROW_WIDTH,
        left=math.ceil(axis + 10 + rotated),
        right_margin=14,
        top=40,
        plot_height=200,
        legend_gap=58,
        size=13,
        max_periods=6,
        narrow=True,
    )


def spc_chart(data: SpcChartData, *, width: int = 760, height: int = 380) -> Chart:
    """A run or control chart: the values joined by a line, the centre line per phase,
    the limits (control charts), the goal, the baseline shaded, the phases separated,
    each point that is part of a signal marked with the shape of its kind and the colour
    of what it means, numbered flags above the periods with PDSA cycles or notes, and a
    legend of every mark drawn; with its narrow variant for phones."""
    chart = _as_chart(data, body_and_size=_drawing(data, _wide(width, height)))
    narrow = _drawing(data, _narrow(data))
    chart.narrow_svg = _as_chart(data, body_and_size=narrow).svg
    return chart


def _as_chart(data: SpcChartData, *, body_and_size: tuple[list[str], int, int]) -> Chart:
    body, width, height = body_and_size
    chart = chart_with_words(
        title=data.title,
        summary=spc_summary(data),
        body=body,
        width=width,
        height=height,
        headers=data.table_headers,
        rows=data.table_rows,
    )
    chart.signals = list(data.signal_items)
    return chart


def _drawing(data: SpcChartData, layout: _Layout) -> tuple[list[str], int, int]:
    """The layers of one drawing, and its width and height (taller with more rows of
    flags or of legend)."""
    flags = flag_layout(
        data.annotations,
        periods=len(data.y),
        left=layout.left,
        right=layout.right,
        width=layout.width,
        size=layout.size,
    )
    top = layout.top + 20 * max(flags.lanes - 1, 0)
    bottom = top + layout.plot_height
    area = _area(data, left=layout.left, right=layout.right, top=top, bottom=bottom)
    legend = legend_layout(
        _legend_items(data, layout, has_flags=bool(flags.flags)),
        left=layout.left,
        right=layout.width - 8,
        size=layout.size,
    )
    legend_y = bottom + layout.legend_gap
    height = legend_y + 20 * (legend_rows(legend) - 1) + 14
    body = [
        # Baseline shading and phase separators go under everything else.
        *_baseline(data=data, area=area, layout=layout),
        *_highlight_band(data=data, area=area),
        *_axes(data=data, area=area, layout=layout),
        *_phase_separators(data=data, area=area, layout=layout),
        *_goal(data=data, area=area),
        *_limits(data=data, area=area),
        *_centre_line(data=data, area=area),
        *_right_labels(data=data, area=area, layout=layout),
        *_values(data=data, area=area, layout=layout),
        *_highlight_ring(data=data, area=area),
        *flag_marks(flags, area=area, size=layout.size),
        *legend_marks(legend, y=legend_y, size=layout.size),
    ]
    return body, layout.width, height


def _baseline(*, data: SpcChartData, area: PlotArea, layout: _Layout) -> list[str]:
    """The baseline periods shaded and named (not when the baseline is the whole series)."""
    if data.baseline_index is None or not 0 <= data.baseline_index < len(data.y) - 1:
        return []
    left, top, bottom = area.left, area.top, area.bottom
    x_end = area.xs[data.baseline_index] + area.step / 2
    name = fit_text("Baseline", layout.size, x_end - left - 6)
    return [
        f'<rect x="{left}" y="{top}" width="{x_end - left:.1f}" height="{bottom - top}" '
        f'fill="{BASELINE_FILL}"/>',
        text(left + 4, top + 14, name, size=layout.size, fill=MUTED) if name else "",
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


def _period_labels(data: SpcChartData, area: PlotArea, layout: _Layout) -> list[tuple[int, list]]:
    """The periods labelled: every k-th (k so that they neither crowd nor touch), always
    the last, each with the year under it where the year changed since the previous
    label shown (a thinned axis would otherwise lose January and its year)."""
    n = len(data.tick_labels)
    if not n:
        return []
    widest = max(text_width(label.split("\n")[0], layout.size) for label in data.tick_labels)
    room = math.ceil((n - 1) / max(layout.max_periods - 1, 1))  # the last one counts too
    every = max(1, room, math.ceil((widest + 8) / area.step))
    shown = [i for i in range(n) if i % every == 0]
    if n - 1 not in shown:
        if shown and (n - 1 - shown[-1]) * area.step < widest + 8:
            shown.pop()  # the last period's label wins over its close neighbour
        shown.append(n - 1)
    out, year, shown_year = [], "", ""
    wanted = set(shown)
    for i, label in enumerate(data.tick_labels):
        lines = label.split("\n")
        if len(lines) > 1:
            year = lines[1]
        if i not in wanted:
            continue
        if len(lines) == 1 and year and year != shown_year:
            lines.append(year)
        if len(lines) > 1:
            shown_year = lines[1]
        out.append((i, lines))
    return out


def _axes(*, data: SpcChartData, area: PlotArea, layout: _Layout) -> list[str]:
    """The value axis with its grid, the time axis, and the period labels."""
    left, right, bottom = area.left, area.right, area.bottom
    rotated = data.y_label and not (layout.narrow and data.percent)
    marks = [
        y_axis(
            area.scale_y,
            x=left,
            right=right,
            ticks=nice_ticks(*area.scale_y.domain, 4 if layout.narrow else 5),
            label="" if layout.narrow else data.y_label,
            tick_format=tick_format(data.percent),
            size=layout.size,
        ),
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{MUTED}" '
        'stroke-width="1"/>',
    ]
    if layout.narrow and rotated:
        middle = (area.top + bottom) / 2
        marks.append(
            f'<text transform="translate(13 {middle:.1f}) rotate(-90)" text-anchor="middle" '
            f'font-size="{layout.size}" fill="{MUTED}">'
            f"{esc(fit_text(data.y_label, layout.size, bottom - area.top))}</text>"
        )
    line = layout.size + 3
    for i, lines in _period_labels(data, area, layout):
        for k, words in enumerate(lines):
            marks.append(
                text(
                    area.xs[i],
                    bottom + line + 3 + line * k,
                    words,
                    anchor="middle",
                    size=layout.size,
                    fill=MUTED,
                )
            )
    return marks


def _phase_separators(*, data: SpcChartData, area: PlotArea, layout: _Layout) -> list[str]:
    """A dashed line before each new phase, with the phase's name (cut to the room it
    has before the next phase)."""
    marks = []
    starts = [area.xs[i] - area.step / 2 for i, _ in data.part_starts]
    for k, (_, label) in enumerate(data.part_starts):
        x = starts[k]
        marks.append(
            f'<line x1="{x:.1f}" y1="{area.top}" x2="{x:.1f}" y2="{area.bottom}" stroke="{INK}" '
            'stroke-width="1.5" stroke-dasharray="6 3"/>'
        )
        room = (starts[k + 1] if k + 1 < len(starts) else area.right) - x - 8
        words = fit_text(label[:40], layout.size, room) if label else ""
        if words:
            marks.append(text(x + 4, area.top + 28, words, size=layout.size, fill=INK))
    return marks


def _goal(*, data: SpcChartData, area: PlotArea) -> list[str]:
    """The goal as a long-dashed green line."""
    if data.target is None:
        return []
    gy = area.scale_y(data.target)
    return [hline(left=area.left, right=area.right, y=gy, stroke=GOAL, dash="10 4")]


def _limits(*, data: SpcChartData, area: PlotArea) -> list[str]:
    """Control charts: each limit as dashed steps per phase."""
    if not data.is_control:
        return []
    return [
        f'<path d="{d}" fill="none" stroke="{LIMIT}" stroke-width="1.5" stroke-dasharray="4 3"/>'
        for limits in (data.ucl, data.lcl)
        for d in step_paths(area.xs, area.ys(limits), area.step / 2, data.part_indices)
    ]


def _phase_ranges(data: SpcChartData) -> list[tuple[int, int]]:
    cuts = [0, *data.part_indices, len(data.y)]
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if a < b]


def centre_paths(data: SpcChartData, area: PlotArea, *, width: float) -> list[str]:
    """The median or mean as solid steps per phase; a phase with a signal of its own
    (too few crossings...) has its centre line dashed in the signal colour, saying why
    (as qicharts2 dashes the centre line of a run chart with a runs signal)."""
    if not data.phase_signals:  # the common case, in one pass (300 thumbnails a page)
        return [
            f'<path d="{d}" fill="none" stroke="{INK}" stroke-width="{width}"/>'
            for d in step_paths(area.xs, area.ys(data.cl), area.step / 2, data.part_indices)
        ]
    marks = []
    for a, b in _phase_ranges(data):
        flagged = [s for s in data.phase_signals if a <= s.start < b]
        ys = area.ys(data.cl[a:b]) if data.cl else []
        for d in step_paths(area.xs[a:b], ys, area.step / 2, []):
            if flagged:
                words = "; ".join(s.words for s in flagged)
                marks.append(
                    f'<path d="{d}" fill="none" stroke="{TONES["neutral"]}" '
                    f'stroke-width="{width + 0.5}" stroke-dasharray="8 4" '
                    f'data-phase-signal="true"><title>'
                    f"{esc(f'{data.centre_name}: {words}')}</title></path>"
                )
            else:
                marks.append(f'<path d="{d}" fill="none" stroke="{INK}" stroke-width="{width}"/>')
    return marks


def _centre_line(*, data: SpcChartData, area: PlotArea) -> list[str]:
    """The median or mean per phase (see `centre_paths`)."""
    return centre_paths(data, area, width=2)


def _right_labels(*, data: SpcChartData, area: PlotArea, layout: _Layout) -> list[str]:
    """The lines' names and last values in the right margin (wide drawing only), moved
    apart where lines are close so that no two labels overlap."""
    if layout.narrow:
        return []
    labels = []  # (y, words, size, fill, weight)
    last_cl = _last_present(data.cl)
    if last_cl is not None:
        words = f"{data.centre_name} {with_unit(last_cl, data.unit)}"
        labels.append((area.scale_y(last_cl), words, 12, INK, "bold"))
    if data.target is not None:
        words = f"Goal {with_unit(data.target, data.unit)}"
        labels.append((area.scale_y(data.target), words, 12, GOAL, "normal"))
    if data.is_control:
        for limits, name in ((data.ucl, "Upper limit"), (data.lcl, "Lower limit")):
            last = _last_present(limits)
            if last is not None:
                words = f"{name} {with_unit(last, data.unit)}"
                labels.append((area.scale_y(last), words, 12, MUTED, "normal"))
    labels.sort(key=lambda label: label[0])
    ys = spread([label[0] for label in labels], gap=15, low=area.top - 4, high=area.bottom + 4)
    room = layout.width - area.right - 8
    return [
        right_label(
            right=area.right,
            y=y,
            words=fit_text(words, size, room, bold=weight == "bold"),
            size=size,
            fill=fill,
            weight=weight,
        )
        for y, (_, words, size, fill, weight) in zip(ys, labels, strict=True)
    ]


def _point_tip(data: SpcChartData, i: int, value: float, mark: PointMark | None) -> str:
    tip = f"{data.labels[i]}: {with_unit(value, data.unit)}"
    if i < len(data.details) and data.details[i]:
        tip += f" ({data.details[i]})"
    if mark is not None:
        tip += f" – {mark.words}"
    return tip


def _values(*, data: SpcChartData, area: PlotArea, layout: _Layout) -> list[str]:
    """The line (broken where a value is missing), then each point with its tooltip: a
    grey dot, or the mark of the signal it is part of (shape: the kind; colour: what it
    means)."""
    marks = [
        f'<path d="{path(run)}" fill="none" stroke="{COMMON}" stroke-width="2" '
        'stroke-linejoin="round"/>'
        for run in segments(area.xs, area.ys(data.y))
    ]
    radius = 7 if not layout.narrow else 6
    for i, (value, mark) in enumerate(zip(data.y, data.point_marks(), strict=True)):
        if value is None:
            continue
        x, y = area.xs[i], area.scale_y(value)
        tip = _point_tip(data, i, value, mark)
        if mark is not None:
            marks.append(
                signal_mark(
                    mark.kind,
                    mark.tone,
                    x,
                    y,
                    radius,
                    up=mark.up,
                    title=tip,
                    attrs=f' data-signal="true" data-signal-kind="{esc(mark.kind)}"',
                )
            )
        else:
            marks.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{COMMON}" stroke="#ffffff" '
                f'stroke-width="1"><title>{esc(tip)}</title></circle>'
            )
    return marks


def _value_swatch(x: float, y: float) -> str:
    return f'<circle cx="{x + 5:.1f}" cy="{y:.1f}" r="4" fill="{COMMON}"/>'


def _mark_swatch(kind: str, tone: str, up: bool):
    def draw(x: float, y: float) -> str:
        return signal_mark(kind, tone, x + 7, y, 6, up=up)

    return draw


def _legend_items(data: SpcChartData, layout: _Layout, *, has_flags: bool) -> list[LegendItem]:
    """Shapes and words, never colour alone: only what the chart draws. The narrow
    drawing names the lines' last values here (it has no right margin)."""
    narrow = layout.narrow
    centre = data.centre_name
    last_cl = _last_present(data.cl)
    if narrow and last_cl is not None:
        centre += f" {with_unit(last_cl, data.unit)}"
    items = [LegendItem(_value_swatch, "Value", 12)]
    flagged = {
        a for a, b in _phase_ranges(data) if any(a <= s.start < b for s in data.phase_signals)
    }
    if len(flagged) < len(_phase_ranges(data)):  # a phase's centre line is drawn solid
        items.append(LegendItem(line_swatch(INK, 2), centre, 24))
    if data.is_control:
        words = "Limits"
        low, high = _last_present(data.lcl), _last_present(data.ucl)
        if narrow and high is not None:
            words += f" {with_unit(low, data.unit)}–{with_unit(high, data.unit)}"
        items.append(LegendItem(line_swatch(LIMIT, 1.5, "4 3"), words, 24))
    if data.target is not None:
        words = f"Goal {with_unit(data.target, data.unit)}" if narrow else "Goal"
        items.append(LegendItem(line_swatch(GOAL, 2, "10 4"), words, 24))
    seen: dict[tuple[str, str], bool] = {}
    for value, mark in zip(data.y, data.point_marks(), strict=True):
        if value is not None and mark is not None:
            seen.setdefault((mark.kind, mark.tone), mark.up)
    order = list(POINT_KINDS)
    for kind, tone in sorted(seen, key=lambda kt: (order.index(kt[0]), kt[1])):
        words = POINT_KINDS[kind]
        if tone in TONE_WORDS:
            words += f", {TONE_WORDS[tone]}"
        items.append(LegendItem(_mark_swatch(kind, tone, seen[(kind, tone)]), words, 14))
    for kind in dict.fromkeys(s.kind for s in data.phase_signals):
        words = f"{centre} dashed: {PHASE_KINDS.get(kind, kind).lower()}"
        items.append(LegendItem(line_swatch(TONES["neutral"], 2.5, "8 4"), words, 24))
    if has_flags:
        items.append(
            LegendItem(flag_swatch(layout.size), "Test of change or note (listed below)", 18)
        )
    return items
