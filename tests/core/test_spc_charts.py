"""core.charts.spc drawn from plain data: what a run or control chart must show, pinned on
one hand-made control chart (two phases, a baseline, a gap, a signal, a goal, flags), so
that reshaping the drawing code cannot quietly move or drop a mark."""

import xml.etree.ElementTree as ET

from core.charts.spc import Annotation, SpcChartData, small_multiple_chart, spc_chart

SVG = "{http://www.w3.org/2000/svg}"
N = 14


def control_chart_data() -> SpcChartData:
    return SpcChartData(
        title="Weight <in> kg",
        labels=[f"Month {i + 1}" for i in range(N)],
        tick_labels=[f"M{i + 1}" for i in range(N)],
        y=[50.0, 55.0, 45.0, 52.0, 48.0, None, 51.0, 70.0, 72.0, 95.0, 71.0, 69.0, 73.0, 70.0],
        cl=[50.0] * 7 + [71.0] * 7,
        lcl=[35.0] * 7 + [56.0] * 7,
        ucl=[65.0] * 7 + [86.0] * 7,
        signal=[False] * 9 + [True] + [False] * 4,
        details=[""] * 9 + ["19 of 20"] + [""] * 4,
        part_starts=[(7, "Kilogram scale")],
        baseline_index=3,
        target=90.0,
        unit="%",
        percent=True,
        y_label="Percent",
        chart_name="P control chart",
        centre_name="Mean",
        is_control=True,
        annotations=[
            Annotation(2, "Test of change: scale"),
            Annotation(2, "Note: <b>"),
            Annotation(9, "Note: audit"),
            Annotation(30, "Note: outside the chart"),
        ],
        signal_texts=["1 point above the upper limit"],
    )


def parse(svg) -> ET.Element:
    return ET.fromstring(str(svg))  # noqa: S314 - our own markup


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def paths(root: ET.Element, **attrs: str) -> list[ET.Element]:
    return [
        p
        for p in root.iter(f"{SVG}path")
        if all(p.get(name.replace("_", "-")) == value for name, value in attrs.items())
    ]


def test_the_control_chart_is_an_image_labelled_by_its_summary():
    chart = spc_chart(control_chart_data())
    root = parse(chart.svg)
    # 380 high, and 20 more for the legend's second row.
    assert root.get("role") == "img" and root.get("viewBox") == "0 0 760 400"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}title").text == "Weight <in> kg"
    assert root.find(f"{SVG}desc").get("id") == desc_id
    assert root.find(f"{SVG}desc").text == chart.summary
    assert chart.summary == (
        "P control chart of Weight <in> kg, 13 points from Month 1 to Month 14. "
        "Latest value 70% (Month 14). Mean 71%. Limits 56% to 86%. Goal: 90%. "
        "Signals: 1 point above the upper limit."
    )
    assert "<b>" not in str(chart.svg) and "href" not in str(chart.svg)


def test_points_signals_and_the_gap_in_the_line():
    root = parse(spc_chart(control_chart_data()).svg)
    points = [c for c in root.iter(f"{SVG}circle") if c.find(f"{SVG}title") is not None]
    assert len(points) == 12  # 14 periods, one missing, one drawn as a signal
    assert points[0].get("cx") == "84.1" and points[0].get("cy") == "228.6"
    assert points[0].find(f"{SVG}title").text == "Month 1: 50%"
    (signal,) = paths(root, data_signal="true")
    assert signal.get("d") == "M446.7 54.8 L453.7 61.8 L446.7 68.8 L439.7 61.8 Z"
    assert signal.find(f"{SVG}title").text == "Month 10: 95% (19 of 20) – part of a signal"
    line = paths(root, stroke="#71767a", stroke_linejoin="round")  # grey: signals stand out
    assert [p.get("d").count("L") + 1 for p in line] == [5, 8]  # the missing month breaks it


