"""Team lists of a large collaborative come 25 a page, with links that work without
JavaScript, and a page costs the same number of queries at 30 teams as at 80; the pooled
series is cached and still follows every change of the data it rests on."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.paging import PAGE_SIZE, page_of
from measures.models import DataPoint
from measures.selectors import measure_set_of, pooled_series_many
from teams.models import TeamStatus

from .conftest import client_for
from .test_query_counts import count_queries, grow

pytestmark = pytest.mark.django_db


def _names(html: str, label: str) -> set[str]:
    return set(re.findall(rf"{label} team \d{{3}}", html))


def test_page_of_keeps_the_query_string_and_forgives_bad_page_numbers():
    request = RequestFactory().get("/x/", {"scale": "shared", "page": "2"})
    page = page_of(request, list(range(60)), anchor="team-charts")
    assert page.items == list(range(25, 50))
    assert (page.number, page.pages, page.count) == (2, 3, 60)
    assert (page.first_index, page.last_index) == (26, 50)
    assert page.previous_url == "/x/?scale=shared#team-charts"
    assert page.next_url == "/x/?scale=shared&page=3#team-charts"
    assert [link.label for link in page.links] == ["1", "2", "3"]
    assert [link.current for link in page.links] == [False, True, False]

    for bad in ("nonsense", "-4", ""):
        assert page_of(RequestFactory().get("/x/", {"page": bad}), list(range(60))).number == 1
    assert page_of(RequestFactory().get("/x/", {"page": "99"}), list(range(60))).number == 3
    single = page_of(RequestFactory().get("/x/"), list(range(PAGE_SIZE)))
    assert not single.has_other_pages and single.next_url is None


def test_the_measure_page_shows_25_teams_a_page_and_links_to_the_rest(tenant_a):
    collaborative, teams, measures = grow(tenant_a.program, 30, "paged")
    client = client_for(tenant_a.staff)
    url = reverse(
        "measures:measure",
        kwargs={"collaborative_id": collaborative.public_id, "measure_id": measures[0].public_id},
    )
    first = client.get(url).content.decode()
    shown = first.count('class="measure-card"')
    assert shown == PAGE_SIZE
    assert "Teams 1–25 of 30" in first
    assert f'href="{url}?page=2#team-charts"' in first
    second = client.get(url + "?page=2&scale=shared").content.decode()
    assert second.count('class="measure-card"') == 5
    assert "Teams 26–30 of 30" in second
    # The other page's link keeps the chosen scale.
    assert f'href="{url}?scale=shared#team-charts"' in second
    every = {t.name for t in teams}
    on_cards = set(
        re.findall(
            r'href="/teams/([0-9a-f-]+)/measures/' + str(measures[0].public_id), first + second
        )
    )
    assert on_cards == {str(t.public_id) for t in teams} and len(every) == 30


def test_the_signal_table_status_and_roster_page_their_teams(tenant_a):
    collaborative, teams, _ = grow(tenant_a.program, 30, "rows")
    client = client_for(tenant_a.staff)
    cid = {"collaborative_id": collaborative.public_id}
    for name, anchor in (
        ("measures:collaborative", "signals"),
        ("measures:status", "status-table"),
        ("teams:roster", ""),
        ("teams:enrolment", "teams-in"),
    ):
        url = reverse(name, kwargs=cid)
        first = client.get(url).content.decode()
        second = client.get(url + "?page=2").content.decode()
        link = f'href="{url}?page=2{"#" + anchor if anchor else ""}"'
        assert link in first, name
        assert "26–30 of 30" in second, name
        on_first, on_second = _names(first, "rows"), _names(second, "rows")
        assert len(on_first) == PAGE_SIZE and len(on_second) == 5, name
        assert on_first | on_second == {t.name for t in teams}, name
    # The enrolment page's heading counts every team in, not the page.
    enrolment = client.get(reverse("teams:enrolment", kwargs=cid)).content.decode()
    assert "Teams in the collaborative (30)" in enrolment
    # The CSV roster has every team.
    csv = client.get(reverse("teams:roster", kwargs=cid) + "?format=csv").content.decode()
    assert len(_names(csv, "rows")) == 30


def test_a_page_of_teams_costs_the_same_queries_at_30_and_80_teams(tenant_a):
    small = grow(tenant_a.program, 30, "small")[0]
    large = grow(tenant_a.program, 80, "large")[0]
    client = client_for(tenant_a.staff)

    def page(name, collaborative):
        url = reverse(name, kwargs={"collaborative_id": collaborative.public_id}) + "?page=2"

        def run():
            assert client.get(url).status_code == 200

        run()  # warm the caches the pages keep
        return count_queries(run)

    for name in ("teams:roster", "teams:enrolment", "collaboratives:detail"):
        assert page(name, small) == page(name, large), name


def test_the_pooled_series_is_cached_but_follows_values_and_teams(tenant_a):
    collaborative, teams, measures = grow(tenant_a.program, 10, "pool")
    measure = measures[0]

    def latest():
        measures_now = [e.measure for e in measure_set_of(collaborative=collaborative)]
        series = pooled_series_many(collaborative=collaborative, measures=measures_now)
        return series[measure.pk].numerators[-1], series[measure.pk].denominators[-1]

    def aggregates(fn) -> int:
        with CaptureQueriesContext(connection) as context:
            fn()
        return sum(1 for q in context.captured_queries if 'SUM("measures_datapoint"' in q["sql"])

    assert aggregates(latest) == 1  # cold: the pooled aggregate is read...
    assert aggregates(latest) == 0  # ...then kept
    before = latest()
    point = (
        DataPoint.objects.filter(collaborative=collaborative, measure=measure, team=teams[0])
        .order_by("-period__start")
        .first()
    )
    point.numerator, point.denominator = Decimal(0), Decimal(500)
    point.save()
    changed = latest()
    assert changed != before  # a changed value is seen at once
    teams[1].status = TeamStatus.WITHDRAWN
    teams[1].save()
    assert latest() != changed  # and so is a team leaving


def test_the_collaborative_page_lists_the_first_25_teams_and_links_staff_to_the_roster(tenant_a):
    collaborative, teams, _ = grow(tenant_a.program, 30, "page")
    url = reverse("collaboratives:detail", kwargs={"collaborative_id": collaborative.public_id})
    html = client_for(tenant_a.staff).get(url).content.decode()
    shown = _names(html, "page")
    assert shown == {t.name for t in sorted(teams, key=lambda t: t.name)[:PAGE_SIZE]}
    assert "The first 25 of 30 teams by name." in html
    roster = reverse("teams:roster", kwargs={"collaborative_id": collaborative.public_id})
    assert f'href="{roster}"' in html


def test_the_submission_status_api_pages_its_teams_in_fixed_queries(tenant_a):
    from rest_framework.test import APIClient

    small = grow(tenant_a.program, 30, "apismall")[0]
    large = grow(tenant_a.program, 80, "apilarge")[0]
    api = APIClient()
    api.force_authenticate(tenant_a.staff)

    def url(collaborative, query=""):
        cid = {"collaborative_id": collaborative.public_id}
        return reverse("api:collaborative-submission-status", kwargs=cid) + query

    first = api.get(url(small)).json()
    assert first["count"] == 30 and len(first["results"]) == PAGE_SIZE
    second = api.get(first["next"]).json()
    assert len(second["results"]) == 5 and second["next"] is None
    names = [row["team_name"] for row in first["results"] + second["results"]]
    assert names == sorted(names) and len(set(names)) == 30
    assert len(api.get(url(large, "?page_size=200")).json()["results"]) == 80

    def queries(collaborative) -> int:
        def run():
            assert api.get(url(collaborative, "?page=2&page_size=10")).status_code == 200

        run()
        return count_queries(run)

    # access, the count, the page's teams, the periods, their submissions
    assert queries(small) == queries(large) <= 8
