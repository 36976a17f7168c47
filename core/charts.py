"""Every SVG chart of the product is drawn here, so a chart looks and reads the same in
a page, a PDF report and an e-mail.

The module returns plain SVG markup with presentation attributes (no stylesheet,
no JavaScript), which browsers, WeasyPrint and mail clients all render. Every chart:

* is an accessible image: ``<svg role="img">`` labelled by its own ``<title>`` and
  ``<desc>``;
* comes with a one-paragraph text summary (shown under the chart and read by
  screen readers) and a data table for the "Show data" toggle (`Chart`);
* escapes every piece of text it places (team names are user input).

Small primitives (`LinearScale`, `nice_ticks`, `x_axis`, `y_axis`, `svg_document`,
`text`) are shared by the charts; the run and control charts join them here.
"""

from __future__ import annotations

import html
import math
import uuid
from collections.abc import Iterable, Sequence
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


# --- score distribution: a strip plot per wave ------------------------------------------------


@dataclass
class StripPoint:
    value: Number
    label: str = ""
    highlight: bool = False


@dataclass
class StripRow:
    label: str
    points: list[StripPoint]

    @property
    def values(self) -> list[float]:
        return sorted(float(p.value) for p in self.points)

    @property
    def median(self) -> float | None:
        values = self.values
        if not values:
            return None
        middle = len(values) // 2
        if len(values) % 2:
            return values[middle]
        return (values[middle - 1] + values[middle]) / 2


def _offsets(xs: Sequence[float], spacing: float = 9.0, step: float = 7.0) -> list[float]:
    """Vertical offsets that keep dots at nearly the same x from hiding each other."""
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    offsets = [0.0] * len(xs)
    placed: list[tuple[float, float]] = []
    for index in order:
        x = xs[index]
        near = {round(dy, 1) for px, dy in placed if abs(px - x) < spacing}
        n = 0
        while True:
            dy = (n + 1) // 2 * step * (1 if n % 2 else -1)
            if round(dy, 1) not in near or n >= 8:
                break  # past four rows up and down, dots may overlap (the table has them all)
            n += 1
        offsets[index] = dy
        placed.append((x, dy))
    return offsets


def score_distribution_chart(
    rows: Sequence[StripRow],
    *,
    title: str = "Distribution of team scores",
    domain: tuple[float, float] = (0, 100),
    axis_label: str = "Score out of 100",
    highlight_label: str = "Your team",
    width: int = 720,
) -> Chart:
    """One row of dots per wave (each dot a team's score), the median marked with a
    line; an optional highlighted point (diamond, other colour, labelled) for "your
    team", so the comparison never relies on colour alone."""
    left, right = 150, width - 24
    band, top = 64, 24
    height = top + band * max(len(rows), 1) + 48
    scale = LinearScale(domain, (left, right))
    axis_y = top + band * max(len(rows), 1)
    body = [x_axis(scale, y=axis_y, top=top, ticks=nice_ticks(*domain, 10), label=axis_label)]
    sentences, table = [], []
    for index, row in enumerate(rows):
        centre = top + band * index + band / 2
        body.append(text(left - 12, centre + 4, row.label, anchor="end", size=13, weight="bold"))
        xs = [scale(p.value) for p in row.points]
        offsets = _offsets(xs)
        for point, x, dy in zip(row.points, xs, offsets, strict=True):
            tip = f"{point.label or 'A team'}: {fmt(point.value)}"
            if point.highlight:
                continue
            body.append(
                f'<circle cx="{x:.1f}" cy="{centre + dy:.1f}" r="5" fill="{PRIMARY}" '
                f'fill-opacity="0.75" stroke="#ffffff" stroke-width="1"><title>{esc(tip)}</title>'
                "</circle>"
            )
        median = row.median
        if median is not None:
            mx = scale(median)
            body.append(
                f'<line x1="{mx:.1f}" y1="{centre - 22:.1f}" x2="{mx:.1f}" y2="{centre + 22:.1f}" '
                f'stroke="{INK}" stroke-width="2.5"/>'
            )
            body.append(text(mx, centre - 25, f"Median {fmt(median)}", anchor="middle", size=12))
        for point, x, dy in zip(row.points, xs, offsets, strict=True):
            if not point.highlight:
                continue
            y = centre + dy
            body.append(
                f'<path d="M{x:.1f} {y - 8:.1f} L{x + 8:.1f} {y:.1f} L{x:.1f} {y + 8:.1f} '
                f'L{x - 8:.1f} {y:.1f} Z" fill="{HIGHLIGHT}" stroke="#ffffff" stroke-width="1.5">'
                f"<title>{esc(highlight_label)}: {esc(fmt(point.value))}</title></path>"
            )
            body.append(
                text(
                    x,
                    centre + 24,
                    f"{highlight_label} {fmt(point.value)}",
                    anchor="middle",
                    size=12,
                    fill=HIGHLIGHT,
                    weight="bold",
                )
            )
        values = row.values
        if values:
            sentence = (
                f"{row.label}: {len(values)} team{'s' if len(values) != 1 else ''}, median "
                f"{fmt(median)}, from {fmt(values[0])} to {fmt(values[-1])}"
            )
            mine = [p for p in row.points if p.highlight]
            if mine:
                sentence += f"; {highlight_label}: {fmt(mine[0].value)}"
            sentences.append(sentence + ".")
        else:
            sentences.append(f"{row.label}: no scores yet.")
        for point in sorted(row.points, key=lambda p: -float(p.value)):
            name = highlight_label if point.highlight else (point.label or "Another team")
            table.append([row.label, name, fmt(point.value)])
    summary = " ".join(sentences) if rows else "No scores yet."
    return Chart(
        svg=svg_document(
            width=width, height=height, title=title, description=summary, body="".join(body)
        ),
        title=title,
        summary=summary,
        headers=["Survey", "Team", "Score"],
        rows=table,
    )


