"""Funnel plots: each team's value against its denominator, around the pooled mean.

Every point is numbered as in the chart's table (in order of denominator). A point is
labelled where there is room: with its team's name when the viewer may see it, else
with its number; where there is no room, nothing (its tooltip and its row in the table
say everything). Labels never overlap one another nor any point (`core.charts.labels`),
with 3 teams or 300.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .. import (
    HIGHLIGHT,
    INK,
    MUTED,
    NARROW_WIDTH,
    PRIMARY,
    Chart,
    LegendItem,
    LinearScale,
    esc,
    fit_text,
    fmt,
    legend_layout,
    legend_marks,
    legend_rows,
    line_swatch,
    nice_ticks,
    svg_document,
    text,
    text_width,
    y_axis,
)
from ..labels import Box, Wanted, place_labels
from ._marks import (
    LIMIT,
    diamond,
    hline,
    path,
    right_label,
    spread,
    tick_format,
    value_domain,
    with_unit,
)

#: Where a team stands against the 95% limits, in the summary and in the table.
WHERE = {"above": "above the limits", "below": "below the limits", None: "within the limits"}
AGAINST = {"above": "Above", "below": "Below", None: "Within"}
LEVELS = (("95", "5 3", "95% limits"), ("998", "2 2", "99.8% limits"))


@dataclass
class FunnelPoint:
    label: str
    denominator: float
    value: float
    highlight: bool = False
    named: bool = False
    outside: str | None = None
    #: Its number in the table (None: numbered in the order of the points).
    number: int | None = None


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


@dataclass(frozen=True)
class _Area:
    left: int
    right: int
    top: int
    bottom: int
    x_high: float
    scale_x: LinearScale
    scale_y: LinearScale


@dataclass(frozen=True)
class _Layout:
    width: int
    left: int
    right_margin: int
    plot_height: int
    size: int
    narrow: bool = False


def funnel_chart(data: FunnelChartData, *, width: int = 760, height: int = 400) -> Chart:
    """Each team's value against its denominator, around the pooled mean, with 95% and
    99.8% limits that narrow as the denominator grows. The viewer's team is a labelled
    diamond; other teams are named where the caller says they may be and there is room,
    numbered where only a number fits. With its narrow variant for phones."""
    numbered = _numbered(data.points)
    summary = funnel_summary(data)
    wide = _Layout(width=width, left=64, right_margin=120, plot_height=height - 94, size=12)
    drawings = {}
    for layout in (wide, _narrow_layout(data)):
        body, w, h = _drawing(data, numbered, layout)
        drawings[layout.narrow] = svg_document(
            width=w, height=h, title=data.title, description=summary, body="".join(body)
        )
    return Chart(
        svg=drawings[False],
        narrow_svg=drawings[True],
        title=data.title,
        summary=summary,
        headers=["No.", "Team", "Denominator", "Value", "Against the 95% limits"],
        rows=[
            [
                str(number),
                p.label,
                fmt(p.denominator, 0),
                with_unit(p.value, data.unit),
                AGAINST[p.outside],
            ]
            for number, p in numbered
        ],
    )


def _numbered(points: list[FunnelPoint]) -> list[tuple[int, FunnelPoint]]:
    """(number, point) in the table's order: by number, else by denominator."""
    pairs = [(p.number or k, p) for k, p in enumerate(points, start=1)]
    return sorted(pairs, key=lambda pair: pair[0])


def _narrow_layout(data: FunnelChartData) -> _Layout:
    area = _area(data, left=0, right=1, top=0, bottom=1)
    fmt_tick = tick_format(data.percent)
    labels = [fmt_tick(t) for t in nice_ticks(*area.scale_y.domain, 4)]
    axis = max((text_width(label, 13) for label in labels), default=20)
    return _Layout(
        width=NARROW_WIDTH,
        left=math.ceil(axis + 10),
        right_margin=14,
        plot_height=230,
        size=13,
        narrow=True,
    )


def funnel_summary(data: FunnelChartData) -> str:
    """One paragraph in words: how many teams, the mean, where the viewer's team stands,
    who is outside the limits."""
    n = len(data.points)
    sentences = [f"Funnel plot of {data.title}: {n} team{'' if n == 1 else 's'}."]
    if data.centre is not None:
        sentences.append(f"Pooled mean {with_unit(data.centre, data.unit)}.")
    mine = [p for p in data.points if p.highlight]
    if mine:
        p = mine[0]
        sentences.append(f"{p.label}: {with_unit(p.value, data.unit)}, {WHERE[p.outside]}.")
    if data.signal_texts:
        sentences.append("Outside the limits: " + "; ".join(data.signal_texts) + ".")
    else:
        sentences.append("Every team is within the 95% limits: differences are what chance allows.")
    return " ".join(sentences)


