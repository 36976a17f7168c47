"""The coach dashboard API: scoping per persona, token auth, paging, caching with
invalidation when a team's data changes."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.clock import current_month
from teams.models import RatingKind
from teams.services import progress_rating_create
from tests.factories import CoachAssignmentFactory, TeamFactory, client_for

pytestmark = pytest.mark.django_db

COACH_API = reverse("api:dashboards-coach")


def _collab_api(collaborative):
    return reverse(
        "api:dashboards-collaborative-teams",
        kwargs={"collaborative_id": collaborative.public_id},
    )


def _summary_api(team):
    return reverse("api:dashboards-team-summary", kwargs={"team_id": team.public_id})


def _names(response):
    return [row["name"] for row in response.json()["results"]]


def test_coach_gets_their_teams_ranked_with_reasons(tenant_a):
    response = client_for(tenant_a.coach).get(COACH_API)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["name"] == tenant_a.team.name
    assert row["team"] == str(tenant_a.team.public_id)
    assert {"code", "text", "weight"} <= set(row["reasons"][0])
    assert row["score"] == sum(r["weight"] for r in row["reasons"])
    assert set(row) >= {"data", "measures", "cycles", "ratings", "gap_analysis"}


def test_token_auth_works_for_integrations(tenant_a):
    token, _ = Token.objects.get_or_create(user=tenant_a.coach)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get(COACH_API).status_code == 200
    assert APIClient().get(COACH_API).status_code in (401, 403)


def test_paging_and_sorting(tenant_a):
    for n in range(3):
        team = TeamFactory(
            program=tenant_a.program, collaborative=tenant_a.collaborative, name=f"Paged {n}"
        )
        CoachAssignmentFactory(team=team, coach=tenant_a.coach)
    client = client_for(tenant_a.coach)
    first = client.get(COACH_API + "?sort=name&page_size=2").json()
    assert first["count"] == 4
    assert len(first["results"]) == 2
    assert first["next"]
    assert _names(client.get(COACH_API + "?sort=-name&q=paged")) == [
        "Paged 2",
        "Paged 1",
        "Paged 0",
    ]


@pytest.mark.parametrize(
    ("persona_name", "status"),
    [
        ("staff", 200),
        ("admin", 200),
        ("coach", 200),
        ("unassigned_coach", 404),
        ("lead", 404),
        ("member", 404),
        ("outsider", 404),
        ("other_tenant_staff", 404),
    ],
)
def test_collaborative_teams_access(tenant_a, persona, persona_name, status):
    response = client_for(persona(persona_name)).get(_collab_api(tenant_a.collaborative))
    assert response.status_code == status


def test_collaborative_teams_scope(tenant_a, unassigned_coach):
    url = _collab_api(tenant_a.collaborative)
    assert set(_names(client_for(tenant_a.staff).get(url))) == {
        tenant_a.team.name,
        tenant_a.other_team.name,
    }
    assert _names(client_for(tenant_a.coach).get(url)) == [tenant_a.team.name]
    assert client_for(unassigned_coach).get(url).status_code == 404


@pytest.mark.parametrize(
    ("persona_name", "status"),
    [
        ("staff", 200),
        ("admin", 200),
        ("coach", 200),
        ("lead", 403),
        ("member", 403),
        ("unassigned_coach", 404),
        ("outsider", 404),
        ("other_tenant_staff", 404),
    ],
)
def test_team_summary_access(tenant_a, persona, persona_name, status):
    response = client_for(persona(persona_name)).get(_summary_api(tenant_a.team))
    assert response.status_code == status


def test_other_tenants_team_is_404(tenant_a, tenant_b):
    client = client_for(tenant_a.coach)
    assert client.get(_summary_api(tenant_b.team)).status_code == 404
    assert client.get(_collab_api(tenant_b.collaborative)).status_code == 404
    assert tenant_b.team.name not in client.get(COACH_API).content.decode()


def test_cached_answer_changes_when_the_team_is_rated(tenant_a, django_capture_on_commit_callbacks):
    client = client_for(tenant_a.coach)
    url = _summary_api(tenant_a.team)
    before = client.get(url).json()
    assert before["ratings"]["coach"]["month"] != current_month().isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        progress_rating_create(
            team=tenant_a.team,
            month=current_month(),
            kind=RatingKind.COACH,
            score="3.5",
            rationale="Good month.",
            rated_by=tenant_a.coach,
        )
    after = client.get(url).json()
    assert after["ratings"]["coach"] == {"month": current_month().isoformat(), "score": "3.5"}


def test_a_cached_answer_costs_few_queries(tenant_a, django_assert_max_num_queries):
    client = client_for(tenant_a.coach)
    client.get(COACH_API)
    # session, user, the coach's teams (program roles + teams)
    with django_assert_max_num_queries(5):
        assert client.get(COACH_API).status_code == 200


def _cold_queries(client, url) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_a_cold_answer_does_not_grow_with_the_teams(tenant_a):
    """Nothing cached: the token and the caller's program roles, the coach's teams, and
    the summaries' five queries, the same for 4 teams as for 40 (in two collaboratives:
    the fixture's and the world's)."""
    from tests.dashboards.test_summary import _world

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=tenant_a.coach).key}")
    _, few = _world(tenant_a, 3)
    small = _cold_queries(api, COACH_API)
    _, many = _world(tenant_a, 36)
    assert api.get(COACH_API).json()["count"] == 40
    assert _cold_queries(api, COACH_API) == small == 8
