"""Charts people can read (issue 12): labels and flags that never overlap, text that
stays at least 12 px where the chart is shown (a narrow drawing for phones), and
thumbnails that say their range and latest value.

Boxes of text are computed from the SVG's text positions and an estimate of the text's
width (core.charts.text_width, an upper bound of Arial/Helvetica's widths, which are
wider than the charts' Source Sans Pro); the browser test in tests/e2e checks the
rendered sizes."""

import random
import re
import xml.etree.ElementTree as ET

import pytest

from core.charts import NARROW_WIDTH, text_width
from core.charts.distribution import (
    BarRow,
    StripPoint,
    StripRow,
    score_distribution_chart,
    section_comparison_chart,
)
from core.charts.labels import Box, text_box
from core.charts.spc import (
    Annotation,
    FunnelChartData,
    FunnelPoint,
    SpcChartData,
    funnel_chart,
    share_scales,
    small_multiple_chart,
    spc_chart,
)

SVG = "{http://www.w3.org/2000/svg}"
#: What a 390 px phone shows of a chart: 390 less the page's 16 px margins.
PHONE_CONTENT = 358
#: The narrowest a thumbnail's card gives it: an 18rem card less its padding and border.
CARD_CONTENT = 288 - 24 - 2


def parse(svg) -> ET.Element:
    return ET.fromstring(str(svg))  # noqa: S314 - our own markup


def view_width(root: ET.Element) -> float:
    return float(root.get("viewBox").split()[2])


def boxes_of(texts: list[ET.Element]) -> list[tuple[str, Box]]:
    return [
        (
            t.text,
            text_box(
                float(t.get("x")),
                float(t.get("y")),
                t.text,
                float(t.get("font-size")),
                t.get("text-anchor", "start"),
                bold=t.get("font-weight") == "bold",
            ),
        )
        for t in texts
    ]


def overlapping(boxes: list[tuple[str, Box]]) -> list[tuple[str, str]]:
    return [
        (a, b)
        for i, (a, box_a) in enumerate(boxes)
        for b, box_b in boxes[i + 1 :]
        if box_a.overlaps(box_b)
    ]


# --- 9. funnel plot labels -------------------------------------------------------------------


def funnel(n: int, *, spread: float, seed: int = 12) -> FunnelChartData:
    """`n` named teams whose values and denominators are close together (they collide)."""
    rng = random.Random(seed)
    points = []
    for k in range(1, n + 1):
        denominator = rng.randint(40, 60) if spread < 1 else rng.randint(20, 400)
        points.append(
            FunnelPoint(
                label=f"Saint Mary's Hospital {k}",
                denominator=denominator,
                value=50 + rng.uniform(-spread, spread),
                named=True,
                highlight=k == 7,
            )
        )
    points.sort(key=lambda p: p.denominator)
    curves = {
        level: [(d, 50 - z * 50 / d**0.5, 50 + z * 50 / d**0.5) for d in range(20, 420, 10)]
        for level, z in (("95", 1.96), ("998", 3.09))
    }
    return FunnelChartData(title="Weighed in kg", points=points, centre=50.0, curves=curves)


def point_labels(root: ET.Element, names: set[str]) -> list[ET.Element]:
    """Every text that labels a point: a team's name or its number in the table."""
    return [
        t
        for t in root.iter(f"{SVG}text")
        if t.text in names or t.get("data-point-label") is not None
    ]


@pytest.mark.parametrize(("n", "spread"), [(40, 0.5), (300, 6.0)])
def test_funnel_labels_never_overlap_each_other(n, spread):
    data = funnel(n, spread=spread)
    names = {p.label for p in data.points}
    chart = funnel_chart(data)
    for svg in (chart.svg, chart.narrow_svg):
        root = parse(svg)
        labels = point_labels(root, names)
        assert len(labels) >= 5  # names or numbers where there is room...
        assert overlapping(boxes_of(labels)) == []  # ...and never one on another
        # Every point says who it is, its number in the table and where it stands.
        tips = [el.find(f"{SVG}title").text for el in root if el.find(f"{SVG}title") is not None]
        point_tips = [t for t in tips if t.startswith("No. ")]
        assert len(point_tips) == n
        assert "No. 1, Saint Mary's Hospital" in point_tips[0]
    # The viewer's team is named: by its point, or in the legend when there is no room.
    assert "Saint Mary's Hospital 7" in [t.text for t in parse(chart.svg).iter(f"{SVG}text")]
    # The table numbers the teams as the chart does.
    assert chart.headers[0] == "No." and [r[0] for r in chart.rows] == [
        str(k) for k in range(1, n + 1)
    ]


def test_funnel_number_labels_name_the_point_they_stand_by():
    root = parse(funnel_chart(funnel(300, spread=6.0)).svg)
    numbers = [t for t in root.iter(f"{SVG}text") if (t.text or "").isdigit()]
    numbers = [t for t in numbers if t.get("data-point-label") is not None]
    assert numbers and all(t.get("data-point-label") == t.text for t in numbers)


