"""Gap-analysis charts: score distributions per wave and section comparisons."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from . import (
    EARLIER,
    HIGHLIGHT,
    INK,
    MUTED,
    PRIMARY,
    Chart,
    LinearScale,
    Number,
    chart_with_words,
    esc,
    fmt,
    nice_ticks,
    text,
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
    return chart_with_words(
        title=title,
        summary=" ".join(sentences) if rows else "No scores yet.",
        body=body,
        width=width,
        height=height,
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
    return chart_with_words(
        title=title,
        summary=summary,
        body=body,
        width=width,
        height=height,
        headers=headers,
        rows=table,
    )
