"""The collaborative's pooled chart, its funnel plot and their signals use only periods
that have ended and that enough of the teams reported (measures.selectors.pooled), on
the pages and in the API, and every point says how many teams it covers."""

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from collaboratives.models import Collaborative
from measures.models import DataPoint
from measures.selectors import pooled_left_out, pooled_periods, pooled_series_many
from teams.models import TeamStatus
from tests.clock import instant, label, month
from tests.factories import TeamFactory

from .conftest import client_for

pytestmark = pytest.mark.django_db


def value(world, team, start, numerator, denominator=10):
    DataPoint.objects.create(
        program=world.t.program,
        collaborative=world.t.collaborative,
        team=team,
        measure=world.m1,
        period=world.periods[start],
        numerator=Decimal(numerator),
        denominator=Decimal(denominator),
    )


@pytest.fixture
def three(world):
    """Three participating teams: all three report three months ago, two the month
    after, one last month, and one (early) this month, which has not ended."""
    t = world.t
    third = TeamFactory(collaborative=t.collaborative, program=t.program, name="Gamma Team")
    teams = [t.team, t.other_team, third]
    for team in teams:
        value(world, team, month(-3), 5)
    for team in teams[:2]:
        value(world, team, month(-2), 6)
    value(world, t.team, month(-1), 7)
    value(world, t.team, month(0), 10)  # one team's partial month
    return teams


def pooled(world):
    return pooled_series_many(collaborative=world.t.collaborative, measures=[world.m1])[world.m1.pk]


def test_only_ended_periods_that_reached_the_minimum_share_are_pooled(world, three):
    series = pooled(world)
    points = {s: (series.reporting[i], series.expected[i]) for i, s in enumerate(series.starts)}
    values = {s: series.display_value(i) for i, s in enumerate(series.starts)}
    assert points[month(-3)] == (3, 3) and values[month(-3)] is not None
    assert points[month(-2)] == (2, 3) and values[month(-2)] is not None  # 67% >= 50%
    assert values[month(-1)] is None  # 1 of 3 teams
    assert values[month(0)] is None  # not ended
    assert [p.start for p in pooled_periods(series)][-1] == month(-2)
    assert [c.left_out_words for c in pooled_left_out(series)] == [
        f"{label(month(-1))}: 1 of 3 teams, below the 50% minimum",
        f"{label(month(0))}: not ended",
    ]
    # The April sample month of the tenant: 2 of 3 teams reported it.
    assert points[world.april.start] == (2, 3)

    Collaborative.objects.filter(pk=world.t.collaborative.pk).update(pooled_min_share=30)
    world.t.collaborative.refresh_from_db()
    assert pooled_periods(pooled(world))[-1].start == month(-1)  # 1 of 3 is 33%


def test_a_month_counts_the_teams_that_had_joined_by_its_end(world, three):
    """A team approved last month is counted from last month; its earlier values stay on
    its own chart. A withdrawn team is not a participating team."""
    late = TeamFactory(
        collaborative=world.t.collaborative,
        program=world.t.program,
        decided_at=instant(month(-1) + timedelta(days=3)),
    )
    value(world, late, month(-3), 9)  # its baseline, entered after it joined
    value(world, late, month(-1), 8)
    gone = TeamFactory(
        collaborative=world.t.collaborative, program=world.t.program, status=TeamStatus.WITHDRAWN
    )
    value(world, gone, month(-3), 1)
    series = pooled(world)
    at = {s: i for i, s in enumerate(series.starts)}
    i = at[month(-3)]
    assert (series.reporting[i], series.expected[i]) == (3, 3)
    assert (series.numerators[i], series.denominators[i]) == (15, 30)
    j = at[month(-1)]
    assert (series.reporting[j], series.expected[j]) == (2, 4)  # 50%: pooled
    assert series.display_value(j) == pytest.approx(75)