# --- 10. text at least 12 px where the chart is shown ----------------------------------------


def control_chart(n: int = 30) -> SpcChartData:
    labels = [
        f"{['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun'][i % 6]} {2025 + i // 12}" for i in range(n)
    ]
    return SpcChartData(
        title="Weighed in kg",
        labels=labels,
        tick_labels=[f"M{i + 1}\n2026" if i % 12 == 0 else f"M{i + 1}" for i in range(n)],
        y=[50.0 + (i % 7) for i in range(n)],
        cl=[53.0] * n,
        lcl=[40.0] * n,
        ucl=[66.0] * n,
        target=70.0,
        unit="%",
        percent=True,
        y_label="Percent",
        is_control=True,
        centre_name="Mean",
        annotations=[Annotation(3, "Test of change: scale"), Annotation(9, "Note: audit")],
        part_starts=[(15, "Kilogram-only scale at triage")],
        baseline_index=11,
    )


def font_sizes(root: ET.Element) -> list[float]:
    return [float(t.get("font-size")) for t in root.iter(f"{SVG}text")]


def charts_with_a_narrow_drawing():
    funnel_data = funnel(40, spread=0.5)
    return {
        "control chart": spc_chart(control_chart()),
        "funnel plot": funnel_chart(funnel_data),
        "score distribution": score_distribution_chart(
            [StripRow("Baseline", [StripPoint(v) for v in (40, 55, 70, 90)])]
        ),
        "section bars": section_comparison_chart(
            [BarRow("Equipment and supplies for children", 75, 80, 50)], earlier_label="Baseline"
        ),
    }


@pytest.mark.parametrize("name", list(charts_with_a_narrow_drawing()))
def test_every_chart_has_a_phone_drawing_whose_text_stays_12px(name):
    chart = charts_with_a_narrow_drawing()[name]
    narrow = parse(chart.narrow_svg)
    assert view_width(narrow) == NARROW_WIDTH
    scale = PHONE_CONTENT / view_width(narrow)  # what a 390 px phone shows of it
    assert min(font_sizes(narrow)) * scale >= 12
    # The wide drawing is shown only at 760 px or more (static/css/app.css): never scaled
    # below its size, so its text must be 12 or more as drawn.
    wide = parse(chart.svg)
    assert view_width(wide) <= 760 and min(font_sizes(wide)) >= 12
    # The page gets both; the stylesheet shows the one that fits.
    picture = str(chart.picture)
    assert "chart-picture__wide" in picture and "chart-picture__narrow" in picture


def test_the_phone_drawing_labels_fewer_periods_and_keeps_the_years():
    chart = spc_chart(control_chart(30))
    narrow = [t.text for t in parse(chart.narrow_svg).iter(f"{SVG}text")]
    periods = [w for w in narrow if re.fullmatch(r"M\d+", w or "")]
    assert 3 <= len(periods) <= 6 and periods[-1] == "M30"
    assert "2026" in narrow  # a thinned axis still says the year
    # The lines' values move from the right margin into the legend.
    assert "Mean 53%" in narrow and "Limits 40%–66%" in narrow and "Goal 70%" in narrow
    boxes = boxes_of([t for t in parse(chart.narrow_svg).iter(f"{SVG}text") if t.text])
    assert all(box.x0 >= 0 and box.x1 <= NARROW_WIDTH for _, box in boxes)


def test_labels_in_the_right_margin_do_not_overlap_when_lines_are_close():
    data = control_chart()
    data.target, data.ucl = 66.5, [66.0] * len(data.y)  # the goal just above the upper limit
    root = parse(spc_chart(data).svg)
    right = [t for t in root.iter(f"{SVG}text") if float(t.get("x") or 0) > 760 - 132]
    assert {t.text for t in right} >= {"Goal 66.5%", "Upper limit 66%", "Mean 53%"}
    assert overlapping(boxes_of(right)) == []


def test_section_values_do_not_sit_on_the_median_mark():
    chart = section_comparison_chart([BarRow("Equipment", 75, 79, None)])
    root = parse(chart.svg)
    value = next(t for t in root.iter(f"{SVG}text") if t.text == "75%")
    tick = next(
        x
        for x in root.iter(f"{SVG}line")
        if x.get("stroke-width") == "3" and x.find(f"{SVG}title") is not None
    )
    ((_, box),) = boxes_of([value])
    assert not box.x0 <= float(tick.get("x1")) <= box.x1


# --- 11. annotation flags --------------------------------------------------------------------


def crowded_flags(n: int = 36) -> SpcChartData:
    """A cycle or two in nearly every month of three years: flags in neighbouring months."""
    annotations = []
    for i in range(n):
        for k in range(1 + (i % 3 == 0)):
            annotations.append(Annotation(i, f"Test of change {i}-{k}"))
    return SpcChartData(
        title="Weighed in kg",
        labels=[f"Month {i + 1}" for i in range(n)],
        tick_labels=[f"M{i + 1}" for i in range(n)],
        y=[50.0 + (i % 5) for i in range(n)],
        cl=[52.0] * n,
        annotations=annotations,
    )


