"""Labels that never overlap: a greedy placement that checks boxes.

Charts name their points where there is room and nowhere else (UI.md: "labels and
markers never overlap"). Each label is tried in a few positions around its point, most
important labels first; a position is taken only if its box stays inside the plot and
touches no label placed before it nor any point's mark. A label that finds no room is
left out: the point keeps its tooltip and its row in the chart's table.

The boxes use `text_width`, an upper estimate of the drawn width, so two labels that do
not touch here do not touch on screen. A grid of cells keeps the check cheap with
hundreds of points (each box is compared only with the boxes in its cells).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from . import text_width

#: Height of a line of text of size 1 (ascent plus descent), as a box takes it.
LINE_HEIGHT = 1.2


@dataclass(frozen=True)
class Box:
    """A rectangle: left, top, right, bottom (y grows downwards, as in SVG)."""

    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        return (
            self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1
        )

    def inside(self, other: Box) -> bool:
        return (
            self.x0 >= other.x0
            and self.x1 <= other.x1
            and self.y0 >= other.y0
            and self.y1 <= other.y1
        )


def text_box(
    x: float, y: float, content: str, size: float, anchor: str = "start", *, bold: bool = False
) -> Box:
    """The box of a `<text>` drawn at (x, y) (y is the baseline) with `text-anchor`."""
    width = text_width(content, size, bold=bold)
    left = x if anchor == "start" else x - width if anchor == "end" else x - width / 2
    # Baseline at y: about 0.9 of the line above it, 0.3 below (descenders).
    return Box(left, y - 0.92 * size, left + width, y + (LINE_HEIGHT - 0.92) * size)


@dataclass(frozen=True)
class Wanted:
    """A point that would like a label: its position, the words it may be labelled
    with (longest first: a team's name, else its number), and whether they are bold."""

    key: object
    x: float
    y: float
    choices: Sequence[str]
    bold: bool = False


@dataclass(frozen=True)
class Placed:
    """A label that found room: where its text goes and how it is anchored."""

    key: object
    words: str
    x: float
    y: float
    anchor: str
    box: Box
    bold: bool = False


class _Grid:
    """Boxes bucketed by cell, so that a new box is checked against its neighbours only."""

    def __init__(self, cell: float = 48.0):
        self.cell = cell
        self.cells: dict[tuple[int, int], list[Box]] = {}

    def _keys(self, box: Box) -> Iterable[tuple[int, int]]:
        c = self.cell
        for i in range(int(box.x0 // c), int(box.x1 // c) + 1):
            for j in range(int(box.y0 // c), int(box.y1 // c) + 1):
                yield (i, j)

    def add(self, box: Box) -> None:
        for key in self._keys(box):
            self.cells.setdefault(key, []).append(box)

    def hits(self, box: Box) -> bool:
        return any(
            box.overlaps(other) for key in self._keys(box) for other in self.cells.get(key, ())
        )


def _candidates(x: float, y: float, size: float, radius: float) -> list[tuple]:
    """Baselines and anchors around a point whose mark has `radius`, in order of
    preference: right, left, above, below; none touches the point's own mark."""
    gap = radius + 3
    ascent, descent = 0.92 * size, (LINE_HEIGHT - 0.92) * size
    level = y + (ascent - descent) / 2  # the text's middle level with the point
    above = y - radius - 2 - descent
    below = y + radius + 2 + ascent
    return [
        (x + gap, level, "start"),
        (x - gap, level, "end"),
        (x + 2, above, "start"),
        (x - 2, above, "end"),
        (x + 2, below, "start"),
        (x - 2, below, "end"),
        (x, above, "middle"),
        (x, below, "middle"),
    ]


def place_labels(
    wanted: Iterable[Wanted],
    *,
    bounds: Box,
    size: float,
    obstacles: Iterable[Box] = (),
    radius: float = 5.0,
) -> list[Placed]:
    """Place each wanted label, in the order given (most important first): the first of
    its choices that fits in any position around its point wins.

    Returns the labels placed; no two of their boxes overlap, none overlaps an obstacle
    (the points' marks), and all lie inside `bounds`. `radius` is the size of the
    points' marks (a label keeps clear of its own).
    """
    grid = _Grid()
    for box in obstacles:
        grid.add(box)
    placed: list[Placed] = []
    for want in wanted:
        for words in want.choices:
            spot = next(
                (
                    (lx, ly, anchor, box)
                    for lx, ly, anchor in _candidates(want.x, want.y, size, radius)
                    if (box := text_box(lx, ly, words, size, anchor, bold=want.bold)).inside(bounds)
                    and not grid.hits(box)
                ),
                None,
            )
            if spot is not None:
                lx, ly, anchor, box = spot
                grid.add(box)
                placed.append(Placed(want.key, words, lx, ly, anchor, box, want.bold))
                break
    return placed
