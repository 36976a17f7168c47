"""Gap-analysis charts: score distributions per wave and section comparisons.

Each is drawn wide (for pages and PDFs) and narrow (for phones: names above the rows,
larger text), like every chart a page may show on a phone (see `core.charts`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString

from . import (
    EARLIER,
    HIGHLIGHT,
    INK,
    MUTED,
    NARROW_WIDTH,
    PRIMARY,
    Chart,
    LegendItem,
    LinearScale,
    Number,
    esc,
    fit_text,
    fmt,
    legend_layout,
    legend_marks,
    legend_rows,
    nice_ticks,
    svg_document,
    text,
    text_width,
    x_axis,
)


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
    team", so the comparison never relies on colour alone. With its narrow variant for
    phones (the wave's name above its dots instead of beside them)."""
    sentences, table = [], []
    for row in rows:
        values = row.values
        if values:
            sentence = (
                f"{row.label}: {len(values)} team{'s' if len(values) != 1 else ''}, median "
                f"{fmt(row.median)}, from {fmt(values[0])} to {fmt(values[-1])}"
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
    wide, narrow = _both_widths(
        lambda w, is_narrow: _strips(
            rows,
            domain=domain,
            axis_label=axis_label,
            highlight_label=highlight_label,
            width=w,
            narrow=is_narrow,
        ),
        width=width,
        title=title,
        summary=summary,
    )
    return Chart(
        svg=wide,
        narrow_svg=narrow,
        title=title,
        summary=summary,
        headers=["Survey", "Team", "Score"],
        rows=table,
    )


def _strips(
    rows: Sequence[StripRow],
    *,
    domain: tuple[float, float],
    axis_label: str,
    highlight_label: str,
    width: int,
    narrow: bool,
) -> tuple[list[str], int, int]:
    """One drawing of the strips: wide with the waves' names at the left, narrow with
    each name above its row and larger text."""
    size = 13 if narrow else 12
    left, right = (16, width - 16) if narrow else (150, width - 24)
    band, top = (84, 8) if narrow else (64, 24)
    height = top + band * max(len(rows), 1) + (2 * size + 26)
    scale = LinearScale(domain, (left, right))
    axis_y = top + band * max(len(rows), 1)
    body = [
        x_axis(
            scale,
            y=axis_y,
            top=top,
            ticks=nice_ticks(*domain, 5 if narrow else 10),
            label=axis_label,
            size=size,
        )
    ]
    for index, row in enumerate(rows):
        if narrow:
            body.append(
                text(
                    left,
                    top + band * index + 15,
                    fit_text(row.label, size, right - left, bold=True),
                    size=size,
                    weight="bold",
                )
            )
            centre = top + band * index + 55
        else:
            centre = top + band * index + band / 2
            words = fit_text(row.label, 13, left - 20, bold=True)
            body.append(text(left - 12, centre + 4, words, anchor="end", size=13, weight="bold"))
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
            reach = 18 if narrow else 22
            body.append(
                f'<line x1="{mx:.1f}" y1="{centre - reach:.1f}" x2="{mx:.1f}" '
                f'y2="{centre + reach:.1f}" stroke="{INK}" stroke-width="2.5"/>'
            )
            body.append(_inside(mx, centre - reach - 3, f"Median {fmt(median)}", size, 0, width))
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
                _inside(
                    x,
                    centre + (24 if not narrow else 26),
                    f"{highlight_label} {fmt(point.value)}",
                    size,
                    0,
                    width,
                    fill=HIGHLIGHT,
                    weight="bold",
                )
            )
    return body, width, height


