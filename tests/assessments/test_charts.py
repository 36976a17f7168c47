"""core.charts: the primitives and the gap-analysis charts (accessible, escaped SVG)."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from core.charts import LinearScale, esc, fmt, nice_ticks
from core.charts.distribution import (
    BarRow,
    StripPoint,
    StripRow,
    score_distribution_chart,
    section_comparison_chart,
)

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg) -> ET.Element:
    """The chart as XML: it must be well-formed (our own markup, not untrusted input)."""
    return ET.fromstring(str(svg))  # noqa: S314


def test_linear_scale_maps_both_ways_and_survives_an_empty_domain():
    scale = LinearScale((0, 100), (150, 650))
    assert scale(0) == 150 and scale(50) == 400 and scale(Decimal("100")) == 650
    assert LinearScale((0, 10), (300, 100))(10) == 100  # y axes run upwards
    assert LinearScale((5, 5), (0, 100))(5) == 50


@pytest.mark.parametrize(
    ("low", "high", "count", "ticks"),
    [
        (0, 100, 10, [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]),
        (0, 100, 5, [0, 20, 40, 60, 80, 100]),
        (0.3, 2.1, 4, [0.5, 1.0, 1.5, 2.0]),
        (7, 7, 5, [7]),
    ],
)
def test_nice_ticks(low, high, count, ticks):
    assert nice_ticks(low, high, count) == ticks


def test_fmt_and_esc():
    assert (fmt(Decimal("70.0")), fmt(68.55), fmt(None)) == ("70", "68.6", "–")
    assert esc('<a href="x">&') == "&lt;a href=&quot;x&quot;&gt;&amp;"


def test_distribution_chart_is_an_accessible_image_with_words_and_data():
    chart = score_distribution_chart(
        [
            StripRow("Baseline", [StripPoint(60, "Alpha"), StripPoint(70), StripPoint(90)]),
            StripRow("Follow-up", [StripPoint(85, highlight=True), StripPoint(75)]),
        ],
        highlight_label="Your team",
    )
    root = parse(chart.svg)
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert desc.text == chart.summary
    assert chart.summary == (
        "Baseline: 3 teams, median 70, from 60 to 90. "
        "Follow-up: 2 teams, median 80, from 75 to 85; Your team: 85."
    )
    assert len(root.findall(f".//{SVG}circle")) == 4  # the highlighted point is a diamond
    assert "Your team 85" in str(chart.svg) and "Median 70" in str(chart.svg)
    assert chart.rows[0] == ["Baseline", "Another team", "90"]
    assert ["Baseline", "Alpha", "60"] in chart.rows
    assert ["Follow-up", "Your team", "85"] in chart.rows


def test_dots_with_the_same_score_do_not_hide_each_other():
    chart = score_distribution_chart([StripRow("Baseline", [StripPoint(50)] * 3)])
    ys = re.findall(r'<circle cx="[\d.]+" cy="([\d.]+)"', str(chart.svg))
    assert len(set(ys)) == 3


def test_every_text_placed_in_the_svg_is_escaped():
    hostile = "</text><script>alert(1)</script>"
    chart = score_distribution_chart(
        [StripRow(hostile, [StripPoint(50, label=hostile)])], title=hostile
    )
    bars = section_comparison_chart([BarRow(hostile, 50, 60, 40)], earlier_label=hostile)
    for svg in (str(chart.svg), str(bars.svg)):
        assert "<script>" not in svg and "&lt;script&gt;" in svg
        parse(svg)


def test_section_chart_marks_the_median_and_the_earlier_wave():
    chart = section_comparison_chart(
        [BarRow("Equipment", Decimal("75"), Decimal("80"), Decimal("50")), BarRow("QI", None)],
        value_label="Your team",
        earlier_label="Baseline",
    )
    assert chart.headers == ["Section", "Your team", "Collaborative median", "Baseline"]
    assert chart.rows == [["Equipment", "75%", "80%", "50%"], ["QI", "N/A", "–", "–"]]
    assert chart.summary.startswith("Lowest section: Equipment at 75%.")
    assert "Equipment 75% (below the median)" in chart.summary
    assert "Not applicable" in str(chart.svg)
    parse(chart.svg)


def test_an_empty_chart_says_so():
    assert score_distribution_chart([]).summary == "No scores yet."