def _area(data: FunnelChartData, *, left: int, right: int, top: int, bottom: int) -> _Area:
    """Denominators from 0 to a little past the largest; values fitting points, curves, mean."""
    x_high = max([p.denominator for p in data.points] or [1.0]) * 1.08
    curve_values = [v for pts in data.curves.values() for _, lo, hi in pts for v in (lo, hi)]
    values = [p.value for p in data.points] + curve_values
    if data.centre is not None:
        values.append(data.centre)
    return _Area(
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        x_high=x_high,
        scale_x=LinearScale((0.0, x_high), (left, right)),
        scale_y=LinearScale(value_domain(values, data.percent), (bottom, top)),
    )


def _drawing(
    data: FunnelChartData, numbered: list[tuple[int, FunnelPoint]], layout: _Layout
) -> tuple[list[str], int, int]:
    top = 24
    bottom = top + layout.plot_height
    area = _area(
        data, left=layout.left, right=layout.width - layout.right_margin, top=top, bottom=bottom
    )
    legend = legend_layout(
        _legend_items(data, layout), left=layout.left, right=layout.width - 8, size=layout.size
    )
    legend_y = bottom + 2 * layout.size + 38
    height = legend_y + 20 * (legend_rows(legend) - 1) + 12
    body = [
        *_axes(data=data, area=area, layout=layout),
        *_limit_curves(data=data, area=area),
        *_mean_line(data=data, area=area),
        *_right_labels(data=data, area=area, layout=layout),
        *_team_points(data=data, numbered=numbered, area=area, layout=layout),
        *legend_marks(legend, y=legend_y, size=layout.size),
    ]
    return body, layout.width, height


def _axes(*, data: FunnelChartData, area: _Area, layout: _Layout) -> list[str]:
    left, right, bottom = area.left, area.right, area.bottom
    size = layout.size
    marks = [
        y_axis(
            area.scale_y,
            x=left,
            right=right,
            ticks=nice_ticks(*area.scale_y.domain, 4 if layout.narrow else 5),
            label="" if layout.narrow else "Value",
            tick_format=tick_format(data.percent),
            size=size,
        ),
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{MUTED}"/>',
    ]
    for tick in nice_ticks(0, area.x_high, 4 if layout.narrow else 6):
        x = area.scale_x(tick)
        marks.append(
            text(x, bottom + size + 4, fmt(tick, 0), anchor="middle", size=size, fill=MUTED)
        )
    words = fit_text(data.x_label, size, layout.width - 16)
    middle = (left + right) / 2 if not layout.narrow else layout.width / 2
    marks.append(
        text(middle, bottom + 2 * size + 14, words, anchor="middle", size=size, fill=MUTED)
    )
    return marks


def _limit_curves(*, data: FunnelChartData, area: _Area) -> list[str]:
    """The 95% and 99.8% limits, lower and upper."""
    marks = []
    for level, dash, _ in LEVELS:
        pts = data.curves.get(level, [])
        for which in (1, 2) if pts else ():
            d = path([(area.scale_x(q[0]), area.scale_y(q[which])) for q in pts])
            marks.append(
                f'<path d="{d}" fill="none" stroke="{LIMIT}" stroke-width="1.5" '
                f'stroke-dasharray="{dash}"/>'
            )
    return marks


def _mean_line(*, data: FunnelChartData, area: _Area) -> list[str]:
    if data.centre is None:
        return []
    return [hline(left=area.left, right=area.right, y=area.scale_y(data.centre), stroke=INK)]


def _right_labels(*, data: FunnelChartData, area: _Area, layout: _Layout) -> list[str]:
    """The mean and the limits named at their right ends (wide drawing), moved apart
    where the funnel has narrowed so much that they would overlap."""
    if layout.narrow:
        return []
    labels = []  # (y, words, fill, weight)
    for level, _, name in LEVELS:
        pts = data.curves.get(level, [])
        if pts:
            labels.append((area.scale_y(pts[-1][2]), name, MUTED, "normal"))
    if data.centre is not None:
        words = f"Mean {with_unit(data.centre, data.unit)}"
        labels.append((area.scale_y(data.centre), words, INK, "bold"))
    labels.sort(key=lambda label: label[0])
    ys = spread([label[0] for label in labels], gap=15, low=area.top, high=area.bottom)
    return [
        right_label(right=area.right, y=y, words=words, size=12, fill=fill, weight=weight)
        for y, (_, words, fill, weight) in zip(ys, labels, strict=True)
    ]