def _inside(
    x: float,
    y: float,
    words: str,
    size: int,
    low: float,
    high: float,
    *,
    fill: str = INK,
    weight: str = "normal",
) -> str:
    """A label centred on x but kept inside low..high (a median near 0 or 100 would
    otherwise lose its first or last letters off the chart)."""
    half = text_width(words, size, bold=weight == "bold") / 2
    x = min(max(x, low + half + 2), high - half - 2)
    return text(x, y, words, anchor="middle", size=size, fill=fill, weight=weight)


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
    a black tick and, when given, the earlier wave as a hollow circle. With its narrow
    variant for phones (each section's name above its bar)."""
    table = []
    sentences = []
    for row in rows:
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
    labels = (value_label, reference_label, earlier_label)
    wide, narrow = _both_widths(
        lambda w, is_narrow: _bars(rows, labels=labels, domain=domain, width=w, narrow=is_narrow),
        width=width,
        title=title,
        summary=summary,
    )
    return Chart(
        svg=wide,
        narrow_svg=narrow,
        title=title,
        summary=summary,
        headers=headers,
        rows=table,
    )


def _bars_legend(labels: tuple[str, str, str], *, left: float, right: float, size: int):
    value_label, reference_label, earlier_label = labels

    def bar(x: float, y: float) -> str:
        return f'<rect x="{x:.1f}" y="{y - 6:.1f}" width="14" height="12" fill="{PRIMARY}"/>'

    def tick(x: float, y: float) -> str:
        return (
            f'<line x1="{x + 7:.1f}" y1="{y - 8:.1f}" x2="{x + 7:.1f}" y2="{y + 8:.1f}" '
            f'stroke="{INK}" stroke-width="3"/>'
        )

    def ring(x: float, y: float) -> str:
        return (
            f'<circle cx="{x + 7:.1f}" cy="{y:.1f}" r="5" fill="#ffffff" stroke="{EARLIER}" '
            'stroke-width="2"/>'
        )

    items = [LegendItem(bar, value_label, 14), LegendItem(tick, reference_label, 14)]
    if earlier_label:
        items.append(LegendItem(ring, earlier_label, 14))
    return legend_layout(items, left=left, right=right, size=size)


def _bars(
    rows: Sequence[BarRow],
    *,
    labels: tuple[str, str, str],
    domain: tuple[float, float],
    width: int,
    narrow: bool,
) -> tuple[list[str], int, int]:
    """One drawing of the bars: wide with the sections' names at the left, narrow with
    each name above its bar and larger text."""
    value_label, reference_label, earlier_label = labels
    size = 13 if narrow else 12
    left, right = (16, width - 40) if narrow else (230, width - 56)
    legend = _bars_legend(labels, left=left if not narrow else 8, right=width - 8, size=size)
    top = 20 * legend_rows(legend) + 20
    band = 50 if narrow else 34
    height = top + band * max(len(rows), 1) + (2 * size + 20)
    scale = LinearScale(domain, (left, right))
    axis_y = top + band * max(len(rows), 1)
    body = [
        x_axis(
            scale,
            y=axis_y,
            top=top,
            ticks=nice_ticks(*domain, 5),
            label="Percent of possible points",
            size=size,
        ),
        *legend_marks(legend, y=18, size=size),
    ]
    for index, row in enumerate(rows):
        y = top + band * index
        if narrow:
            body.append(text(left, y + 15, fit_text(row.label, size, width - 2 * left), size=size))
            bar_top, bar_height = y + 21, band - 27
        else:
            label = row.label if len(row.label) <= 32 else row.label[:31] + "…"
            label = fit_text(label, size, left - 16)
            body.append(text(left - 8, y + band / 2 + 4, label, anchor="end", size=size))
            bar_top, bar_height = y + 7, band - 14
        centre = bar_top + bar_height / 2
        if row.value is None:
            body.append(text(left + 4, centre + 4, "Not applicable", size=size, fill=MUTED))
        else:
            bar_width = max(scale(row.value) - left, 0)
            body.append(
                f'<rect x="{left}" y="{bar_top:.1f}" width="{bar_width:.1f}" '
                f'height="{bar_height}" fill="{PRIMARY}"><title>{esc(row.label)}: '
                f"{esc(fmt(row.value))}%</title></rect>"
            )
            body.append(_bar_value(row, scale, centre=centre, size=size, width=width))
        if row.reference is not None:
            rx = scale(row.reference)
            body.append(
                f'<line x1="{rx:.1f}" y1="{bar_top - 4:.1f}" x2="{rx:.1f}" '
                f'y2="{bar_top + bar_height + 4:.1f}" stroke="{INK}" stroke-width="3"><title>'
                f"{esc(reference_label)}: {esc(fmt(row.reference))}%</title></line>"
            )
        if row.earlier is not None:
            body.append(
                f'<circle cx="{scale(row.earlier):.1f}" cy="{centre:.1f}" r="5" fill="#ffffff" '
                f'stroke="{EARLIER}" stroke-width="2"><title>{esc(earlier_label)}: '
                f"{esc(fmt(row.earlier))}%</title></circle>"
            )
    return body, width, height


def _bar_value(row: BarRow, scale: LinearScale, *, centre: float, size: int, width: int) -> str:
    """The bar's value after its end, moved past the median tick and the earlier wave's
    ring when they are in the way (the number must not sit on a mark); inside the bar,
    in white, when there is no room after it."""
    words = f"{fmt(row.value)}%"
    w = text_width(words, size)
    x = scale(row.value) + 4
    marks = []
    if row.reference is not None:
        marks.append((scale(row.reference) - 3, scale(row.reference) + 3))
    if row.earlier is not None:
        marks.append((scale(row.earlier) - 7, scale(row.earlier) + 7))
    for low, high in sorted(marks):
        if x < high and low < x + w:
            x = high + 3
    if x + w <= width - 2:
        return text(x, centre + 4, words, size=size)
    return text(scale(row.value) - 4, centre + 4, words, anchor="end", size=size, fill="#ffffff")


def _both_widths(
    draw: Callable[[int, bool], tuple[list[str], int, int]],
    *,
    width: int,
    title: str,
    summary: str,
) -> tuple[SafeString, SafeString]:
    """The wide drawing and the phone's narrow one (`draw(width, narrow)` gives the body
    and its size), each a whole SVG document with the same title and summary."""
    documents = []
    for narrow in (False, True):
        body, w, h = draw(NARROW_WIDTH if narrow else width, narrow)
        documents.append(
            svg_document(width=w, height=h, title=title, description=summary, body="".join(body))
        )
    return documents[0], documents[1]
