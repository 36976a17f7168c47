"""Every SVG chart of the product is drawn here, so a chart looks and reads the same in
a page, a PDF report and an e-mail.

The module returns plain SVG markup with presentation attributes (no stylesheet,
no JavaScript), which browsers, WeasyPrint and mail clients all render. Every chart:

* is an accessible image: ``<svg role="img">`` labelled by its own ``<title>`` and
  ``<desc>``;
* comes with a one-paragraph text summary (shown under the chart and read by
  screen readers) and a data table for the "Show data" toggle (`Chart`);
* escapes every piece of text it places (team names are user input).

This package holds the shared primitives (`LinearScale`, `nice_ticks`, `x_axis`,
`y_axis`, `svg_document`, `text`, `Chart`, `chart_with_words`); the charts themselves live in
`core.charts.distribution` (gap-analysis score distributions and section bars) and
`core.charts.spc` (run and control charts, small multiples, funnel plots).
"""

from __future__ import annotations

import html
import math
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.safestring import SafeString, mark_safe

FONT = "Source Sans Pro, Helvetica, Arial, sans-serif"

#: USWDS colours with at least 3:1 contrast on white for marks, 4.5:1 for text.
INK = "#1b1b1b"
MUTED = "#565c65"
GRID = "#dfe1e2"
PRIMARY = "#005ea2"
HIGHLIGHT = "#c05600"
EARLIER = "#71767a"

Number = int | float | Decimal


def esc(value: object) -> str:
    """Text safe inside SVG elements and attribute values."""
    return html.escape(str(value), quote=True)


def fmt(value: Number | None, digits: int = 1) -> str:
    """A number for labels: 68.5, 70 (no trailing .0), "–" for missing; half up, like scores."""
    if value is None:
        return "–"
    number = Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- primitives -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinearScale:
    """Maps a data interval onto a pixel interval (either may run backwards)."""

    domain: tuple[float, float]
    range: tuple[float, float]

    def __call__(self, value: Number) -> float:
        d0, d1 = self.domain
        r0, r1 = self.range
        if d1 == d0:
            return (r0 + r1) / 2
        return r0 + (float(value) - d0) * (r1 - r0) / (d1 - d0)

    def ticks(self, count: int = 5) -> list[float]:
        return nice_ticks(self.domain[0], self.domain[1], count)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (steps of 1, 2 or 5 times a power of ten) covering low..high."""
    low, high = float(low), float(high)
    if high < low:
        low, high = high, low
    if high == low:
        return [low]
    raw_step = (high - low) / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw_step)
    first = math.ceil(low / step - 1e-9) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    return ticks


def text(
    x: float,
    y: float,
    content: object,
    *,
    anchor: str = "start",
    size: int = 13,
    fill: str = INK,
    weight: str = "normal",
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'fill="{fill}" font-weight="{weight}">{esc(content)}</text>'
    )


def x_axis(
    scale: LinearScale,
    *,
    y: float,
    top: float,
    ticks: Iterable[float],
    label: str = "",
    tick_format=fmt,
) -> str:
    """A horizontal axis at `y` with vertical grid lines up to `top`."""
    parts = [
        f'<line x1="{scale.range[0]:.1f}" y1="{y:.1f}" x2="{scale.range[1]:.1f}" '
        f'y2="{y:.1f}" stroke="{MUTED}" stroke-width="1"/>'
    ]
    for tick in ticks:
        x = scale(tick)
        parts.append(
            f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(text(x, y + 16, tick_format(tick), anchor="middle", size=12, fill=MUTED))
    if label:
        middle = (scale.range[0] + scale.range[1]) / 2
        parts.append(text(middle, y + 36, label, anchor="middle", size=13, fill=MUTED))
    return "".join(parts)


def y_axis(
    scale: LinearScale,
    *,
    x: float,
    right: float,
    ticks: Iterable[float],
    label: str = "",
    tick_format=fmt,
) -> str:
    """A vertical axis at `x` with horizontal grid lines across to `right`."""
    parts = [
        f'<line x1="{x:.1f}" y1="{scale.range[0]:.1f}" x2="{x:.1f}" '
        f'y2="{scale.range[1]:.1f}" stroke="{MUTED}" stroke-width="1"/>'
    ]
    for tick in ticks:
        y = scale(tick)
        parts.append(
            f'<line x1="{x:.1f}" y1="{y:.1f}" x2="{right:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(text(x - 6, y + 4, tick_format(tick), anchor="end", size=12, fill=MUTED))
    if label:
        middle = (scale.range[0] + scale.range[1]) / 2
        parts.append(
            f'<text transform="translate({x - 40:.1f} {middle:.1f}) rotate(-90)" '
            f'text-anchor="middle" font-size="13" fill="{MUTED}">{esc(label)}</text>'
        )
    return "".join(parts)


def svg_document(*, width: int, height: int, title: str, description: str, body: str) -> SafeString:
    """An accessible SVG image: role="img", labelled by its title and description."""
    uid = uuid.uuid4().hex[:8]
    return mark_safe(  # noqa: S308 - every text inside was escaped with esc()
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="chart-title-{uid} chart-desc-{uid}" font-family="{FONT}" '
        f'class="chart-svg" preserveAspectRatio="xMinYMin meet">'
        f'<title id="chart-title-{uid}">{esc(title)}</title>'
        f'<desc id="chart-desc-{uid}">{esc(description)}</desc>'
        f"{body}</svg>"
    )


@dataclass
class Chart:
    """An SVG chart with its words: the summary sentence and the data behind it."""

    svg: SafeString
    title: str
    summary: str
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)

    @property
    def labelled_rows(self) -> list[list[tuple[str, str]]]:
        """Rows as (header, cell) pairs: tables become cards on phones (data-label)."""
        return [list(zip(self.headers, row, strict=False)) for row in self.rows]


def chart_with_words(
    *,
    title: str,
    summary: str,
    body: Iterable[str],
    width: int,
    height: int,
    headers: list[str],
    rows: list[list[str]],
) -> Chart:
    """The accessible SVG (described by its summary) with the words and table behind it."""
    return Chart(
        svg=svg_document(
            width=width, height=height, title=title, description=summary, body="".join(body)
        ),
        title=title,
        summary=summary,
        headers=headers,
        rows=rows,
    )
