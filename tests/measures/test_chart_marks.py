"""Charts people can read (issue 12), as the measures pages draw them: each signal point
says which signal it is part of, the PDSA flags are explained under the chart, and
small multiples show their scale and can share one."""

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from measures.analysis import Settings, analyse_series
from measures.models import DataPoint
from measures.presenters import spc_chart_for
from tests.clock import label, month

from .conftest import client_for
from .test_charts import proportion_series

SVG = "{http://www.w3.org/2000/svg}"
BLUE, ORANGE, PURPLE, GREY = "#005ea2", "#c05600", "#783cb9", "#71767a"


def parse(svg) -> ET.Element:
    return ET.fromstring(str(svg))  # noqa: S314 - our own markup


def marks_of(root: ET.Element) -> dict[int, ET.Element]:
    """Signal marks by the position of their point (from the tooltip's month)."""
    out = {}
    for mark in root.iter(f"{SVG}path"):
        if mark.get("data-signal") == "true":
            out[mark.find(f"{SVG}title").text.split(":")[0]] = mark
    return out


#: 2025: around 50% with one month far below (June); from October 2025 higher, with one
#: month far above (June 2026). Baseline: 2025.
NUMERATORS = [10, 11, 9, 10, 12, 1, 10, 11, 9, 10, 11, 10, 14, 15, 14, 16, 15, 20, 14, 15, 16, 15]


def shift_and_outliers():
    series = proportion_series(NUMERATORS)
    return analyse_series(series, Settings(chart_type="control", baseline_end=date(2025, 12, 1)))


def test_each_signal_point_says_which_signal_and_whether_it_is_good_news():
    analysis = shift_and_outliers()
    assert {s["kind"] for s in analysis.signals} == {"crossings", "outside_limits", "shift"}
    chart = spc_chart_for(analysis, title="Weight in kg")
    root = parse(chart.svg)
    marks = marks_of(root)
    # Outside the limits: a square, orange below (the measure should rise), blue above.
    low, high = marks["June 2025"], marks["June 2026"]
    assert low.get("data-signal-kind") == high.get("data-signal-kind") == "outside_limits"
    assert (low.get("fill"), high.get("fill")) == (ORANGE, BLUE)
    assert low.find(f"{SVG}title").text.startswith(
        "June 2025: 5% (1 of 20) – Outside the limits, concern: A point below the lower limit"
    )
    # The shift: diamonds in blue; the point outside the limits inside it says both.
    shift = [m for m in marks.values() if m.get("data-signal-kind") == "shift"]
    assert len(shift) == 12 and {m.get("fill") for m in shift} == {BLUE}
    assert "Shift, improvement: 13 points in a row above the centre line" in (
        high.find(f"{SVG}title").text
    )
    # Too few crossings is a signal of the whole phase: no point is marked for it (before
    # October 2025 only June stands out), the centre line is dashed and says why.
    assert len(marks) == 1 + 13
    (centre,) = [p for p in root.iter(f"{SVG}path") if p.get("data-phase-signal")]
    assert "cross the centre line only 6 times" in centre.find(f"{SVG}title").text
    plain = [c for c in root.iter(f"{SVG}circle") if c.find(f"{SVG}title") is not None]
    assert len(plain) == 22 - 14 and {c.get("fill") for c in plain} == {GREY}
    # The legend names each mark drawn.
    words = [t.text for t in root.iter(f"{SVG}text")]
    for name in (
        "Outside the limits, improvement",
        "Outside the limits, concern",
        "Shift, improvement",
        "Mean dashed: too few crossings",
    ):
        assert name in words
    # The list under the chart: each signal with its periods.
    assert [(s.name, s.periods) for s in chart.signals] == [
        ("Too few crossings (the whole phase)", "January 2025 to October 2026"),
        ("Outside the limits, concern", "June 2025"),
        ("Shift, improvement", "October 2025 to October 2026"),
        ("Outside the limits, improvement", "June 2026"),
    ]
    assert chart.rows[5][-2] == "Outside the limits, concern"
    assert chart.rows[17][-2] == "Outside the limits, improvement; Shift, improvement"
    assert chart.rows[0][-2] == "Too few crossings (the whole phase)"


def test_without_a_better_direction_signals_are_purple_and_say_so():
    series = proportion_series(NUMERATORS, direction="neutral")
    analysis = analyse_series(
        series, Settings(chart_type="control", baseline_end=date(2025, 12, 1))
    )
    marks = marks_of(parse(spc_chart_for(analysis, title="Weight in kg").svg))
    assert {m.get("fill") for m in marks.values()} == {PURPLE}
    assert "Shift, no better direction" in marks["March 2026"].find(f"{SVG}title").text


#: Six below the median, six above, four below, four above: the data cross the median
#: only 3 times in 20 points (at least 6 expected) but no run is longer than Anhøj's 7.
FEW_CROSSINGS = [8] * 6 + [14] * 6 + [8] * 4 + [14] * 4


