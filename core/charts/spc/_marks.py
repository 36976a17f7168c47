"""What the SPC charts share: their colours, the value scale, lines broken by missing
values, step lines for limits that vary per point, the signal diamond, and the labels
in the right margin."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .. import HIGHLIGHT, INK, MUTED, LinearScale, fmt, nice_ticks, text

GOAL = "#216e1f"  # dark green: 6:1 on white
SIGNAL = HIGHLIGHT
BASELINE_FILL = "#f0f0f0"
LIMIT = MUTED


def with_unit(value: float | None, unit: str) -> str:
    """A value as the chart's words say it: "68.5%", "12 kg", "–" when missing."""
    if value is None:
        return "–"
    if unit == "%":
        return f"{fmt(value)}%"
    return f"{fmt(value)} {unit}".strip()


def tick_format(percent: bool) -> Callable[[float], str]:
    """How the value axis labels its ticks."""
    return (lambda v: f"{fmt(v)}%") if percent else fmt


def value_domain(values: Sequence[float | None], percent: bool) -> tuple[float, float]:
    """The value axis's range: every value with a margin, widened to round ticks, never
    below 0 for values that cannot be negative nor outside 0-100 for percentages."""
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


@dataclass(frozen=True)
class PlotArea:
    """Where a series is drawn: one slot of `step` pixels per period, centred at `xs`."""

    left: int
    right: int
    top: int
    bottom: int
    step: float
    xs: list[float]
    scale_y: LinearScale

    def ys(self, values: Sequence[float | None]) -> list[float | None]:
        """Values in pixels; missing stays missing."""
        return [None if v is None else self.scale_y(v) for v in values]


def plot_area(
    *,
    periods: int,
    values: Sequence[float | None],
    percent: bool,
    left: int,
    right: int,
    top: int,
    bottom: int,
) -> PlotArea:
    """`periods` slots between `left` and `right`; the value axis fits `values`."""
    step = (right - left) / max(periods, 1)
    return PlotArea(
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        step=step,
        xs=[left + step * (i + 0.5) for i in range(periods)],
        scale_y=LinearScale(value_domain(values, percent), (bottom, top)),
    )


def segments(xs: Sequence[float], ys: Sequence[float | None]) -> list[list[tuple[float, float]]]:
    """Runs of consecutive present points (a missing value breaks the line)."""
    runs: list[list[tuple[float, float]]] = [[]]
    for x, y in zip(xs, ys, strict=True):
        if y is None:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append((x, y))
    return [r for r in runs if r]


def path(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{'M' if i == 0 else 'L'}{x:.1f} {y:.1f}" for i, (x, y) in enumerate(points))


def step_paths(xs, ys, half: float, parts: Sequence[int]) -> list[str]:
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
    return [path(p) for p in paths]


def diamond(x: float, y: float, r: float) -> str:
    """The signal mark: a shape, not only a colour, tells it from the other points."""
    return f"M{x:.1f} {y - r:.1f} L{x + r:.1f} {y:.1f} L{x:.1f} {y + r:.1f} L{x - r:.1f} {y:.1f} Z"


def hline(*, left: float, right: float, y: float, stroke: str, dash: str = "") -> str:
    """A horizontal line across the plot at `y` (a mean, a goal), 2 units wide."""
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="{stroke}" '
        f'stroke-width="2"{dashes}/>'
    )


def right_label(
    *, right: float, y: float, words: str, size: int, fill: str = INK, weight: str = "normal"
) -> str:
    """A line's name and value in the margin right of the plot, level with the line at `y`."""
    return text(right + 6, y + 4, words, size=size, fill=fill, weight=weight)
