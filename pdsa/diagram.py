"""The key driver diagram as SVG: aim -> primary drivers -> secondary drivers -> change ideas.

Pure: it takes plain titles and returns markup, so the same drawing serves the
page, printing and a download. Every piece of text is escaped (team text may
contain anything, "<script>" included), and the drawing uses attributes, not a
stylesheet, so it looks the same wherever it is shown. It is laid out in four
columns; each box takes the height its wrapped text needs, and a parent is
centred on the block of its children, joined by elbow lines.
"""

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

COLUMN_WIDTH = 230
COLUMN_GAP = 46
LINE_HEIGHT = 17
PADDING = 10
GAP = 12
FONT_SIZE = 14
CHARS_PER_LINE = 27
HEADER = 34
MARGIN = 8

COLUMNS = ("Aim", "Primary drivers", "Secondary drivers", "Change ideas")
STYLES = {
    "aim": {"fill": "#1a4480", "stroke": "#162e51", "text": "#ffffff"},
    "primary": {"fill": "#d9e8f6", "stroke": "#005ea2", "text": "#1b1b1b"},
    "secondary": {"fill": "#e7f6f8", "stroke": "#00bde3", "text": "#1b1b1b"},
    "idea": {"fill": "#ffffff", "stroke": "#565c65", "text": "#1b1b1b"},
}


@dataclass
class SecondaryBox:
    title: str
    ideas: list[str] = field(default_factory=list)


@dataclass
class PrimaryBox:
    title: str
    secondaries: list[SecondaryBox] = field(default_factory=list)
    ideas: list[str] = field(default_factory=list)


@dataclass
class _Box:
    kind: str
    column: int
    lines: list[str]
    y: float = 0.0

    @property
    def height(self) -> float:
        return len(self.lines) * LINE_HEIGHT + 2 * PADDING

    @property
    def x(self) -> float:
        return MARGIN + self.column * (COLUMN_WIDTH + COLUMN_GAP)

    @property
    def mid_y(self) -> float:
        return self.y + self.height / 2


def _wrap(text: str) -> list[str]:
    text = " ".join((text or "").split()) or "(untitled)"
    return textwrap.wrap(text, CHARS_PER_LINE, break_long_words=True) or [text]


@dataclass
class _Node:
    box: _Box
    children: list["_Node"] = field(default_factory=list)

    def block_height(self) -> float:
        own = self.box.height + GAP
        return max(own, sum(child.block_height() for child in self.children))

    def place(self, top: float) -> None:
        block = self.block_height()
        self.box.y = top + (block - self.box.height) / 2
        inner = sum(child.block_height() for child in self.children)
        cursor = top + (block - inner) / 2
        for child in self.children:
            child.place(cursor)
            cursor += child.block_height()


def _tree(aim: str, primaries: Sequence[PrimaryBox]) -> _Node:
    root = _Node(_Box("aim", 0, _wrap(aim)))
    for primary in primaries:
        p_node = _Node(_Box("primary", 1, _wrap(primary.title)))
        for secondary in primary.secondaries:
            s_node = _Node(_Box("secondary", 2, _wrap(secondary.title)))
            s_node.children = [_Node(_Box("idea", 3, _wrap(idea))) for idea in secondary.ideas]
            p_node.children.append(s_node)
        p_node.children.extend(_Node(_Box("idea", 3, _wrap(idea))) for idea in primary.ideas)
        root.children.append(p_node)
    return root


def _walk(node: _Node):
    yield node
    for child in node.children:
        yield from _walk(child)


def _box_svg(box: _Box) -> str:
    style = STYLES[box.kind]
    text_x = box.x + PADDING
    spans = "".join(
        f'<tspan x="{text_x:.0f}" y="{box.y + PADDING + (i + 1) * LINE_HEIGHT - 4:.0f}">'
        f"{escape(line)}</tspan>"
        for i, line in enumerate(box.lines)
    )
    return (
        f'<g class="kdd-{box.kind}">'
        f'<rect x="{box.x:.0f}" y="{box.y:.0f}" width="{COLUMN_WIDTH}" height="{box.height:.0f}" '
        f'rx="4" fill="{style["fill"]}" stroke="{style["stroke"]}" stroke-width="1.5"/>'
        f'<text font-family="Source Sans Pro, Helvetica, Arial, sans-serif" '
        f'font-size="{FONT_SIZE}" fill="{style["text"]}">{spans}</text></g>'
    )


def _line_svg(parent: _Box, child: _Box) -> str:
    x1 = parent.x + COLUMN_WIDTH
    x2 = child.x
    elbow = x1 + COLUMN_GAP / 2
    return (
        f'<path d="M{x1:.0f} {parent.mid_y:.0f} H{elbow:.0f} V{child.mid_y:.0f} H{x2:.0f}" '
        'fill="none" stroke="#71767a" stroke-width="1.5"/>'
    )


def text_outline(aim: str, primaries: Sequence[PrimaryBox]) -> str:
    """The diagram in words, for the SVG's description (screen readers)."""
    parts = [f"Aim: {aim}."]
    for primary in primaries:
        parts.append(f"Primary driver: {primary.title}.")
        for secondary in primary.secondaries:
            ideas = "; ".join(secondary.ideas) or "none yet"
            parts.append(f"Secondary driver: {secondary.title}, change ideas: {ideas}.")
        if primary.ideas:
            parts.append(f"Change ideas: {'; '.join(primary.ideas)}.")
    return " ".join(parts)


def driver_diagram_svg(
    aim: str, primaries: Sequence[PrimaryBox], *, title: str = "Key driver diagram"
) -> str:
    """A standalone SVG document of the diagram (escaped, sized to its content)."""
    root = _tree(aim, primaries)
    root.place(HEADER)
    boxes = [node.box for node in _walk(root)]
    height = HEADER + root.block_height() + MARGIN
    width = MARGIN * 2 + 4 * COLUMN_WIDTH + 3 * COLUMN_GAP
    heads = "".join(
        f'<text x="{MARGIN + i * (COLUMN_WIDTH + COLUMN_GAP):.0f}" y="20" '
        'font-family="Source Sans Pro, Helvetica, Arial, sans-serif" font-size="15" '
        f'font-weight="bold" fill="#1b1b1b">{escape(label)}</text>'
        for i, label in enumerate(COLUMNS)
    )
    lines = "".join(
        _line_svg(node.box, child.box) for node in _walk(root) for child in node.children
    )
    body = "".join(_box_svg(box) for box in boxes)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="kdd" role="img" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        f'aria-labelledby="kdd-title kdd-desc">'
        f'<title id="kdd-title">{escape(title)}</title>'
        f'<desc id="kdd-desc">{escape(text_outline(aim, primaries))}</desc>'
        f"{heads}{lines}{body}</svg>"
    )


def driver_tree_svg(tree, *, team_name: str) -> str:
    """The drawing of a team's `pdsa.selectors.DriverTree` (its aim, primary drivers with
    their secondary drivers and change ideas): the diagram page, its SVG download and
    the storyboard draw the same picture."""
    aim = tree.aim.statement if tree.aim else "No aim written yet"
    primaries = [
        PrimaryBox(
            title=node.driver.title,
            secondaries=[
                SecondaryBox(title=s.driver.title, ideas=[i.title for i in s.ideas])
                for s in node.secondaries
            ],
            ideas=[i.title for i in node.ideas],
        )
        for node in tree.primaries
    ]
    return driver_diagram_svg(aim, primaries, title=f"Key driver diagram of {team_name}")
