"""The staff progress dashboard: figures right on realistic data, a fixed number of
queries whatever the number of teams, access per persona, the API and its cache."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from assessments.models import SurveyResponse
from dashboards.progress import progress_figures
from dashboards.progress_cache import progress_version
from measures.models import DataPoint, Submission
from pdsa.models import Cycle
from teams.models import ProgressRating, RatingKind, Team, TeamStatus
from tests.clock import month
from tests.conftest import PRIVATE_MARKER
from tests.dashboards.progress_helpers import add_teams
from tests.factories import client_for

pytestmark = pytest.mark.django_db


def _page(tenant) -> str:
    return reverse(
        "dashboards:progress", kwargs={"collaborative_id": tenant.collaborative.public_id}
    )


def _api(tenant) -> str:
    return f"/api/v1/collaboratives/{tenant.collaborative.public_id}/progress/"


def _by_month(rows, offset):
    iso = month(offset).isoformat()
    return next(r for r in rows if r["month"] == iso)


def test_figures_on_realistic_data(tenant_a):
    SurveyResponse.objects.filter(team=tenant_a.team).delete()
    add_teams(tenant_a, 6)
    figures = progress_figures(collaborative=tenant_a.collaborative)
    # The builder's two teams and the six added.
    assert figures["active_teams"] == 8

    # Every added team handed in month -5; only the even ones month -2; none month -1.
    assert _by_month(figures["submissions"], -5)["handed_in"] == 6
    assert _by_month(figures["submissions"], -5)["share"] == 75.0
    assert _by_month(figures["submissions"], -2)["handed_in"] == 3
    last_month = _by_month(figures["submissions"], -1)
    assert (last_month["has_period"], last_month["handed_in"], last_month["share"]) == (
        True,
        0,
        0.0,
    )
    # Due on the 15th of this month: "today" is the 20th.
    assert last_month["is_due"] is True
    assert _by_month(figures["submissions"], 0)["has_period"] is False

    # Last month: the re-rated coach scores count once, at the newest row; self-ratings
    # (all 5.0) are not the score of record.
    last = _by_month(figures["ratings"], -1)
    assert last["rated"] == 6
    assert {k: v for k, v in last["counts"].items() if v} == {"2.0": 2, "2.5": 2, "3.0": 2}
    assert _by_month(figures["ratings"], -7)["counts"]["2.0"] == 1  # the builder's team

    # Gap analysis: section A 50 -> 70, B unchanged.
    sections = {s["key"]: s for s in figures["sections"]}
    assert sections["A"]["baseline"] == 50.0
    assert sections["A"]["latest"] == 70.0
    assert sections["A"]["change"] == 20.0
    assert sections["A"]["teams_with_both"] == 6
    assert sections["B"]["change"] == 0.0

    # Signals per measure of the set: every added team's run chart shows the rise as a
    # shift in the better direction at its latest point; none shows a concern.
    signal = figures["signals"][0]
    assert signal["measure"]["short_name"] == "Weight in kg"
    assert signal["teams_with_data"] == 8  # the six and the builder's two teams
    assert signal["teams_improvement"] == 6
    assert signal["teams_concern"] == 0

    # Cycles: six started last month, six (plus the builder's one) completed this month.
    assert _by_month(figures["cycles"], -1)["started"] == 6
    assert _by_month(figures["cycles"], 0)["completed"] >= 6


def _count_queries(tenant) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        progress_figures(collaborative=tenant.collaborative)
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_the_number_of_teams(tenant_a):
    add_teams(tenant_a, 8)
    small = _count_queries(tenant_a)
    add_teams(tenant_a, 55)
    large = _count_queries(tenant_a)
    assert small == large
    # teams, one statement for months handed in, ratings, sections, PDSA activity and
    # the signal summaries' keys, measure set, periods, values and chart settings (cold)
    assert large == 6


def test_staff_see_the_page_with_every_chart(tenant_a):
    add_teams(tenant_a, 4)
    response = client_for(tenant_a.staff).get(_page(tenant_a))
    assert response.status_code == 200
    html = response.content.decode()
    for heading in ("Monthly reporting", "Progress scores", "Gap analysis", "Signals", "PDSA"):
        assert heading in html
    assert html.count("<svg") >= 10  # wide and narrow drawing of each chart
    assert "Show data" in html
    assert "Prepare report" in html


def test_the_collaborative_page_links_staff_to_the_progress(tenant_a):
    url = reverse(
        "collaboratives:detail", kwargs={"collaborative_id": tenant_a.collaborative.public_id}
    )
    assert _page(tenant_a) in client_for(tenant_a.staff).get(url).content.decode()
    assert _page(tenant_a) not in client_for(tenant_a.coach).get(url).content.decode()


@pytest.mark.parametrize("name", ["admin", "staff"])
def test_program_staff_may_read(persona, tenant_a, name):
    assert client_for(persona(name)).get(_page(tenant_a)).status_code == 200


@pytest.mark.parametrize(
    "name", ["coach", "unassigned_coach", "lead", "member", "outsider", "other_tenant_staff"]
)
def test_everyone_else_gets_404(persona, tenant_a, name):
    client = client_for(persona(name))
    assert client.get(_page(tenant_a)).status_code == 404
    report_url = reverse(
        "dashboards:progress_report_create",
        kwargs={"collaborative_id": tenant_a.collaborative.public_id},
    )
    assert client.post(report_url).status_code == 404
    assert client.get(_api(tenant_a)).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, tenant_a):
    response = client.get(_page(tenant_a))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_api_with_a_token_and_cached_until_data_change(tenant_a):
    add_teams(tenant_a, 3)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=tenant_a.staff).key}")
    first = api.get(_api(tenant_a))
    assert first.status_code == 200
    body = first.json()
    assert body["active_teams"] == 5
    assert body["collaborative"]["id"] == str(tenant_a.collaborative.public_id)
    last = _by_month(body["ratings"], -1)
    assert last["rated"] == 3

    with CaptureQueriesContext(connection) as ctx:
        assert api.get(_api(tenant_a)).json() == body
    cached_queries = len(ctx.captured_queries)
    assert cached_queries <= 6

    # A new rating makes the figures stale at once.
    ProgressRating.objects.create(
        program=tenant_a.program,
        team=tenant_a.team,
        month=month(-1),
        kind=RatingKind.COACH,
        score="4.0",
        rationale="Big step",
    )
    fresh = api.get(_api(tenant_a)).json()
    assert _by_month(fresh["ratings"], -1)["rated"] == 4
    assert _by_month(fresh["ratings"], -1)["counts"]["4.0"] == 1


def test_api_refuses_other_tenants_and_non_staff(tenant_a, tenant_b):
    api = APIClient()
    api.force_authenticate(tenant_b.staff)
    assert api.get(_api(tenant_a)).status_code == 404
    api.force_authenticate(tenant_a.coach)
    assert api.get(_api(tenant_a)).status_code == 404
    assert APIClient().get(_api(tenant_a)).status_code in (401, 403)


def _page_queries(client, tenant) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(_page(tenant)).status_code == 200
    return len(ctx.captured_queries)


def test_the_page_and_the_api_do_not_grow_with_the_number_of_teams(tenant_a):
    client = client_for(tenant_a.staff)
    api = APIClient()
    api.force_authenticate(tenant_a.staff)
    add_teams(tenant_a, 8)
    page_small = _page_queries(client, tenant_a)
    api.get(_api(tenant_a))  # once-per-session work (first request) out of the count
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        api.get(_api(tenant_a))
    api_small = len(ctx.captured_queries)
    add_teams(tenant_a, 55)
    assert _page_queries(client, tenant_a) == page_small
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        api.get(_api(tenant_a))
    # the figures' 6 (the teams read with the collaborative), plus the caller's
    # program roles
    assert len(ctx.captured_queries) == api_small == 7


@pytest.mark.parametrize("what", ["data point", "cycle", "survey response", "submission"])
def test_writes_to_the_collaboratives_data_make_the_figures_stale(tenant_a, what):
    before = progress_version(tenant_a.collaborative.pk)
    if what == "data point":
        point = DataPoint.objects.filter(team=tenant_a.team).first()
        point.note = "changed"
        point.save()
    elif what == "cycle":
        Cycle.objects.filter(team=tenant_a.team).first().delete()
    elif what == "survey response":
        SurveyResponse.objects.filter(team=tenant_a.team).first().save()
    else:
        Submission.objects.filter(team=tenant_a.team).first().save()
    assert progress_version(tenant_a.collaborative.pk) > before
    assert progress_version(tenant_a.recruiting.pk) == 0


def test_the_page_lists_the_teams_needing_attention_first_with_reasons(tenant_a, tenant_b):
    from dashboards.views_progress import ATTENTION_FIRST

    add_teams(tenant_a, ATTENTION_FIRST + 3)
    html = client_for(tenant_a.staff).get(_page(tenant_a)).content.decode()
    section = html.split('id="attention-heading"')[1].split("</section>")[0]
    items = section.split("<li>")[1:]
    assert len(items) == ATTENTION_FIRST  # the most worrying only; the dashboard has all
    assert all(": " in item for item in items)  # each with its reasons in words
    assert "most worrying are listed here" in section
    dashboard = reverse(
        "dashboards:collaborative", kwargs={"collaborative_id": tenant_a.collaborative.public_id}
    )
    assert f'href="{dashboard}"' in section
    assert tenant_b.team.name not in html and PRIVATE_MARKER not in html


def test_api_of_a_collaborative_without_active_teams(tenant_a, tenant_b):
    """No active team to read the collaborative with: the API reads it on its own,
    under the same staff rule (200 with zero teams for staff, 404 for others)."""
    Team.objects.filter(collaborative=tenant_a.collaborative).update(status=TeamStatus.WITHDRAWN)
    api = APIClient()
    api.force_authenticate(tenant_a.staff)
    body = api.get(_api(tenant_a)).json()
    assert body["active_teams"] == 0
    assert body["collaborative"]["id"] == str(tenant_a.collaborative.public_id)
    assert all(row["handed_in"] == 0 for row in body["submissions"])
    api.force_authenticate(tenant_b.staff)
    assert api.get(_api(tenant_a)).status_code == 404
    api.force_authenticate(tenant_a.coach)
    assert api.get(_api(tenant_a)).status_code == 404


def test_api_teams_are_the_active_teams_of_the_collaborative_only(tenant_a, tenant_b):
    """The teams read with the collaborative are its active ones, not another
    collaborative's nor a withdrawn one: the same count as the page's figures."""
    add_teams(tenant_a, 3)
    api = APIClient()
    api.force_authenticate(tenant_a.staff)
    figures = progress_figures(collaborative=tenant_a.collaborative)
    assert api.get(_api(tenant_a)).json()["active_teams"] == figures["active_teams"] == 5


def test_the_figures_share_the_measures_pages_cached_signal_summaries(tenant_a):
    """The progress figures read the teams' versions in their one statement: the keys
    they build are the measures page's own, so what one caches the other reuses (after
    the figures, the summaries cost only the measures page's key query)."""
    from measures.analysis import team_signal_summary
    from measures.selectors import measure_set_of

    add_teams(tenant_a, 4)
    cache.clear()
    progress_figures(collaborative=tenant_a.collaborative)
    teams = list(Team.objects.filter(collaborative=tenant_a.collaborative, status="active"))
    measures = [e.measure for e in measure_set_of(collaborative=tenant_a.collaborative)]
    assert measures and teams
    with CaptureQueriesContext(connection) as ctx:
        team_signal_summary(collaborative=tenant_a.collaborative, teams=teams, measures=measures)
    assert len(ctx.captured_queries) == 1  # the versions: every summary was cached
