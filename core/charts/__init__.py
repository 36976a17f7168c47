"""Every SVG chart of the product is drawn here, so a chart looks and reads the same in
a page, a PDF report and an e-mail.

The module returns plain SVG markup with presentation attributes (no stylesheet,
no JavaScript), which browsers, WeasyPrint and mail clients all render. Every chart:

* is an accessible image: ``<svg role="img">`` labelled by its own ``<title>`` and
  ``<desc>``;
* comes with a one-paragraph text summary (shown under the chart and read by
  screen readers) and a data table for the "Show data" toggle (`Chart`);
* escapes every piece of text it places (team names are user input).

Text stays readable at the size it is shown (at least 12 px, UI.md): a chart that a
page may show on a phone is drawn twice, wide (about 760 units, shown at 760 px or more)
and narrow (360 units, for a phone's 358 px), and `Chart.picture` lets the page's
stylesheet show the one that fits its container (`.chart-picture`, a container query),
so a phone gets a chart laid out for it rather than a desktop chart scaled down.

This package holds the shared primitives (`LinearScale`, `nice_ticks`, `x_axis`,
`y_axis`, `svg_document`, `text`, `text_width`, `Chart`, `chart_with_words`); label
placement without overlaps is in `core.charts.labels`; the charts themselves live in
`core.charts.distribution` (gap-analysis score distributions and section bars) and
`core.charts.spc` (run and control charts, small multiples, funnel plots).
"""

from __future__ import annotations

import functools
import html
import math
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

FONT = "Source Sans Pro, Helvetica, Arial, sans-serif"

#: USWDS colours with at least 3:1 contrast on white for marks, 4.5:1 for text.
INK = "#1b1b1b"
MUTED = "#565c65"
GRID = "#dfe1e2"
PRIMARY = "#005ea2"
HIGHLIGHT = "#c05600"
EARLIER = "#71767a"

#: The width a narrow (phone) variant is drawn for: a 390 px phone shows 358 px of it.
NARROW_WIDTH = 360

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


#: Widths of characters in em: a little above Arial's and Helvetica's (which browsers use
#: for the charts' font stack where Source Sans Pro, narrower, is not installed), so a
#: box measured with these holds the text in any of the chart's fonts.
_NARROW_CHARS = frozenset("iljtfI.,:;'|!()[] ")
_WIDE_CHARS = frozenset("mwMW%@…")


def text_width(content: object, size: float, *, bold: bool = False) -> float:
    """An upper estimate of the width of `content` drawn at `size` px: what layouts use
    to keep labels apart (no text metrics on the server)."""
    return _em_width(str(content)) * size * (1.08 if bold else 1.0)


@functools.lru_cache(maxsize=4096)
def _em_width(content: str) -> float:
    """The width of `content` in em (cached: charts measure the same words again and
    again, "100%", "March 2026", across hundreds of thumbnails)."""
    width = 0.0
    for char in content:
        if char in _NARROW_CHARS:
            width += 0.36
        elif char in _WIDE_CHARS:
            width += 1.0
        elif char.isupper():
            width += 0.78
        else:
            width += 0.6
    return width


def fit_text(content: str, size: float, room: float, *, bold: bool = False) -> str:
    """`content`, shortened with an ellipsis to fit `room` px (empty if nothing fits)."""
    if text_width(content, size, bold=bold) <= room:
        return content
    while content and text_width(content + "…", size, bold=bold) > room:
        content = content[:-1]
    return content.rstrip() + "…" if content else ""


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
    size: int = 12,
) -> str:
    """A horizontal axis at `y` with vertical grid lines up to `top`; its ticks' and
    label's text at `size` (the label one larger)."""
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
        words = tick_format(tick)
        parts.append(text(x, y + size + 4, words, anchor="middle", size=size, fill=MUTED))
    if label:
        middle = (scale.range[0] + scale.range[1]) / 2
        parts.append(
            text(middle, y + 2 * size + 12, label, anchor="middle", size=size + 1, fill=MUTED)
        )
    return "".join(parts)


