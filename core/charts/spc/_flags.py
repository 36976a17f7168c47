"""The numbered flags above a chart: what happened in a period (a PDSA cycle, a note).

Each period with annotations gets one flag, numbered like the list under the chart
("3", or "4-6" for three in one period). Flags never overlap: each goes in the lowest
lane (row above the plot) where it touches no other flag; when every lane is taken near
it, it joins the flag before it, whose number range then covers both periods (the
list under the chart still names each annotation with its period).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import GRID, INK, esc, text_width
from ._marks import PlotArea

#: Rows of flags above the plot at most (each 20 units high).
MAX_LANES = 3
FLAG_HEIGHT = 18


@dataclass
class Annotation:
    """Something that happened in a period: a PDSA cycle or a note, optionally linked.
    `when` says its dates in words for the list under the chart."""

    index: int
    label: str
    url: str = ""
    kind: str = "note"
    when: str = ""


@dataclass
class Flag:
    """One flag: the annotations' numbers, the periods it stands for, where it is drawn."""

    numbers: list[int]
    notes: list[str]
    indices: list[int]
    x0: float = 0.0
    width: float = 0.0
    lane: int = 0

    @property
    def label(self) -> str:
        first, last = self.numbers[0], self.numbers[-1]
        return str(first) if first == last else f"{first}-{last}"

    @property
    def x1(self) -> float:
        return self.x0 + self.width


@dataclass
class FlagLayout:
    flags: list[Flag] = field(default_factory=list)
    lanes: int = 1


def _width(label: str, size: int) -> float:
    return max(FLAG_HEIGHT, text_width(label, size, bold=True) + 12)


def flag_layout(
    annotations: list[Annotation],
    *,
    periods: int,
    left: float,
    right: float,
    width: float,
    size: int,
) -> FlagLayout:
    """Group the annotations by period (numbered in order, 1 first) and give each flag
    a lane; annotations outside the chart's periods are left out of the flags."""
    step = (right - left) / max(periods, 1)
    by_period: dict[int, Flag] = {}
    for number, note in enumerate(annotations, start=1):
        if 0 <= note.index < periods:
            flag = by_period.setdefault(note.index, Flag([], [], [note.index]))
            flag.numbers.append(number)
            flag.notes.append(note.label)
    layout = FlagLayout()
    lane_end: list[float] = []
    for index in sorted(by_period):
        flag = by_period[index]
        centre = left + step * (index + 0.5)
        flag.width = _width(flag.label, size)
        flag.x0 = min(max(centre - flag.width / 2, 1.0), width - 1 - flag.width)
        lane = next((k for k, end in enumerate(lane_end) if flag.x0 >= end + 3), None)
        if lane is None and len(lane_end) < MAX_LANES:
            lane = len(lane_end)
            lane_end.append(float("-inf"))
        if lane is None:
            # No room in any lane: the flag joins the one placed last (its neighbour).
            previous = layout.flags[-1]
            previous.numbers += flag.numbers
            previous.notes += flag.notes
            previous.indices += flag.indices
            previous.width = _width(previous.label, size)
            lane_end[previous.lane] = previous.x1
            continue
        flag.lane = lane
        lane_end[lane] = flag.x1
        layout.flags.append(flag)
    layout.lanes = max(len(lane_end), 1)
    return layout


def flag_marks(layout: FlagLayout, *, area: PlotArea, size: int) -> list[str]:
    """The flags over their periods' stems. No link inside the chart: an image
    (role="img") must hold nothing focusable (WCAG 4.1.2); the numbered list under the
    chart links to each cycle."""
    stems, pills = [], []
    for flag in layout.flags:
        y = area.top - 25 - 20 * flag.lane
        for index in flag.indices:
            x = area.xs[index]
            stems.append(
                f'<line x1="{x:.1f}" y1="{y + FLAG_HEIGHT:.1f}" x2="{x:.1f}" y2="{area.bottom}" '
                f'stroke="{GRID}" stroke-width="1" stroke-dasharray="2 3"/>'
            )
        tip = "; ".join(flag.notes)
        pills.append(
            f'<rect x="{flag.x0:.1f}" y="{y}" width="{flag.width:.1f}" height="{FLAG_HEIGHT}" '
            f'rx="9" fill="#ffffff" stroke="{INK}" stroke-width="1.5" data-flag="true">'
            f"<title>{esc(tip)}</title></rect>"
            f'<text x="{flag.x0 + flag.width / 2:.1f}" y="{y + 13:.1f}" text-anchor="middle" '
            f'font-size="{size}" fill="{INK}" font-weight="bold">{esc(flag.label)}</text>'
        )
    return stems + pills


def flag_swatch(size: int):
    """A flag numbered 1, for the legend."""

    def draw(x: float, y: float) -> str:
        return (
            f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="18" height="18" rx="9" fill="#ffffff" '
            f'stroke="{INK}" stroke-width="1.5"/>'
            f'<text x="{x + 9:.1f}" y="{y + 4:.1f}" text-anchor="middle" font-size="{size}" '
            f'fill="{INK}" font-weight="bold">1</text>'
        )

    return draw
