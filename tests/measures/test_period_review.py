"""The coach's review of a submitted period: every measure with its numbers and value, the
months before it, the chart with this period highlighted, in the coach's own words; and
the team, on the same page, still in its own words."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from measures.models import (
    DataKind,
    DataPoint,
    Measure,
    MeasureType,
    Submission,
    SubmissionStatus,
    TeamMeasure,
)
from tests.clock import label, month

from .conftest import client_for

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"

#: Weight in kg (M1, a proportion) of the seven months up to last month: the last is
#: the reviewed one, 19 of 25 (76%).
M1_VALUES = [(6, 10), (7, 10), (15, 20), (12, 16), (18, 24), (17, 20), (19, 25)]
#: The team's own huddles (a count), same months.
HUDDLE_VALUES = [3, 4, 2, 5, 6, 4, 7]


def point(world, measure, offset, **numbers) -> DataPoint:
    return DataPoint.objects.create(
        program=world.t.program,
        collaborative=world.t.collaborative,
        team=world.t.team,
        measure=measure,
        period=world.periods[month(offset)],
        entered_by=world.t.lead,
        **{k: Decimal(v) for k, v in numbers.items()},
    )


@pytest.fixture
def reviewed(world):
    """Last month submitted by the lead, with six months of history before it (the
    April sample's values are replaced by the ones above)."""
    DataPoint.objects.filter(team=world.t.team, period=world.april).delete()
    offsets = range(-7, 0)
    for offset, (num, den), count in zip(offsets, M1_VALUES, HUDDLE_VALUES, strict=True):
        if month(offset) not in world.periods:
            continue
        point(world, world.m1, offset, numerator=num, denominator=den)
        point(world, world.own, offset, value=count)
    period = world.periods[month(-1)]
    Submission.objects.update_or_create(
        team=world.t.team,
        period=period,
        defaults={
            "program": world.t.program,
            "collaborative": world.t.collaborative,
            "status": SubmissionStatus.SUBMITTED,
            "submitted_at": timezone.now(),
            "submitted_by": world.t.lead,
            "tested": "Kilogram-only scale",
        },
    )
    return period


def period_url(world, period) -> str:
    return reverse(
        "measures:period",
        kwargs={"team_id": world.t.team.public_id, "period_id": period.public_id},
    )


def text_of(html: str) -> str:
    """The page's words without tags (and without the charts' SVG), whitespace collapsed."""
    html = re.sub(r"<svg.*?</svg>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def table_rows(html: str, caption: str) -> dict[str, list[str]]:
    """The rows of the table whose caption starts with `caption`: first cell -> cells."""
    match = re.search(
        r"<table[^>]*>\s*<caption[^>]*>" + re.escape(caption) + r".*?</table>", html, re.S
    )
    assert match, f"no table {caption!r}"
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", match.group(0), re.S):
        cells = [text_of(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        rows[cells[0]] = cells[1:]
    return rows


def test_the_coach_sees_numerator_denominator_and_the_percentage(world, reviewed):
    html = client_for(world.t.coach).get(period_url(world, reviewed)).content.decode()
    words = text_of(html)
    this = label(reviewed.start)
    assert f"76% (19 / 25) in {this}; goal at least 95%." in words
    assert f"7 in {this}." in words  # the huddles, a count: as entered
    assert table_rows(html, "Weight in kg:")[f"{this} (this period)"] == ["76%", "19", "25", ""]


def test_the_team_sees_the_percentage_too(world, reviewed):
    """The same root fault on the team's read-only view: a proportion's value is not
    stored, it is computed from the numbers entered."""
    html = client_for(world.t.member).get(period_url(world, reviewed)).content.decode()
    values = table_rows(html, f"Values of {label(reviewed.start)}")
    assert values[str(world.m1)] == ["19", "25", "76%", ""]
    assert values[str(world.own)] == ["–", "–", "7", ""]


def test_the_coach_sees_the_months_before(world, reviewed):
    html = client_for(world.t.coach).get(period_url(world, reviewed)).content.decode()
    weight = table_rows(html, f"Weight in kg: {label(reviewed.start)} and the months before")
    huddles = table_rows(html, "Huddles:")
    before = [label(month(o)) for o in range(-7, -1)]
    assert list(weight) == ["Period", *before, f"{label(reviewed.start)} (this period)"]
    assert weight[label(month(-2))] == ["85%", "17", "20", ""]
    assert weight[label(month(-7))] == ["60%", "6", "10", ""]
    assert huddles[label(month(-2))] == ["4", ""]


def test_the_chart_highlights_this_period(world, reviewed):
    html = client_for(world.t.coach).get(period_url(world, reviewed)).content.decode()
    svgs = re.findall(r"<svg.*?</svg>", html, flags=re.S)
    assert svgs, "no chart on the review page"
    roots = [ET.fromstring(svg) for svg in svgs]  # noqa: S314 - our own markup
    marked = [
        element
        for root in roots
        for element in root.iter()
        if element.get("data-highlight") == "true"
    ]
    assert marked, "no highlighted period in the charts"
    titles = " ".join((t.text or "") for root in roots for t in root.iter(f"{SVG}title"))
    assert f"{label(reviewed.start)}: 76%" in titles
    assert "this period" in titles.lower()
    assert "This period is highlighted" in text_of(html)


def test_the_coach_reads_the_coach_wording(world, reviewed):
    words = text_of(client_for(world.t.coach).get(period_url(world, reviewed)).content.decode())
    assert "Our measures" not in words
    assert "Next period to enter" not in words
    assert "What we tested" not in words
    assert f"{world.t.team.name}'s measures for {label(reviewed.start)}" in words
    assert f"Submitted by {world.t.lead.display_name} on" in words
    assert "Mark reviewed" in words and "Return to the team with a comment" in words


def test_the_team_keeps_its_own_wording(world, reviewed):
    words = text_of(client_for(world.t.lead).get(period_url(world, reviewed)).content.decode())
    assert "Our measures" in words
    assert "Next period to enter" in words
    assert f"{world.t.team.name}'s measures for" not in words
    assert "Mark reviewed" not in words


def test_the_review_buttons_mark_reviewed_and_return(world, reviewed):
    coach = client_for(world.t.coach)
    url = reverse(
        "measures:period_review",
        kwargs={"team_id": world.t.team.public_id, "period_id": reviewed.public_id},
    )
    page = coach.get(period_url(world, reviewed)).content.decode()
    assert 'name="decision" value="reviewed"' in page
    assert 'name="decision" value="returned"' in page
    coach.post(url, {"decision": "reviewed", "comment": ""})
    assert Submission.objects.get(team=world.t.team, period=reviewed).status == "reviewed"


def test_staff_reviewing_see_the_review_and_may_still_correct(world, reviewed):
    staff = client_for(world.t.staff)
    words = text_of(staff.get(period_url(world, reviewed)).content.decode())
    assert "76%" in words and "Our measures" not in words
    assert f"Correct the values of {label(reviewed.start)}" in words
    form = staff.get(period_url(world, reviewed) + "?correct=1").content.decode()
    assert "Save and submit" in form or "Save draft" in form


def test_the_reviews_list_names_the_team_in_the_coach_wording(world, reviewed):
    words = text_of(client_for(world.t.coach).get(reverse("measures:reviews")).content.decode())
    assert f"Review {label(reviewed.start)} of {world.t.team.name}" in words


def test_the_coach_page_reads_in_the_same_number_of_queries_for_more_measures(
    world, reviewed, django_assert_max_num_queries
):
    coach = client_for(world.t.coach)
    url = period_url(world, reviewed)
    coach.get(url)  # warm caches (sessions, program roles)
    with django_assert_max_num_queries(20) as few:
        coach.get(url)
    for k in range(6):
        measure = Measure.objects.create(
            program=world.t.program,
            collaborative=world.t.collaborative,
            team=world.t.team,
            name=f"Extra measure {k}",
            short_name=f"Extra {k}",
            measure_type=MeasureType.PROCESS,
            data_kind=DataKind.RATE if k % 2 else DataKind.CONTINUOUS,
            multiplier=1000,
        )
        TeamMeasure.objects.create(
            program=world.t.program,
            collaborative=world.t.collaborative,
            team=world.t.team,
            measure=measure,
            is_selected=True,
        )
        for offset in range(-7, 0):
            if month(offset) in world.periods:
                if k % 2:
                    point(world, measure, offset, numerator=3 + k, denominator=2000)
                else:
                    point(world, measure, offset, value=40 + offset)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = coach.get(url).content.decode()
    assert "Extra 5" in html and "per 1,000" in html


def test_the_team_home_speaks_to_the_coach_about_the_team(world, reviewed):
    url = reverse("measures:team_measures", kwargs={"team_id": world.t.team.public_id})
    coach = text_of(client_for(world.t.coach).get(url).content.decode())
    assert f"{world.t.team.name}'s measures" in coach
    assert "Our measures" not in coach and "Start with the oldest" not in coach
    lead = text_of(client_for(world.t.lead).get(url).content.decode())
    assert "Our measures" in lead and "Start with the oldest" in lead
