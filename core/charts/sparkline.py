"""A sparkline: a word-sized line of a measure's recent values, for tables.

Too small for axes or labels, so its words carry the meaning: the SVG is an image
labelled by its title and a description that lists the values, and `sparkline_words`
gives the same sentence for the page to show to screen readers (and in the API). The
last point is marked so that "where are we now" reads at a glance; gaps (months
without a value) break the line rather than bridging it.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.safestring import SafeString

from . import HIGHLIGHT, PRIMARY, LinearScale, fmt, svg_document

WIDTH = 120
HEIGHT = 32
PAD = 4


def sparkline_words(
    values: Sequence[float | None], labels: Sequence[str], *, name: str, unit: str = ""
) -> str:
    """ "Measure, last 12 months: Jan 2026 40, Feb 2026 no value, ...; latest 52." """
    unit = f" {unit}" if unit else ""
    parts = [
        f"{label} {fmt(v)}{unit}" if v is not None else f"{label} no value"
        for label, v in zip(labels, values, strict=False)
    ]
    latest = next((v for v in reversed(values) if v is not None), None)
    if latest is None:
        return f"{name}: no values yet."
    return f"{name}, last {len(values)} periods: {', '.join(parts)}; latest {fmt(latest)}{unit}."


def sparkline(
    values: Sequence[float | None], labels: Sequence[str], *, name: str, unit: str = ""
) -> SafeString | None:
    """The sparkline's SVG, or None when there is no value to draw."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    low, high = min(present), max(present)
    if low == high:
        low, high = low - 1, high + 1
    n = len(values)
    xs = LinearScale((0, max(n - 1, 1)), (PAD, WIDTH - PAD))
    ys = LinearScale((low, high), (HEIGHT - PAD, PAD))
    runs: list[list[tuple[float, float]]] = [[]]
    for i, v in enumerate(values):
        if v is None:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append((xs(i), ys(v)))
    body = []
    for run in runs:
        if len(run) > 1:
            points = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
            body.append(
                f'<polyline points="{points}" fill="none" stroke="{PRIMARY}" stroke-width="2" '
                'stroke-linejoin="round" stroke-linecap="round"/>'
            )
        elif run:
            x, y = run[0]
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="1.5" fill="{PRIMARY}"/>')
    last = max(i for i, v in enumerate(values) if v is not None)
    body.append(
        f'<circle cx="{xs(last):.1f}" cy="{ys(values[last]):.1f}" r="3" fill="{HIGHLIGHT}"/>'
    )
    return svg_document(
        width=WIDTH,
        height=HEIGHT,
        title=name,
        description=sparkline_words(values, labels, name=name, unit=unit),
        body="".join(body),
    )