def test_the_day_a_team_joined_is_the_collaboratives_day(world, three):
    """Approved at 9 p.m. in New York on the last day of a month (2 a.m. UTC the next day):
    it joined during that month, which counts it (in the count and in the values)."""
    evening = datetime.combine(month(-1), time(2, 0), tzinfo=UTC)
    assert world.t.collaborative.timezone == "America/New_York"
    team = TeamFactory(
        collaborative=world.t.collaborative, program=world.t.program, decided_at=evening
    )
    value(world, team, month(-2), 10)
    series = pooled(world)
    i = series.starts.index(month(-2))
    assert (series.reporting[i], series.expected[i]) == (3, 4)
    assert (series.numerators[i], series.denominators[i]) == (22, 30)


def test_the_measure_page_pools_ended_months_and_says_how_many_teams(world, three):
    url = reverse(
        "measures:measure",
        kwargs={
            "collaborative_id": world.t.collaborative.public_id,
            "measure_id": world.m1.public_id,
        },
    )
    response = client_for(world.t.coach).get(url)
    html = response.content.decode()
    # The funnel defaults to the latest month the pooled chart uses, not this month.
    assert f"Teams compared in {label(month(-2))}" in html
    assert response.context["funnel_period"].start == month(-2)
    assert "2 of 3 teams reported" in html
    # Only pooled months can be chosen for the funnel.
    choices = [c[1] for c in response.context["funnel_form"].fields["period"].choices]
    assert label(month(0)) not in choices and label(month(-1)) not in choices
    # Each point says how many teams it covers; the rule and what was left out are stated.
    assert "3 of 3 teams" in html and '<th scope="col">Teams</th>' in html
    assert "How this is counted" in html and "at least <strong>50%</strong>" in html
    assert f"{label(month(-1))}: 1 of 3 teams, below the 50% minimum" in html
    assert f"{label(month(0))}: not ended" in html
    analysis = response.context["analysis"]
    assert analysis.series.starts[-1] == month(-2)

    # A month that does not qualify cannot be forced through the URL.
    forced = client_for(world.t.coach).get(url, {"period": str(world.periods[month(0)].public_id)})
    assert forced.context["funnel_period"].start == month(-2)


def test_the_pooled_api_uses_the_same_rule(world, three):
    client = APIClient()
    client.force_authenticate(world.t.member)
    url = (
        f"/api/v1/collaboratives/{world.t.collaborative.public_id}/measures/"
        f"{world.m1.public_id}/pooled/"
    )
    body = client.get(url).json()
    last = body["points"][-1]
    assert last["label"] == label(month(-2))
    assert (last["teams_reporting"], last["teams_counted"]) == (2, 3)
    assert body["left_out"] == [
        {
            "period": str(world.periods[month(-1)].public_id),
            "label": label(month(-1)),
            "reason": "1 of 3 teams, below the 50% minimum",
        },
        {
            "period": str(world.periods[month(0)].public_id),
            "label": label(month(0)),
            "reason": "not ended",
        },
    ]
    team = client.get(
        f"/api/v1/teams/{world.t.team.public_id}/measures/{world.m1.public_id}/series/"
    ).json()
    assert team["left_out"] == [] and team["points"][-1]["teams_counted"] is None
    assert team["points"][-1]["label"] == label(month(0))  # a team sees its own month


def test_staff_set_the_minimum_share_between_1_and_100(world):
    collaborative = world.t.collaborative
    url = reverse("collaboratives:edit", kwargs={"collaborative_id": collaborative.public_id})
    client = client_for(world.t.staff)
    form = client.get(url).context["form"]
    data = {
        k: v
        for k, v in form.initial.items()
        if v is not None and k not in ("focus_area", "copied_from")
    }
    data["start_date"] = collaborative.start_date.isoformat()
    data["end_date"] = collaborative.end_date.isoformat()
    for bad in ("0", "101"):
        refused = client.post(url, {**data, "pooled_min_share": bad})
        assert refused.status_code == 200
        assert "Give a share between 1% and 100%." in refused.content.decode()
    saved = client.post(url, {**data, "pooled_min_share": "75"})
    assert saved.status_code == 302
    collaborative.refresh_from_db()
    assert collaborative.pooled_min_share == 75