def test_too_few_crossings_alone_marks_no_point():
    analysis = analyse_series(proportion_series(FEW_CROSSINGS))
    assert [s["kind"] for s in analysis.signals] == ["crossings"]
    root = parse(spc_chart_for(analysis, title="Weight in kg").svg)
    assert marks_of(root) == {}  # not "every point is part of a signal"
    assert [p for p in root.iter(f"{SVG}path") if p.get("data-phase-signal")]


# --- the pages --------------------------------------------------------------------------------


def _values(world, team, offsets_and_values):
    for offset, num in offsets_and_values:
        DataPoint.objects.update_or_create(
            program=world.t.program,
            collaborative=world.t.collaborative,
            team=team,
            measure=world.m1,
            period=world.periods[month(offset)],
            defaults={"numerator": Decimal(num), "denominator": Decimal(10)},
        )


@pytest.mark.django_db
def test_the_list_under_the_chart_names_each_cycle_with_its_month_dates_and_link(world):
    from pdsa.models import Cycle

    team = world.t.team
    _values(world, team, [(k, 5 + (k % 3)) for k in range(-8, 1)])
    sample = Cycle.objects.get(team=team)
    made = []
    for offset, title in [(-5, "Kg stickers"), (-5, "Kg-only scale <b>"), (-4, "Huddle card")]:
        day = month(offset) + timedelta(days=9)
        made.append(
            Cycle.objects.create(
                program=world.t.program,
                team=team,
                change_idea=sample.change_idea,
                title=title,
                plan_date=day - timedelta(days=2),
                do_date=day,
            )
        )
    url = reverse(
        "measures:team_measure",
        kwargs={"team_id": team.public_id, "measure_id": world.m1.public_id},
    )
    html = client_for(world.t.member).get(url).content.decode()
    items = re.findall(r"<li>(.*?)</li>", html.split('class="usa-list measure-annotations"')[1])
    cycles = [*made, sample]
    assert len(items) >= len(cycles)
    for cycle in made:
        day = cycle.do_date
        item = next(i for i in items if f"/pdsa/cycles/{cycle.public_id}/" in i)
        assert label(date(day.year, day.month, 1)) in item  # the month of its flag
        assert f"tested {day:%-d %B %Y}" in item and "planned" in item  # its dates
    assert "Kg-only scale &lt;b&gt;" in html and "<b>" not in html.split("measure-annotations")[1]
    # One flag per month, numbered like the list; the legend says what flags are.
    assert "Numbered like the flags above the chart." in html
    first, second = (
        1 + next(k for k, i in enumerate(items) if str(c.public_id) in i) for c in made[:2]
    )
    flag = re.search(r"Kg-only scale &lt;b&gt;</title></rect><text[^>]*>([\d-]+)</text>", html)
    assert flag.group(1) == f"{first}-{second}"  # the month's flag: both numbers of the list
    assert "Test of change or note (listed below)" in html


def thumbnail_ends(html: str) -> list[list[str]]:
    """The value-axis ends of every thumbnail on the page."""
    ends = []
    for svg in re.findall(r'<svg[^>]*viewBox="0 0 256 160".*?</svg>', html, re.S):
        words = [t.text for t in parse(svg).iter(f"{SVG}text")]
        ends.append(words[2:4])
    return ends


@pytest.mark.django_db
def test_small_multiples_show_their_range_and_can_share_one_scale(world):
    team, other = world.t.team, world.t.other_team
    _values(world, team, [(-7, 8), (-6, 9), (-5, 9)])  # around 85%
    _values(world, other, [(-7, 1), (-6, 2), (-5, 2)])  # around 17%
    url = reverse(
        "measures:measure",
        kwargs={
            "collaborative_id": world.t.collaborative.public_id,
            "measure_id": world.m1.public_id,
        },
    )
    staff = client_for(world.t.staff)
    own = staff.get(url).content.decode()
    ends = thumbnail_ends(own)
    assert len(ends) == 2 and ends[0] != ends[1]  # each its own range, printed at its ends
    assert f"Latest 90% ({label(month(-5))})" in own
    assert "Put charts of the same unit on one scale" in own
    shared = staff.get(url + "?scale=shared").content.decode()
    ends = thumbnail_ends(shared)
    assert len(ends) == 2 and ends[0] == ends[1]
    assert "Give each chart its own scale" in shared
    # The switch keeps the page's other choices.
    ruled = staff.get(url + "?rules=ihi").content.decode()
    assert "?rules=ihi&amp;scale=shared#team-charts" in ruled


@pytest.mark.django_db
def test_the_team_measures_page_offers_the_same_scale(world):
    url = reverse("measures:team_measures", kwargs={"team_id": world.t.team.public_id})
    html = client_for(world.t.lead).get(url + "?scale=shared").content.decode()
    assert "Charts of the same unit share one scale" in html
    assert thumbnail_ends(html)