def y_axis(
    scale: LinearScale,
    *,
    x: float,
    right: float,
    ticks: Iterable[float],
    label: str = "",
    tick_format=fmt,
    size: int = 12,
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
        parts.append(text(x - 6, y + 4, tick_format(tick), anchor="end", size=size, fill=MUTED))
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


@dataclass(frozen=True)
class LegendItem:
    """One entry of a legend: a sample of the mark (drawn by `swatch(x, y)` from x,
    centred on y, `swatch_width` wide) and its words."""

    swatch: Callable[[float, float], str]
    words: str
    swatch_width: float = 16


LEGEND_ROW = 20


def legend_layout(
    items: Iterable[LegendItem], *, left: float, right: float, size: int = 12, gap: float = 16
) -> list[tuple[LegendItem, float, int]]:
    """Where each entry goes: (item, x, row), filling rows from `left` to `right` and
    starting a new row when the next entry would cross `right`."""
    out, x, row = [], left, 0
    for item in items:
        width = item.swatch_width + 5 + text_width(item.words, size)
        if x > left and x + width > right:
            x, row = left, row + 1
        out.append((item, x, row))
        x += width + gap
    return out


def legend_rows(layout: list[tuple[LegendItem, float, int]]) -> int:
    return max((row for _, _, row in layout), default=-1) + 1


def legend_marks(
    layout: list[tuple[LegendItem, float, int]], *, y: float, size: int = 12
) -> list[str]:
    """The legend drawn from its layout; `y` is the first row's baseline."""
    marks = []
    for item, x, row in layout:
        baseline = y + row * LEGEND_ROW
        marks.append(item.swatch(x, baseline - size * 0.35))
        marks.append(text(x + item.swatch_width + 5, baseline, item.words, size=size))
    return marks


def line_swatch(stroke: str, width: float, dash: str = "") -> Callable[[float, float], str]:
    """A legend sample of a line (a centre line, a limit, a goal): 24 units long."""
    dashes = f' stroke-dasharray="{dash}"' if dash else ""

    def draw(x: float, y: float) -> str:
        return (
            f'<line x1="{x:.1f}" y1="{y:.1f}" x2="{x + 24:.1f}" y2="{y:.1f}" stroke="{stroke}" '
            f'stroke-width="{width}"{dashes}/>'
        )

    return draw


@dataclass
class Chart:
    """An SVG chart with its words: the summary sentence and the data behind it."""

    svg: SafeString
    title: str
    summary: str
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    #: The same chart laid out for a phone (None: the chart is small enough as it is).
    narrow_svg: SafeString | None = None
    #: What the chart's marks mean, listed under it (run and control charts: each signal).
    signals: list = field(default_factory=list)

    @property
    def picture(self) -> SafeString:
        """The chart for a page: the wide and the narrow drawing, of which the stylesheet
        shows the one that fits (`.chart-picture`); the hidden one is display:none, so
        neither screen readers nor the keyboard meet the chart twice."""
        if self.narrow_svg is None:
            return self.svg
        return mark_safe(  # noqa: S308 - both drawings escape every text they hold
            '<div class="chart-picture">'
            f'<div class="chart-picture__wide">{self.svg}</div>'
            f'<div class="chart-picture__narrow">{self.narrow_svg}</div></div>'
        )

    @property
    def labelled_rows(self) -> list[list[tuple[str, str]]]:
        """Rows as (header, cell) pairs: tables become cards on phones (data-label)."""
        return [list(zip(self.headers, row, strict=False)) for row in self.rows]

    @functools.cached_property
    def table_rows_html(self) -> SafeString:
        """The data table's <tr>s (cells labelled for phones, escaped): the same HTML a
        template loop over labelled_rows makes, ten times faster, which counts for the
        funnel plot's table of 300 teams. Kept with the chart, so a cached chart keeps
        its table too."""
        return format_html_join(
            "",
            "<tr>{}</tr>",
            (
                (
                    format_html_join(
                        "", '<td data-label="{}">{}</td>', zip(self.headers, row, strict=False)
                    ),
                )
                for row in self.rows
            ),
        )


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
