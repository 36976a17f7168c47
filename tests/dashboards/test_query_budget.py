"""Issue 16's budget for the dashboard endpoints (the coach's and the staff progress
API): a whole request, cold (nothing cached), the sign-in included, costs at most 10 SQL
queries, the same number for a few teams as for many, with an API token and with a
signed-in session alike."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.dashboards.test_summary import _world
from tests.factories import client_for

pytestmark = pytest.mark.django_db

#: The budget (issue 16), sign-in and scope look-ups included.
BUDGET = 10
SMALL, LARGE = 3, 25


def _clients(user) -> dict:
    token = APIClient()
    token.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return {"token": token, "session": client_for(user)}


def _cold(client, url) -> int:
    """The queries of one request with every cache empty (a first request of the
    session runs once first: what a session does once is not the endpoint's cost)."""
    assert client.get(url).status_code == 200
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("auth", ["token", "session"])
def test_coach_dashboard_api(tenant_a, auth):
    client = _clients(tenant_a.coach)[auth]
    url = reverse("api:dashboards-coach")
    _world(tenant_a, SMALL)
    small = _cold(client, url)
    _world(tenant_a, LARGE)
    assert client.get(url).json()["count"] == 1 + SMALL + LARGE
    large = _cold(client, url)
    assert small == large <= BUDGET, (small, large)


@pytest.mark.parametrize("persona", ["staff", "coach"])
@pytest.mark.parametrize("auth", ["token", "session"])
def test_collaborative_dashboard_teams_api(tenant_a, auth, persona):
    client = _clients(getattr(tenant_a, persona))[auth]
    counts = []
    for size in (SMALL, LARGE):
        collaborative, _ = _world(tenant_a, size)
        url = reverse(
            "api:dashboards-collaborative-teams",
            kwargs={"collaborative_id": collaborative.public_id},
        )
        assert client.get(url).json()["count"] == size
        counts.append(_cold(client, url))
    assert counts[0] == counts[1] <= BUDGET, counts


@pytest.mark.parametrize("persona", ["staff", "coach"])
@pytest.mark.parametrize("auth", ["token", "session"])
def test_team_summary_api(tenant_a, auth, persona):
    client = _clients(getattr(tenant_a, persona))[auth]
    counts = []
    for size in (SMALL, LARGE):
        _, teams = _world(tenant_a, size)
        url = reverse("api:dashboards-team-summary", kwargs={"team_id": teams[-1].public_id})
        counts.append(_cold(client, url))
    assert counts[0] == counts[1] <= BUDGET, counts


@pytest.mark.parametrize("auth", ["token", "session"])
def test_progress_api(tenant_a, auth):
    """The staff progress figures of a whole collaborative: the scope look-up, the
    figures (signals cold) and the sign-in, within the budget at both sizes."""
    client = _clients(tenant_a.staff)[auth]
    counts = []
    for size in (SMALL, LARGE):
        collaborative, _ = _world(tenant_a, size)
        url = reverse(
            "api:collaborative-progress",
            kwargs={"collaborative_id": collaborative.public_id},
        )
        body = client.get(url).json()
        assert body["active_teams"] == size
        assert body["signals"][0]["teams_concern"] == size  # the summaries were analysed
        counts.append(_cold(client, url))
    assert counts[0] == counts[1] <= BUDGET, counts
