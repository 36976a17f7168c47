"""Funnel plots: each team's value against its denominator, around the pooled mean."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import (
    HIGHLIGHT,
    INK,
    MUTED,
    PRIMARY,
    Chart,
    LinearScale,
    chart_with_words,
    esc,
    fmt,
    nice_ticks,
    text,
    y_axis,
)
from ._marks import (
    LIMIT,
    diamond,
    hline,
    path,
    right_label,
    tick_format,
    value_domain,
    with_unit,
)

#: Where a team stands against the 95% limits, in the summary and in the table.
WHERE = {"above": "above the limits", "below": "below the limits", None: "within the limits"}
AGAINST = {"above": "Above", "below": "Below", None: "Within"}


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


@dataclass(frozen=True)
class _Area:
    left: int
    right: int
    bottom: int
    x_high: float
    scale_x: LinearScale
    scale_y: LinearScale


def funnel_chart(data: FunnelChartData, *, width: int = 760, height: int = 400) -> Chart:
    """Each team's value against its denominator, around the pooled mean, with 95% and
    99.8% limits that narrow as the denominator grows. The viewer's team is a labelled
    diamond; other teams are named only when the caller says they may be."""
    area = _area(data, left=64, right=width - 120, top=24, bottom=height - 70)
    body = [
        *_axes(data=data, area=area),
        *_limit_curves(data=data, area=area),
        *_mean_line(data=data, area=area),
        *_team_points(data=data, area=area),
    ]
    return chart_with_words(
        title=data.title,
        summary=funnel_summary(data),
        body=body,
        width=width,
        height=height,
        headers=["Team", "Denominator", "Value", "Against the 95% limits"],
        rows=[
            [p.label, fmt(p.denominator, 0), with_unit(p.value, data.unit), AGAINST[p.outside]]
            for p in sorted(data.points, key=lambda q: (q.denominator, q.label))
        ],
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
        bottom=bottom,
        x_high=x_high,
        scale_x=LinearScale((0.0, x_high), (left, right)),
        scale_y=LinearScale(value_domain(values, data.percent), (bottom, top)),
    )


def _axes(*, data: FunnelChartData, area: _Area) -> list[str]:
    left, right, bottom = area.left, area.right, area.bottom
    marks = [
        y_axis(
            area.scale_y,
            x=left,
            right=right,
            ticks=nice_ticks(*area.scale_y.domain, 5),
            label="Value",
            tick_format=tick_format(data.percent),
        ),
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{MUTED}"/>',
    ]
    for tick in nice_ticks(0, area.x_high, 6):
        x = area.scale_x(tick)
        marks.append(text(x, bottom + 16, fmt(tick, 0), anchor="middle", size=11, fill=MUTED))
    marks.append(
        text((left + right) / 2, bottom + 36, data.x_label, anchor="middle", size=12, fill=MUTED)
    )
    return marks


def _limit_curves(*, data: FunnelChartData, area: _Area) -> list[str]:
    """The 95% and 99.8% limits, lower and upper, each named at its right end."""
    marks = []
    for level, dash, name in (("95", "5 3", "95% limits"), ("998", "2 2", "99.8% limits")):
        pts = data.curves.get(level, [])
        if not pts:
            continue
        for which in (1, 2):
            d = path([(area.scale_x(q[0]), area.scale_y(q[which])) for q in pts])
            marks.append(
                f'<path d="{d}" fill="none" stroke="{LIMIT}" stroke-width="1.5" '
                f'stroke-dasharray="{dash}"/>'
            )
        last_upper = area.scale_y(pts[-1][2])
        marks.append(right_label(right=area.right, y=last_upper, words=name, size=11, fill=MUTED))
    return marks


def _mean_line(*, data: FunnelChartData, area: _Area) -> list[str]:
    if data.centre is None:
        return []
    cy = area.scale_y(data.centre)
    return [
        hline(left=area.left, right=area.right, y=cy, stroke=INK),
        right_label(
            right=area.right,
            y=cy,
            words=f"Mean {with_unit(data.centre, data.unit)}",
            size=12,
            weight="bold",
        ),
    ]


def _team_points(*, data: FunnelChartData, area: _Area) -> list[str]:
    """A dot per team with its tooltip; the viewer's team a labelled diamond; other
    teams' names only where `named`."""
    marks = []
    for point in data.points:
        x, y = area.scale_x(point.denominator), area.scale_y(point.value)
        tip = f"{point.label}: {with_unit(point.value, data.unit)} of {fmt(point.denominator, 0)}"
        if point.highlight:
            marks.append(
                f'<path d="{diamond(x, y, 8)}" fill="{HIGHLIGHT}" stroke="{INK}" '
                f'stroke-width="1"><title>{esc(tip)}</title></path>'
            )
            marks.append(text(x + 10, y - 8, point.label, size=12, weight="bold", fill=INK))
        else:
            marks.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{PRIMARY}" fill-opacity="0.8" '
                f'stroke="#ffffff"><title>{esc(tip)}</title></circle>'
            )
            if point.named:
                marks.append(text(x + 7, y - 6, point.label[:30], size=11, fill=MUTED))
    return marks
