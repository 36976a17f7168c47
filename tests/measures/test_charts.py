"""Chart output: signals marked on the points, words for screen readers, escaping, the
control chart's limits, baseline and phases, quarters, the funnel's anonymity, PDFs."""

import io
import re
from datetime import date
from types import SimpleNamespace

import pytest

from core.charts.spc import Annotation
from measures.analysis import Settings, analyse_series, rollup_quarters
from measures.models import DataKind, Direction, Measure
from measures.presenters import funnel_for, small_multiple_for, spc_chart_for
from measures.selectors import Series


def months(n: int, first=date(2025, 1, 1)) -> list[date]:
    out = []
    for i in range(n):
        index = first.year * 12 + first.month - 1 + i
        out.append(date(index // 12, index % 12 + 1, 1))
    return out


def proportion_series(numerators, denominators=None, **measure) -> Series:
    m = Measure(
        name=measure.pop("name", "Weight in kg"),
        short_name=measure.pop("short_name", "Weight in kg"),
        code="M1",
        data_kind=DataKind.PROPORTION,
        direction=measure.pop("direction", Direction.INCREASE),
        **measure,
    )
    n = len(numerators)
    starts = months(n)
    return Series(
        measure=m,
        labels=list(starts),
        starts=starts,
        numerators=[float(x) if x is not None else None for x in numerators],
        denominators=[float(d) for d in (denominators or [20] * n)],
        values=[None] * n,
        notes=[""] * n,
        reporting=[1] * n,
        period_ids=[None] * n,
    )


#: 12 baseline months around 50%, then 10 months around 85%: a shift.
SHIFTED = [9, 11, 10, 12, 9, 10, 11, 8, 10, 12, 9, 11, 17, 18, 16, 17, 18, 17, 19, 16, 17, 18]
FLAT = [10, 11, 9, 10, 12, 8, 10, 11, 9, 12, 10, 9, 11, 10, 8, 12, 10, 11, 9, 10, 12, 9]


def test_a_shift_is_marked_on_its_points_and_explained_in_words():
    analysis = analyse_series(proportion_series(SHIFTED))
    chart = spc_chart_for(analysis, title="Weight in kg, Alpha Team")
    svg = str(chart.svg)
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "<title" in svg and "<desc" in svg
    shift = next(s for s in analysis.signals if s["kind"] == "shift" and "above" in s["text"])
    marked = svg.count('data-signal="true"')
    assert marked >= len(shift["points"]) >= 10
    assert "10 points in a row above the median from January 2026: a shift" in shift["text"]
    assert "(in the better direction)" in shift["text"]
    assert "Signals: " in chart.summary and shift["text"] in chart.summary
    assert chart.headers[:4] == ["Period", "Value", "Numerator", "Denominator"]
    assert chart.rows[-1][0] == "October 2026" and chart.rows[-1][-2] == "Shift, improvement"


def test_without_a_signal_the_summary_says_so_and_no_point_is_marked():
    analysis = analyse_series(proportion_series(FLAT))
    chart = spc_chart_for(analysis, title="Weight in kg")
    assert analysis.signals == []
    assert 'data-signal="true"' not in str(chart.svg)
    assert "No signal: the variation is what chance alone would produce." in chart.summary


def test_a_shift_the_wrong_way_is_called_so():
    series = proportion_series(SHIFTED, direction=Direction.DECREASE)
    analysis = analyse_series(series)
    assert any("(in the worse direction)" in s["text"] for s in analysis.signals)


#: Alternating around the median, then five rising points: no Anhøj signal in 14 points,
#: but the IHI trend rule (5 points in a row going up) fires.
RISING = [8, 14, 9, 13, 10, 15, 9, 11, 13, 14, 16, 15, 17, 18]


def test_the_ihi_rules_can_be_chosen_and_call_what_anhoej_does_not():
    series = proportion_series(RISING)
    anhoej = analyse_series(series)
    assert anhoej.rules == "anhoej" and anhoej.rules_name == "Anhøj rules"
    assert anhoej.signals == []
    ihi = analyse_series(series, Settings(rules="ihi"))
    assert ihi.rules_name == "IHI rules"
    assert [s["kind"] for s in ihi.signals] == ["trend"]
    assert "trend" in ihi.signal_texts[0].lower()
    control = analyse_series(series, Settings(chart_type="control", rules="ihi"))
    assert control.result["summary"]["rules"] == "ihi"
    with pytest.raises(ValueError, match="unknown rules"):
        analyse_series(series, Settings(rules="nelson"))


def test_the_control_chart_draws_limits_and_a_goal_line():
    series = proportion_series(FLAT, target=95)
    analysis = analyse_series(series, Settings(chart_type="control"))
    assert analysis.chart == "p" and analysis.chart_name == "P control chart"
    chart = spc_chart_for(analysis, title="Weight in kg")
    svg = str(chart.svg)
    assert "Upper limit" in svg and "Lower limit" in svg and "Goal 95%" in svg
    assert "Limits " in chart.summary
    assert "Upper limit" in chart.headers


def test_user_text_is_escaped_in_the_svg():
    analysis = analyse_series(proportion_series(FLAT))
    chart = spc_chart_for(
        analysis,
        title='<script>alert("x")</script> Team',
        annotations=[
            Annotation(3, "Note: <b>bold</b> & more"),
            Annotation(5, "Test of change: kg scale", url='/t/"onload="x'),
        ],
    )
    svg = str(chart.svg)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "<b>" not in svg and "&lt;b&gt;bold&lt;/b&gt; &amp; more" in svg
    # The chart is an image: nothing focusable inside it; the links are in the list below.
    assert "href" not in svg and "onload" not in svg


def test_baseline_and_phases_split_the_analysis():
    series = proportion_series(SHIFTED)
    frozen = analyse_series(series, Settings(baseline_end=date(2025, 12, 1)))
    assert frozen.baseline_index == 11
    assert len(set(frozen.result["per_point"]["cl"])) == 1  # one centre line, from the baseline
    phased = analyse_series(
        series, Settings(phase_starts=[date(2026, 1, 1)], phase_labels=["Kilogram scale"])
    )
    assert phased.phase_indices == [(12, "Kilogram scale")]
    assert [p["part"] for p in phased.result["per_part"]] == [1, 2]
    svg = str(spc_chart_for(phased, title="Weight in kg").svg)
    assert "Kilogram scale" in svg


def test_monthly_data_roll_up_to_quarters_by_adding_counts():
    series = proportion_series([5, 6, 7, 8, None, 10], [10, 10, 10, 10, 10, 10])
    quarters = rollup_quarters(series)
    assert quarters.labels == ["Q1 2025", "Q2 2025"]
    assert quarters.numerators == [18, 18] and quarters.denominators == [30, 20]
    analysis = analyse_series(series, Settings(rollup="quarter"))
    assert analysis.rolled_up and len(analysis.series) == 2


def test_low_volume_warnings_come_from_the_engine():
    analysis = analyse_series(proportion_series([3, 4, 5, 4], [6, 7, 8, 6]))
    text = " ".join(analysis.warnings)
    assert "Too few points to judge" in text
    assert "under 10" in text


def test_no_data_yet():
    analysis = analyse_series(proportion_series([None, None], [20, 20]))
    assert analysis.result is None
    chart = small_multiple_for(analysis, title="Weight in kg")
    assert "no data yet" in chart.summary


def test_the_funnel_names_only_the_teams_it_may():
    teams = [SimpleNamespace(pk=k, name=f"Hospital {k} BRAVO-PRIVATE") for k in range(1, 7)]
    rows = [
        (t, n, d)
        for t, n, d in zip(teams, [5, 9, 12, 30, 3, 40], [10, 12, 20, 40, 15, 41], strict=True)
    ]
    measure = Measure(name="Weight", short_name="Weight in kg", data_kind=DataKind.PROPORTION)
    chart = funnel_for(
        measure=measure,
        period_label_text="October 2026",
        rows=rows,
        named_ids={2},
        highlight_ids={1},
    )
    svg = str(chart.svg)
    assert "Hospital 1 BRAVO-PRIVATE (your team)" in svg
    assert "Hospital 2 BRAVO-PRIVATE" in svg
    for hidden in (3, 4, 5, 6):
        assert f"Hospital {hidden} " not in svg and f"Hospital {hidden} " not in chart.summary
        assert all(f"Hospital {hidden} " not in cell for row in chart.rows for cell in row)
    assert "Team 3" in " ".join(r[1] for r in chart.rows)
    assert re.search(r"Pooled mean \d", chart.summary)
    assert chart.headers == ["No.", "Team", "Denominator", "Value", "Against the 95% limits"]
    for svg in (str(chart.svg), str(chart.narrow_svg)):
        for hidden in (3, 4, 5, 6):
            assert f"Hospital {hidden} " not in svg


def test_the_same_svg_renders_in_a_pdf():
    from pypdf import PdfReader
    from weasyprint import HTML

    analysis = analyse_series(proportion_series(SHIFTED, target=95))
    chart = spc_chart_for(analysis, title="Weight in kg")
    pdf = HTML(
        string=f"<html><body><h1>Report</h1>{chart.svg}<p>{chart.summary}</p></body></html>"
    ).write_pdf()
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 1
    assert "Median" in reader.pages[0].extract_text()