def flag_boxes(root: ET.Element) -> list[tuple[str, Box]]:
    out = []
    for rect in root.iter(f"{SVG}rect"):
        if rect.get("data-flag"):
            x, y = float(rect.get("x")), float(rect.get("y"))
            box = Box(x, y, x + float(rect.get("width")), y + float(rect.get("height")))
            out.append((rect.find(f"{SVG}title").text, box))
    return out


def test_annotation_flags_never_overlap_and_every_annotation_keeps_its_number():
    data = crowded_flags()
    chart = spc_chart(data)
    for svg in (chart.svg, chart.narrow_svg):
        root = parse(svg)
        flags = flag_boxes(root)
        assert flags and overlapping(flags) == []
        # Each annotation is in exactly one flag's tooltip, and the flags' numbers run
        # 1..N without a gap (the list under the chart uses the same numbers).
        noted = [note for tip, _ in flags for note in tip.split("; ")]
        assert noted == [a.label for a in data.annotations]
        numbers = [
            t.text
            for t in root.iter(f"{SVG}text")
            if t.get("font-weight") == "bold" and re.fullmatch(r"\d+(-\d+)?", t.text)
        ]
        ranges = [
            tuple(map(int, n.split("-"))) if "-" in n else (int(n),) * 2 for n in numbers[:-1]
        ]
        assert ranges[0][0] == 1 and ranges[-1][1] == len(data.annotations)
        assert all(b[0] == a[1] + 1 for a, b in zip(ranges, ranges[1:], strict=False))
        # The legend says what the flags are.
        assert "Test of change or note (listed below)" in [t.text for t in root.iter(f"{SVG}text")]


def test_flags_of_neighbouring_months_stack_in_lanes_above_the_plot():
    data = crowded_flags(36)
    root = parse(spc_chart(data).svg)
    ys = {box.y0 for _, box in flag_boxes(root)}
    assert len(ys) >= 2  # more than one lane...
    # ...and the plot moves down to make room: no flag reaches into it.
    (axis,) = [x for x in root.iter(f"{SVG}line") if x.get("x1") == x.get("x2") == "64.0"]
    top = float(axis.get("y2"))
    assert top > 44 and all(box.y1 <= top for _, box in flag_boxes(root))


# --- 12. thumbnails ------------------------------------------------------------------------


def thumbnail_data(values, title="Weighed in kg") -> SpcChartData:
    n = len(values)
    return SpcChartData(
        title=title,
        labels=[f"{m} 2026" for m in ["March", "April", "May", "June", "July"][:n]],
        tick_labels=["Mar"] * n,
        y=values,
        cl=[sum(present := [v for v in values if v is not None]) / len(present)] * n,
        unit="%",
        percent=True,
    )


def test_a_thumbnail_shows_its_range_and_its_latest_value_with_the_period():
    chart = small_multiple_chart(thumbnail_data([42.0, 55.0, 61.0, None]))
    root = parse(chart.svg)
    words = [t.text for t in root.iter(f"{SVG}text")]
    assert "Latest 61% (May 2026)" in words
    assert "65%" in words and "40%" in words  # the value axis's two ends, round
    assert "March 2026" in words and "June 2026" in words  # the first and last periods
    # Drawn at the size a card shows it: its text is never scaled below 12 px.
    assert view_width(root) <= CARD_CONTENT and min(font_sizes(root)) >= 12


def test_thumbnails_of_one_unit_share_a_scale_on_request():
    low, high = thumbnail_data([10.0, 12.0, 14.0]), thumbnail_data([80.0, 85.0, 90.0])
    minutes = thumbnail_data([300.0, 320.0, 340.0])
    minutes.unit, minutes.percent = "minutes", False
    own = [
        small_multiple_chart(d)
        for d in (thumbnail_data([10.0, 12.0, 14.0]), thumbnail_data([80.0, 85.0, 90.0]))
    ]
    ends = [[t.text for t in parse(c.svg).iter(f"{SVG}text")][2:4] for c in own]
    assert ends[0] != ends[1]  # each on its own scale by default
    share_scales([low, high, minutes])
    assert low.y_domain == high.y_domain == (0.0, 100.0)
    assert minutes.y_domain != low.y_domain  # minutes are not compared with percentages
    shared = [
        [t.text for t in parse(small_multiple_chart(d).svg).iter(f"{SVG}text")][2:4]
        for d in (low, high)
    ]
    assert shared[0] == shared[1] == ["100%", "0%"]


@pytest.mark.parametrize(
    ("words", "bold", "arial"),
    # Arial's advance widths (thousandths of an em) at 12 px.
    [
        ("Hospital", False, 3612),
        ("100%", False, 2557),
        ("Wm", False, 1777),
        ("(Q1)", False, 2000),
        ("Goal…", False, 3112),
        ("Mean 71%", True, 4835),
    ],
)
def test_text_width_is_an_upper_bound_of_arial(words, bold, arial):
    assert text_width(words, 12, bold=bold) >= 12 * arial / 1000
