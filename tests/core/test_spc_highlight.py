"""A run or control chart can pick out one period (the one a coach reviews): a shaded
column under it, a ring around its point whose tooltip names it, and a sentence in the
summary; without `highlight` nothing of it is drawn."""

import xml.etree.ElementTree as ET

from core.charts.spc import SpcChartData, spc_chart

SVG = "{http://www.w3.org/2000/svg}"


def data(**extra) -> SpcChartData:
    return SpcChartData(
        title="Weight in kg, Alpha Team",
        labels=["May 2026", "June 2026", "July 2026", "August 2026"],
        tick_labels=["May", "Jun", "Jul", "Aug"],
        y=[60.0, 70.0, None, 76.0],
        cl=[68.0] * 4,
        details=["6 of 10", "7 of 10", "", "19 of 25"],
        unit="%",
        percent=True,
        **extra,
    )


def marked(svg) -> dict[str, ET.Element]:
    root = ET.fromstring(str(svg))  # noqa: S314 - our own markup
    return {e.get("data-highlight"): e for e in root.iter() if e.get("data-highlight")}


def test_the_highlighted_period_is_shaded_ringed_and_named():
    chart = spc_chart(data(highlight=3))
    marks = marked(chart.svg)
    ring, band = marks["true"], marks["band"]
    assert ring.find(f"{SVG}title").text == "August 2026: 76% (19 of 25) – this period"
    # the ring is centred on the point, the band spans its column
    point = next(
        c
        for c in ET.fromstring(str(chart.svg)).iter(f"{SVG}circle")  # noqa: S314
        if (c.findtext(f"{SVG}title") or "").startswith("August 2026: 76% (19 of 25)")
        and c.get("data-highlight") is None
    )
    assert (ring.get("cx"), ring.get("cy")) == (point.get("cx"), point.get("cy"))
    left, width = float(band.get("x")), float(band.get("width"))
    assert left < float(point.get("cx")) < left + width
    assert "Highlighted: August 2026, 76%." in chart.summary


def test_a_highlighted_period_without_a_value_gets_its_column_only():
    marks = marked(spc_chart(data(highlight=2)).svg)
    assert set(marks) == {"band"}


def test_nothing_is_highlighted_by_default_or_out_of_range():
    assert marked(spc_chart(data()).svg) == {}
    assert marked(spc_chart(data(highlight=9)).svg) == {}
    assert "Highlighted" not in spc_chart(data()).summary
