"""The submission-status API's `periods`: the latest 12 started periods per team by
default, up to 36 on request, newest last, the answer naming them; a bad value is a
400 that says the rule; the queries do not grow with the periods or the teams."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from core.clock import month_end
from measures.models import ReportingPeriod
from tests.clock import month

from .test_query_counts import count_queries, grow

pytestmark = pytest.mark.django_db


def _older_periods(collaborative, n: int) -> None:
    """`n` more monthly periods before the 12 that `grow` makes."""
    ReportingPeriod.objects.bulk_create(
        ReportingPeriod(
            program=collaborative.program,
            collaborative=collaborative,
            start=month(-12 - k),
            end=month_end(month(-12 - k)),
            due_date=month_end(month(-12 - k)) + timedelta(days=15),
        )
        for k in range(1, n + 1)
    )


def _url(collaborative, query: str = "") -> str:
    kwargs = {"collaborative_id": collaborative.public_id}
    return reverse("api:collaborative-submission-status", kwargs=kwargs) + query


@pytest.fixture
def staff_api(tenant_a):
    api = APIClient()
    api.force_authenticate(tenant_a.staff)
    return api


def _starts(body) -> list[str]:
    return [p["start"] for p in body["periods"]]


def test_the_latest_twelve_by_default_newest_last(tenant_a, staff_api):
    collaborative = grow(tenant_a.program, 4, "stdefault")[0]
    _older_periods(collaborative, 8)  # 20 started periods
    body = staff_api.get(_url(collaborative)).json()
    newest = month(-1).isoformat()
    assert len(body["periods"]) == 12
    assert _starts(body) == sorted(_starts(body)) and _starts(body)[-1] == newest
    assert _starts(body)[0] == month(-12).isoformat()
    for row in body["results"]:
        assert [c["period"]["start"] for c in row["periods"]] == _starts(body)
        assert row["late"] == sum(1 for c in row["periods"] if c["is_late"])


@pytest.mark.parametrize(("asked", "given"), [(1, 1), (3, 3), (20, 20), (36, 20)])
def test_as_many_as_asked_of_those_started(tenant_a, staff_api, asked, given):
    collaborative = grow(tenant_a.program, 2, f"stasked{asked}")[0]
    _older_periods(collaborative, 8)
    body = staff_api.get(_url(collaborative, f"?periods={asked}")).json()
    assert len(body["periods"]) == given
    assert _starts(body)[-1] == month(-1).isoformat()
    assert all(len(row["periods"]) == given for row in body["results"])


@pytest.mark.parametrize("bad", ["0", "37", "-1", "1.5", "twelve", "", "²"])
def test_a_bad_value_is_a_400_that_says_the_rule(tenant_a, staff_api, bad):
    collaborative = grow(tenant_a.program, 1, "stbad")[0]
    response = staff_api.get(_url(collaborative), {"periods": bad})
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["periods"] == [
        "Give a whole number of periods from 1 to 36."
    ]


def test_queries_do_not_grow_with_the_periods_or_the_teams(tenant_a, staff_api):
    small = grow(tenant_a.program, 5, "stsmall")[0]
    large = grow(tenant_a.program, 40, "stlarge")[0]
    _older_periods(large, 24)

    def queries(collaborative, query) -> int:
        def run():
            assert staff_api.get(_url(collaborative, query)).status_code == 200

        run()
        return count_queries(run)

    counts = {
        queries(small, "?periods=3"),
        queries(small, ""),
        queries(large, ""),
        queries(large, "?periods=36&page_size=40"),
    }
    assert len(counts) == 1 and counts.pop() <= 8
