"""Charts of a whole collaborative over time: stacked columns per month (how many teams
at each progress score), lines per month (share of teams reporting, cycles started and
completed) and paired bars (a section's mean score at baseline and now).

Like every chart here each comes drawn twice, wide and narrow (`Chart.picture`), with
its summary sentence and data table, and escapes every text it places.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString

from . import (
    EARLIER,
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
    line_swatch,
    nice_ticks,
    svg_document,
    text,
    text_width,
    x_axis,
    y_axis,
)

#: Viridis, light to dark: ordered, tells its steps apart in every common colour-vision
#: deficiency; each column segment is also outlined in white and listed in the table.
SEQUENTIAL = (
    "#fde725",
    "#b5de2b",
    "#6ece58",
    "#35b779",
    "#1f9e89",
    "#26828e",
    "#31688e",
    "#3e4989",
    "#482878",
    "#440154",
)


#: The widest a column is drawn (one measure alone must not fill the chart).
MAX_COLUMN = 64


@dataclass(frozen=True)
class Series:
    """One named row of values over the x labels (None: no value that month)."""

    label: str
    values: Sequence[Number | None]
    colour: str = PRIMARY
    dash: str = ""


def _both(
    draw: Callable[[int, bool], tuple[list[str], int]], *, width: int, title: str, summary: str
) -> tuple[SafeString, SafeString]:
    documents = []
    for narrow in (False, True):
        w = NARROW_WIDTH if narrow else width
        body, height = draw(w, narrow)
        documents.append(
            svg_document(
                width=w, height=height, title=title, description=summary, body="".join(body)
            )
        )
    return documents[0], documents[1]


def _label_step(n: int, room: float, widest: float) -> int:
    """Label every k-th column so that labels never overlap."""
    step = 1
    while n and step < n and room * step < widest + 6:
        step += 1
    return step


def _box_swatch(colour: str) -> Callable[[float, float], str]:
    def draw(x: float, y: float) -> str:
        return (
            f'<rect x="{x:.1f}" y="{y - 6:.1f}" width="14" height="12" fill="{colour}" '
            f'stroke="{MUTED}" stroke-width="0.5"/>'
        )

    return draw


def _x_labels(labels: Sequence[str], centres: list[float], *, y: float, size: int, room: float):
    step = _label_step(len(labels), room, max((len(x) for x in labels), default=0) * size * 0.6)
    return [
        text(centres[i], y, labels[i], anchor="middle", size=size, fill=MUTED)
        for i in range(0, len(labels), step)
    ]


def _category_labels(
    labels: Sequence[str], centres: list[float], *, y: float, size: int, room: float
) -> list[str]:
    """Every column named (categories, unlike months, cannot be skipped): on up to two
    lines as wide as the column, shortened with an ellipsis when longer."""
    out = []
    for label, centre in zip(labels, centres, strict=True):
        words, first = label.split(), ""
        while words and text_width(f"{first} {words[0]}".strip(), size) <= room - 4:
            first = f"{first} {words.pop(0)}".strip()
        rest = " ".join(words)
        if not first:  # one long word: shorten it on the first line
            first, rest = fit_text(rest, size, room - 4), ""
        out.append(text(centre, y, first, anchor="middle", size=size, fill=MUTED))
        if rest:
            line = fit_text(rest, size, room - 4)
            out.append(text(centre, y + size + 2, line, anchor="middle", size=size, fill=MUTED))
    return out


def stacked_columns_chart(
    *,
    title: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    summary: str,
    y_label: str = "Teams",
    first_header: str = "Month",
    categories: bool = False,
    width: int = 760,
) -> Chart:
    """A column per x label, stacked by series (counts), with a legend above. Months
    (the default) label every k-th column; `categories` name every column."""
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(x_labels))]
    top_value = max(max(totals, default=0), 1)
    # Up to a round tick above the tallest column, so the axis says where the top is.
    top_value = next((t for t in nice_ticks(0, top_value * 1.25, 4) if t >= top_value), top_value)

    def draw(w: int, narrow: bool) -> tuple[list[str], int]:
        size = 13 if narrow else 12
        left, right = 58, w - 12
        legend = legend_layout(
            [LegendItem(_box_swatch(s.colour), s.label, 14) for s in series],
            left=8,
            right=w - 8,
            size=size,
        )
        top = 20 * legend_rows(legend) + 16
        plot_height = 200 if narrow else 240
        bottom = top + plot_height
        scale = LinearScale((0, top_value), (bottom, top))
        ticks = [t for t in nice_ticks(0, top_value, 4) if t == int(t)]
        body = [
            *legend_marks(legend, y=16, size=size),
            y_axis(scale, x=left, right=right, ticks=ticks, label=y_label, size=size),
        ]
        n = max(len(x_labels), 1)
        band = (right - left) / n
        bar = min(max(band * 0.7, 1), MAX_COLUMN)
        centres = []
        for i, label in enumerate(x_labels):
            x = left + band * i + (band - bar) / 2
            centres.append(x + bar / 2)
            base = 0.0
            for s in series:
                value = s.values[i] or 0
                if not value:
                    continue
                y0, y1 = scale(base + value), scale(base)
                body.append(
                    f'<rect x="{x:.1f}" y="{y0:.1f}" width="{bar:.1f}" height="{y1 - y0:.1f}" '
                    f'fill="{s.colour}" stroke="#ffffff" stroke-width="0.75"><title>'
                    f"{esc(label)}: {esc(s.label)}, {esc(fmt(value))}</title></rect>"
                )
                base += value
        if categories:
            body.extend(
                _category_labels(x_labels, centres, y=bottom + size + 4, size=size, room=band)
            )
            return body, bottom + 2 * size + 16
        body.extend(_x_labels(x_labels, centres, y=bottom + size + 4, size=size, room=band))
        return body, bottom + size + 14

    wide, narrow_svg = _both(draw, width=width, title=title, summary=summary)
    headers = [first_header, *(s.label for s in series), "Total"]
    rows = [
        [label, *(fmt(s.values[i] or 0) for s in series), fmt(totals[i])]
        for i, label in enumerate(x_labels)
    ]
    return Chart(
        svg=wide, narrow_svg=narrow_svg, title=title, summary=summary, headers=headers, rows=rows
    )


def lines_chart(
    *,
    title: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    summary: str,
    y_label: str,
    unit: str = "",
    domain: tuple[float, float] | None = None,
    first_header: str = "Month",
    width: int = 760,
) -> Chart:
    """A line per series over the x labels, a dot at each value (gaps where None)."""
    values = [float(v) for s in series for v in s.values if v is not None]
    low, high = domain or (0.0, max(max(values, default=0.0), 1.0))

    def draw(w: int, narrow: bool) -> tuple[list[str], int]:
        size = 13 if narrow else 12
        left, right = 52, w - 16
        legend = legend_layout(
            [LegendItem(line_swatch(s.colour, 2.5, s.dash), s.label, 24) for s in series],
            left=8,
            right=w - 8,
            size=size,
        )
        top = 20 * legend_rows(legend) + 16
        bottom = top + (200 if narrow else 240)
        scale = LinearScale((low, high), (bottom, top))
        n = max(len(x_labels), 1)
        band = (right - left) / n
        centres = [left + band * (i + 0.5) for i in range(len(x_labels))]
        body = [
            *legend_marks(legend, y=16, size=size),
            y_axis(
                scale,
                x=left,
                right=right,
                ticks=nice_ticks(low, high, 4),
                label=y_label,
                tick_format=lambda t: f"{fmt(t)}{unit}",
                size=size,
            ),
        ]
        for s in series:
            segment: list[str] = []
            for i, value in enumerate(s.values):
                if value is None:
                    if len(segment) > 1:
                        body.append(_polyline(segment, s))
                    segment = []
                    continue
                segment.append(f"{centres[i]:.1f},{scale(value):.1f}")
                body.append(
                    f'<circle cx="{centres[i]:.1f}" cy="{scale(value):.1f}" r="3.5" '
                    f'fill="{s.colour}"><title>{esc(x_labels[i])}: {esc(s.label)}, '
                    f"{esc(fmt(value))}{esc(unit)}</title></circle>"
                )
            if len(segment) > 1:
                body.append(_polyline(segment, s))
        body.extend(_x_labels(x_labels, centres, y=bottom + size + 4, size=size, room=band))
        return body, bottom + size + 14

    wide, narrow_svg = _both(draw, width=width, title=title, summary=summary)
    headers = [first_header, *(s.label for s in series)]
    rows = [
        [
            label,
            *("–" if s.values[i] is None else f"{fmt(s.values[i])}{unit}" for s in series),
        ]
        for i, label in enumerate(x_labels)
    ]
    return Chart(
        svg=wide, narrow_svg=narrow_svg, title=title, summary=summary, headers=headers, rows=rows
    )


def _polyline(points: list[str], s: Series) -> str:
    dashes = f' stroke-dasharray="{s.dash}"' if s.dash else ""
    return (
        f'<polyline points="{" ".join(points)}" fill="none" stroke="{s.colour}" '
        f'stroke-width="2.5"{dashes}/>'
    )


@dataclass(frozen=True)
class PairedRow:
    label: str
    before: Number | None
    after: Number | None
    #: Extra cells for the data table (e.g. the change and how many teams).
    extra: tuple[str, ...] = ()


def paired_bars_chart(
    *,
    title: str,
    rows: Sequence[PairedRow],
    summary: str,
    before_label: str,
    after_label: str,
    extra_headers: Sequence[str] = (),
    first_header: str = "Section",
    domain: tuple[float, float] = (0, 100),
    unit: str = "%",
    width: int = 760,
) -> Chart:
    """Two horizontal bars per row: `before` (grey) above `after` (blue), each with its
    value after its end; on a phone each row's label sits above its bars."""

    def draw(w: int, narrow: bool) -> tuple[list[str], int]:
        size = 13 if narrow else 12
        left, right = (12, w - 52) if narrow else (230, w - 56)
        legend = legend_layout(
            [
                LegendItem(_box_swatch(EARLIER), before_label, 14),
                LegendItem(_box_swatch(PRIMARY), after_label, 14),
            ],
            left=8,
            right=w - 8,
            size=size,
        )
        top = 20 * legend_rows(legend) + 16
        band = 62 if narrow else 44
        axis_y = top + band * max(len(rows), 1)
        scale = LinearScale(domain, (left, right))
        body = [
            *legend_marks(legend, y=16, size=size),
            x_axis(scale, y=axis_y, top=top, ticks=nice_ticks(*domain, 5), size=size),
        ]
        for index, row in enumerate(rows):
            y = top + band * index
            if narrow:
                body.append(text(left, y + 14, fit_text(row.label, size, w - 2 * left), size=size))
                first_bar = y + 20
            else:
                label = fit_text(row.label, size, left - 16)
                body.append(text(left - 8, y + band / 2 + 4, label, anchor="end", size=size))
                first_bar = y + 6
            for offset, value, colour, name in (
                (0, row.before, EARLIER, before_label),
                (17, row.after, PRIMARY, after_label),
            ):
                bar_top = first_bar + offset
                if value is None:
                    body.append(text(left + 4, bar_top + 12, "No data", size=size, fill=MUTED))
                    continue
                end = scale(value)
                body.append(
                    f'<rect x="{left}" y="{bar_top:.1f}" width="{max(end - left, 0):.1f}" '
                    f'height="14" fill="{colour}"><title>{esc(row.label)}: {esc(name)} '
                    f"{esc(fmt(value))}{esc(unit)}</title></rect>"
                )
                body.append(text(end + 4, bar_top + 12, f"{fmt(value)}{unit}", size=size))
        return body, axis_y + size + 12

    wide, narrow_svg = _both(draw, width=width, title=title, summary=summary)
    headers = [first_header, before_label, after_label, *extra_headers]
    table = [
        [
            row.label,
            "–" if row.before is None else f"{fmt(row.before)}{unit}",
            "–" if row.after is None else f"{fmt(row.after)}{unit}",
            *row.extra,
        ]
        for row in rows
    ]
    return Chart(
        svg=wide, narrow_svg=narrow_svg, title=title, summary=summary, headers=headers, rows=table
    )
