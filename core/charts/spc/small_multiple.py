"""Small multiples: a thumbnail of a run chart, for pages that put many side by side.

A thumbnail still says what it shows: its value axis's range (the lowest and highest
values it can show, in the chart's unit), the latest value with its period, and the
first and last periods. Signals keep the shapes and colours of the full chart.
Thumbnails are drawn at the size pages show them (256 units in a card at least 256 px
wide), so their 12 px text is never scaled down.

Thumbnails side by side are comparable only on one scale: `share_scales` gives every
chart of the same unit (all percentages, all "minutes"...) one value range.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from .. import GRID, INK, MUTED, Chart, esc, fit_text, nice_ticks, text, text_width
from ._marks import (
    COMMON,
    GOAL,
    hline,
    path,
    segments,
    signal_mark,
    tick_format,
    with_unit,
)
from .run_control import SpcChartData, _area, _as_chart, centre_paths

THUMB_WIDTH = 256
THUMB_HEIGHT = 160


def rounded_domain(values: Iterable[float | None], percent: bool) -> tuple[float, float]:
    """A value range that holds every value and starts and ends on round numbers (the
    thumbnail prints both ends): within 0-100 for percentages, from 0 for values that
    cannot be negative."""
    present = [v for v in values if v is not None and math.isfinite(v)]
    if not present:
        return (0.0, 100.0) if percent else (0.0, 1.0)
    low, high = min(present), max(present)
    if high == low:
        pad = max(abs(high) * 0.1, 1.0)
        low, high = low - pad, high + pad
    ticks = nice_ticks(low, high, 4)
    step = ticks[1] - ticks[0] if len(ticks) > 1 else max(abs(high), 1.0)
    lo = math.floor(low / step + 1e-9) * step
    hi = math.ceil(high / step - 1e-9) * step
    if percent:
        lo, hi = max(lo, 0.0), min(hi, 100.0)
    elif min(present) >= 0:
        lo = max(lo, 0.0)
    return (round(lo, 10), round(hi, 10))


def _values_of(data: SpcChartData) -> list[float | None]:
    extra = [data.target] if data.target is not None else []
    return [*data.y, *data.cl, *extra]


def share_scales(charts: Iterable[SpcChartData]) -> None:
    """Give the charts of each unit one value range (`y_domain`), so that thumbnails
    side by side compare: percentages with percentages, each other unit on its own."""
    groups: dict[tuple[bool, str], list[SpcChartData]] = {}
    for data in charts:
        groups.setdefault((data.percent, data.unit), []).append(data)
    for (percent, _), members in groups.items():
        domain = rounded_domain((v for d in members for v in _values_of(d)), percent)
        for data in members:
            data.y_domain = domain


def _latest_words(data: SpcChartData) -> str:
    """ "Latest 76% (October 2026)" or "No data yet"."""
    for i in range(len(data.y) - 1, -1, -1):
        if data.y[i] is not None:
            return f"Latest {with_unit(data.y[i], data.unit)} ({data.labels[i]})"
    return "No data yet"


def small_multiple_chart(
    data: SpcChartData, *, width: int = THUMB_WIDTH, height: int = THUMB_HEIGHT
) -> Chart:
    """A small chart for side-by-side comparison: the title, the latest value and its
    period, the value axis's two ends, the first and last periods, the line, the centre
    line, the goal, and signal points marked as on the full chart."""
    if data.y_domain is None:
        data.y_domain = rounded_domain(_values_of(data), data.percent)
    fmt_tick = tick_format(data.percent)
    low, high = data.y_domain
    ends = (fmt_tick(high), fmt_tick(low))
    left = 8 + math.ceil(max(text_width(end, 12) for end in ends)) + 6
    area = _area(data, left=left, right=width - 10, top=50, bottom=height - 28)
    right, top, bottom = area.right, area.top, area.bottom
    body = [
        f'<rect x="0.5" y="0.5" width="{width - 1}" height="{height - 1}" fill="#ffffff" '
        f'stroke="{GRID}"/>',
        text(8, 18, fit_text(data.title, 13, width - 16, bold=True), size=13, weight="bold"),
        text(8, 37, fit_text(_latest_words(data), 12, width - 16), size=12, fill=INK),
        # The value axis's ends: a faint line at each, its value at the left.
        f'<line x1="{left}" y1="{top}" x2="{right}" y2="{top}" stroke="{GRID}"/>',
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{MUTED}"/>',
        text(left - 5, top + 4, ends[0], anchor="end", size=12, fill=MUTED),
        text(left - 5, bottom + 4, ends[1], anchor="end", size=12, fill=MUTED),
    ]
    present = [i for i, v in enumerate(data.y) if v is not None]
    if present:
        first, last = data.labels[0], data.labels[-1]
        body.append(text(right, height - 9, last, anchor="end", size=12, fill=MUTED))
        if text_width(first, 12) + text_width(last, 12) + 12 < right - left and len(data.y) > 1:
            body.append(text(left, height - 9, first, size=12, fill=MUTED))
    if data.target is not None:
        body.append(
            hline(left=left, right=right, y=area.scale_y(data.target), stroke=GOAL, dash="6 3")
        )
    body += centre_paths(data, area, width=1.5)
    for run in segments(area.xs, area.ys(data.y)):
        body.append(f'<path d="{path(run)}" fill="none" stroke="{COMMON}" stroke-width="1.5"/>')
    marks = data.point_marks()
    for i in present:
        mark = marks[i]
        x, y = area.xs[i], area.scale_y(data.y[i])
        if mark is not None:
            body.append(
                signal_mark(
                    mark.kind,
                    mark.tone,
                    x,
                    y,
                    4.5,
                    up=mark.up,
                    attrs=f' data-signal="true" data-signal-kind="{esc(mark.kind)}"',
                )
            )
        elif i == present[-1]:
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{INK}"/>')
    return _as_chart(data, body_and_size=(body, width, height))