def test_limits_centre_line_goal_baseline_and_phases():
    root = parse(spc_chart(control_chart_data()).svg)
    limits = paths(root, stroke_dasharray="4 3")
    assert len(limits) == 4  # upper and lower, in each of the two phases
    upper = limits[0].get("d")  # the first phase
    assert upper.startswith("M64.0 173.0 ") and upper.endswith("346.0 173.0")
    centre = paths(root, stroke="#1b1b1b", stroke_width="2")
    assert [p.get("d")[:12] for p in centre] == ["M64.0 228.6 ", "M346.0 150.8"]
    words = texts(root)
    for label in ("Upper limit 86%", "Lower limit 56%", "Mean 71%", "Goal 90%", "Baseline"):
        assert label in words
    assert "Kilogram scale" in words
    phase = [x for x in root.iter(f"{SVG}line") if x.get("stroke-dasharray") == "6 3"]
    assert [(x.get("x1"), x.get("y1"), x.get("y2")) for x in phase] == [("346.0", "44", "302")]
    baseline = next(r for r in root.iter(f"{SVG}rect") if r.get("fill") == "#f0f0f0")
    assert (baseline.get("x"), baseline.get("width")) == ("64", "161.1")


def test_axes_thin_the_period_labels_and_format_percent_ticks():
    words = texts(parse(spc_chart(control_chart_data()).svg))
    assert [w for w in words if w.startswith("M") and w[1:].isdigit()] == [
        "M1", "M3", "M5", "M7", "M9", "M11", "M13", "M14"
    ]  # fmt: skip
    assert [w for w in words if w.endswith("%") and w[0].isdigit()][:3] == ["40%", "60%", "80%"]


def test_annotations_share_a_flag_per_period_and_skip_periods_off_the_chart():
    root = parse(spc_chart(control_chart_data()).svg)
    flags = [r for r in root.iter(f"{SVG}rect") if r.get("data-flag")]
    assert [f.find(f"{SVG}title").text for f in flags] == [
        "Test of change: scale; Note: <b>",
        "Note: audit",
    ]
    # Each flag as wide as its number (and centred over its period: M3 at 164.7, M10 at 446.7).
    assert [(f.get("x"), f.get("width")) for f in flags] == [("147.1", "35.3"), ("436.8", "19.8")]
    assert "1-2" in texts(root) and "3" in texts(root) and "4" not in texts(root)


def test_the_legend_names_every_mark_in_words():
    words = texts(parse(spc_chart(control_chart_data()).svg))
    assert words[-7:] == [
        "Value", "Mean", "Limits", "Goal", "Part of a signal",
        "1", "Test of change or note (listed below)",
    ]  # fmt: skip


def test_the_small_multiple_keeps_the_line_centre_goal_and_signals():
    chart = small_multiple_chart(control_chart_data())
    root = parse(chart.svg)
    assert root.get("viewBox") == "0 0 256 160"
    # The value axis's two ends, the latest value with its period, the first and last periods.
    assert texts(root) == [
        "Weight <in> kg", "Latest 70% (Month 14)", "100%", "40%", "Month 14", "Month 1"
    ]  # fmt: skip
    (signal,) = paths(root, data_signal="true")
    assert signal.get("d") == "M182.4 52.3 L186.9 56.8 L182.4 61.3 L177.9 56.8 Z"
    assert len(paths(root, stroke="#1b1b1b", stroke_width="1.5")) == 2  # one centre per phase
    assert len(paths(root, stroke="#71767a", stroke_width="1.5")) == 2  # the gap breaks it
    goal = [x for x in root.iter(f"{SVG}line") if x.get("stroke") == "#216e1f"]
    assert [x.get("y1") for x in goal] == ["63.7"]
    assert chart.summary == root.find(f"{SVG}desc").text


def test_no_data_draws_an_empty_frame_that_says_so():
    chart = spc_chart(SpcChartData(title="Falls", labels=[], tick_labels=[], y=[], cl=[]))
    root = parse(chart.svg)
    assert chart.summary == "Falls: no data yet."
    assert not list(root.iter(f"{SVG}circle"))[1:]  # only the legend's dot
    assert not paths(root, data_signal="true")