def _wanted(
    numbered: list[tuple[int, FunnelPoint]], positions: dict[int, tuple[float, float]], centre
) -> list[Wanted]:
    """Labels in order of importance: the viewer's team, teams outside the limits, named
    teams, then the others (each group the most unusual first)."""

    def rank(pair: tuple[int, FunnelPoint]) -> tuple:
        number, p = pair
        group = 0 if p.highlight else 1 if p.outside else 2 if p.named else 3
        distance = abs(p.value - centre) if centre is not None else 0.0
        return (group, -distance, number)

    out = []
    for number, p in sorted(numbered, key=rank):
        x, y = positions[number]
        if p.highlight:
            choices = [p.label[:40]]  # else the legend names it
        elif p.named:
            choices = [p.label[:30], str(number)]
        else:
            choices = [str(number)]
        out.append(Wanted(number, x, y, choices, bold=p.highlight))
    return out


def _team_points(
    *, data: FunnelChartData, numbered: list[tuple[int, FunnelPoint]], area: _Area, layout: _Layout
) -> list[str]:
    """A dot per team with its tooltip (its number, name, value and standing); the
    viewer's team a diamond; then the labels that found room."""
    marks, obstacles = [], []
    positions = {}
    for number, point in numbered:
        x, y = area.scale_x(point.denominator), area.scale_y(point.value)
        positions[number] = (x, y)
        tip = (
            f"No. {number}, {point.label}: {with_unit(point.value, data.unit)} of "
            f"{fmt(point.denominator, 0)}, {WHERE[point.outside]}"
        )
        if point.highlight:
            marks.append(
                f'<path d="{diamond(x, y, 8)}" fill="{HIGHLIGHT}" stroke="{INK}" '
                f'stroke-width="1"><title>{esc(tip)}</title></path>'
            )
            obstacles.append(Box(x - 8, y - 8, x + 8, y + 8))
        else:
            marks.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{PRIMARY}" fill-opacity="0.8" '
                f'stroke="#ffffff"><title>{esc(tip)}</title></circle>'
            )
            obstacles.append(Box(x - 5, y - 5, x + 5, y + 5))
    placed = place_labels(
        _wanted(numbered, positions, data.centre),
        bounds=Box(area.left + 2, area.top, area.right, area.bottom - 2),
        size=layout.size,
        obstacles=obstacles,
        radius=8 if any(p.highlight for _, p in numbered) else 5,
    )
    for label in placed:
        marks.append(
            f'<text x="{label.x:.1f}" y="{label.y:.1f}" text-anchor="{label.anchor}" '
            f'font-size="{layout.size}" fill="{INK if label.bold else MUTED}" '
            f'font-weight="{"bold" if label.bold else "normal"}" data-point-label="{label.key}">'
            f"{esc(label.words)}</text>"
        )
    return marks


def _dot_swatch(x: float, y: float) -> str:
    return f'<circle cx="{x + 6:.1f}" cy="{y:.1f}" r="5" fill="{PRIMARY}" fill-opacity="0.8"/>'


def _diamond_swatch(x: float, y: float) -> str:
    return f'<path d="{diamond(x + 7, y, 7)}" fill="{HIGHLIGHT}" stroke="{INK}" stroke-width="1"/>'


def _legend_items(data: FunnelChartData, layout: _Layout) -> list[LegendItem]:
    """What each mark is; the narrow drawing also gives the mean's value here."""
    items = [LegendItem(_dot_swatch, "A team (its number, as in the table)", 12)]
    for point in data.points:
        if point.highlight:
            words = fit_text(point.label, layout.size, layout.width - 40)
            items.append(LegendItem(_diamond_swatch, words, 14))
    if data.centre is not None:
        words = f"Mean {with_unit(data.centre, data.unit)}" if layout.narrow else "Pooled mean"
        items.append(LegendItem(line_swatch(INK, 2), words, 24))
    for level, dash, name in LEVELS:
        if data.curves.get(level):
            items.append(LegendItem(line_swatch(LIMIT, 1.5, dash), name, 24))
    return items