# --- section comparison: horizontal bars with reference marks --------------------------------


@dataclass
class BarRow:
    label: str
    value: Number | None
    reference: Number | None = None
    earlier: Number | None = None


def section_comparison_chart(
    rows: Sequence[BarRow],
    *,
    title: str = "Score per section",
    value_label: str = "Your team",
    reference_label: str = "Collaborative median",
    earlier_label: str = "",
    domain: tuple[float, float] = (0, 100),
    width: int = 720,
) -> Chart:
    """A bar per section (percent of the possible points), the collaborative median as
    a black tick and, when given, the earlier wave as a hollow circle."""
    left, right = 230, width - 56
    band, top = 34, 40
    height = top + band * max(len(rows), 1) + 44
    scale = LinearScale(domain, (left, right))
    axis_y = top + band * max(len(rows), 1)
    body = [
        x_axis(
            scale,
            y=axis_y,
            top=top,
            ticks=nice_ticks(*domain, 5),
            label="Percent of possible points",
        )
    ]
    # Legend: shapes and words, not colour alone.
    legend_x = left
    body.append(f'<rect x="{legend_x}" y="8" width="14" height="12" fill="{PRIMARY}"/>')
    body.append(text(legend_x + 20, 18, value_label, size=12))
    legend_x += 30 + 7 * len(value_label)
    body.append(
        f'<line x1="{legend_x + 7}" y1="6" x2="{legend_x + 7}" y2="22" stroke="{INK}" '
        'stroke-width="3"/>'
    )
    body.append(text(legend_x + 16, 18, reference_label, size=12))
    legend_x += 26 + 7 * len(reference_label)
    if earlier_label:
        body.append(
            f'<circle cx="{legend_x + 7}" cy="14" r="5" fill="#ffffff" stroke="{EARLIER}" '
            'stroke-width="2"/>'
        )
        body.append(text(legend_x + 16, 18, earlier_label, size=12))
    table = []
    sentences = []
    for index, row in enumerate(rows):
        y = top + band * index
        centre = y + band / 2
        label = row.label if len(row.label) <= 32 else row.label[:31] + "…"
        body.append(text(left - 8, centre + 4, label, anchor="end", size=12))
        if row.value is None:
            body.append(text(left + 4, centre + 4, "Not applicable", size=12, fill=MUTED))
        else:
            bar_width = max(scale(row.value) - left, 0)
            body.append(
                f'<rect x="{left}" y="{y + 7:.1f}" width="{bar_width:.1f}" height="{band - 14}" '
                f'fill="{PRIMARY}"><title>{esc(row.label)}: {esc(fmt(row.value))}%</title></rect>'
            )
            body.append(text(scale(row.value) + 4, centre + 4, f"{fmt(row.value)}%", size=12))
        if row.reference is not None:
            rx = scale(row.reference)
            body.append(
                f'<line x1="{rx:.1f}" y1="{y + 3:.1f}" x2="{rx:.1f}" y2="{y + band - 3:.1f}" '
                f'stroke="{INK}" stroke-width="3"><title>{esc(reference_label)}: '
                f"{esc(fmt(row.reference))}%</title></line>"
            )
        if row.earlier is not None:
            body.append(
                f'<circle cx="{scale(row.earlier):.1f}" cy="{centre:.1f}" r="5" fill="#ffffff" '
                f'stroke="{EARLIER}" stroke-width="2"><title>{esc(earlier_label)}: '
                f"{esc(fmt(row.earlier))}%</title></circle>"
            )
        cells = [row.label, f"{fmt(row.value)}%" if row.value is not None else "N/A"]
        cells.append(f"{fmt(row.reference)}%" if row.reference is not None else "–")
        if earlier_label:
            cells.append(f"{fmt(row.earlier)}%" if row.earlier is not None else "–")
        table.append(cells)
        if row.value is not None and row.reference is not None:
            relation = (
                "above"
                if row.value > row.reference
                else "below"
                if row.value < row.reference
                else "at"
            )
            sentences.append(f"{row.label} {fmt(row.value)}% ({relation} the median)")
    weakest = [r for r in rows if r.value is not None]
    summary = "; ".join(sentences) + "." if sentences else "No section scores yet."
    if weakest:
        low = min(weakest, key=lambda r: float(r.value))
        summary = f"Lowest section: {low.label} at {fmt(low.value)}%. " + summary
    headers = ["Section", value_label, reference_label]
    if earlier_label:
        headers.append(earlier_label)
    return Chart(
        svg=svg_document(
            width=width, height=height, title=title, description=summary, body="".join(body)
        ),
        title=title,
        summary=summary,
        headers=headers,
        rows=table,
    )
