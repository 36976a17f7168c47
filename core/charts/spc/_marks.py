"""What the SPC charts share: their colours, the value scale, lines broken by missing
values, step lines for limits that vary per point, the signal marks, and the labels
in the right margin.

Signals are marked as the NHS "Making Data Count" charts do, with a shape added so that
colour is never the only cue: points of no signal are grey; a point that is part of a
signal takes the shape of its kind (a square outside the limits, a triangle in a trend,
a diamond in a shift, a ring near a limit) and the colour of what it means for the
measure: blue for an improvement, orange for a concern, purple where the measure has no
better direction."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .. import EARLIER, HIGHLIGHT, INK, MUTED, PRIMARY, LinearScale, esc, fmt, nice_ticks, text

GOAL = "#216e1f"  # dark green: 6:1 on white
SIGNAL = HIGHLIGHT
BASELINE_FILL = "#f0f0f0"
LIMIT = MUTED
#: The values' line and the points of no signal: grey, so that signals stand out.
COMMON = EARLIER
NEUTRAL = "#783cb9"  # USWDS violet-60v: 6.6:1 on white

#: What a signal means for the measure, and its colour (MDC: improvement blue, concern
#: orange, neither purple).
TONES = {"improvement": PRIMARY, "concern": HIGHLIGHT, "neutral": NEUTRAL}
TONE_WORDS = {"improvement": "improvement", "concern": "concern", "neutral": "no better direction"}

#: The kinds of signal a point can be part of, by precedence (MDC: outside the limits
#: before a trend, before 2 of 3, before a shift): a point in several shows the first.
POINT_KINDS = {
    "outside_limits": "Outside the limits",
    "trend": "Trend",
    "two_of_three": "2 of 3 near a limit",
    "four_of_five": "4 of 5 beyond 1 sigma",
    "shift": "Shift",
    "inner_third": "Hugging the centre line",
    "signal": "Part of a signal",
}
#: Signals of a whole phase rather than of points (Anhøj's crossings, the IHI runs
#: count): the phase's centre line is drawn dashed instead of marking every point.
PHASE_KINDS = {
    "crossings": "Too few crossings",
    "too_few_runs": "Too few runs",
    "too_many_runs": "Too many runs",
}


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

    left: float
    right: float
    top: float
    bottom: float
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
    left: float,
    right: float,
    top: float,
    bottom: float,
    domain: tuple[float, float] | None = None,
) -> PlotArea:
    """`periods` slots between `left` and `right`; the value axis fits `values`, or
    spans `domain` when the caller fixes it (charts compared on one scale)."""
    step = (right - left) / max(periods, 1)
    return PlotArea(
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        step=step,
        xs=[left + step * (i + 0.5) for i in range(periods)],
        scale_y=LinearScale(domain or value_domain(values, percent), (bottom, top)),
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


def _square(x: float, y: float, r: float) -> str:
    h = r * 0.82
    return f"M{x - h:.1f} {y - h:.1f} H{x + h:.1f} V{y + h:.1f} H{x - h:.1f} Z"


def _triangle(x: float, y: float, r: float, up: bool) -> str:
    tip, base = (y - r, y + r * 0.75) if up else (y + r, y - r * 0.75)
    return f"M{x:.1f} {tip:.1f} L{x + r:.1f} {base:.1f} L{x - r:.1f} {base:.1f} Z"


def _ring(x: float, y: float, r: float) -> str:
    arc = f"a{r:.1f} {r:.1f} 0 1 0"
    return f"M{x - r:.1f} {y:.1f} {arc} {2 * r:.1f} 0 {arc} {-2 * r:.1f} 0 Z"


def _hexagon(x: float, y: float, r: float) -> str:
    h = r * 0.87
    return (
        f"M{x - r:.1f} {y:.1f} L{x - r / 2:.1f} {y - h:.1f} L{x + r / 2:.1f} {y - h:.1f} "
        f"L{x + r:.1f} {y:.1f} L{x + r / 2:.1f} {y + h:.1f} L{x - r / 2:.1f} {y + h:.1f} Z"
    )


def signal_shape(kind: str, x: float, y: float, r: float, *, up: bool = True) -> str:
    """The path of a signal's mark: the shape says which kind of signal it is."""
    if kind == "outside_limits":
        return _square(x, y, r)
    if kind == "trend":
        return _triangle(x, y, r * 1.1, up)
    if kind in ("two_of_three", "four_of_five"):
        return _ring(x, y, r * 0.85)
    if kind == "inner_third":
        return _hexagon(x, y, r)
    return diamond(x, y, r)


def signal_mark(
    kind: str,
    tone: str,
    x: float,
    y: float,
    r: float,
    *,
    up: bool = True,
    title: str = "",
    attrs: str = "",
) -> str:
    """A signal's mark, filled with its tone's colour (a ring is drawn thick instead, its
    middle white so that it reads as "near", not as a filled point); `title` is its
    tooltip (escaped here), `attrs` more attributes."""
    colour = TONES.get(tone, SIGNAL)
    d = signal_shape(kind, x, y, r, up=up)
    if kind in ("two_of_three", "four_of_five"):
        style = f'fill="#ffffff" stroke="{colour}" stroke-width="{max(r * 0.45, 1.5):.1f}"'
    else:
        style = f'fill="{colour}" stroke="{INK}" stroke-width="{0.8 if r < 6 else 1}"'
    if title:
        return f'<path d="{d}" {style}{attrs}><title>{esc(title)}</title></path>'
    return f'<path d="{d}" {style}{attrs}/>'


def signal_icon(kind: str, tone: str, *, up: bool = True) -> str:
    """The mark alone, 16 px, for the list of signals under a chart (decorative: the
    words beside it say the same)."""
    if kind in PHASE_KINDS:
        body = (
            f'<line x1="1" y1="8" x2="15" y2="8" stroke="{TONES["neutral"]}" stroke-width="2.5" '
            'stroke-dasharray="4 2"/>'
        )
    else:
        body = signal_mark(kind, tone, 8, 8, 6, up=up)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16" '
        f'aria-hidden="true" focusable="false" class="chart-signal-icon">{body}</svg>'
    )


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


def spread(ys: list[float], *, gap: float, low: float, high: float) -> list[float]:
    """Sorted label positions moved apart to at least `gap` (labels of lines that run
    close together must not overlap), kept between `low` and `high` where they fit."""
    out: list[float] = []
    for y in ys:
        out.append(max(y, out[-1] + gap) if out else max(y, low))
    for k in range(len(out) - 1, -1, -1):
        limit = high if k == len(out) - 1 else out[k + 1] - gap
        out[k] = min(out[k], limit)
    return out
