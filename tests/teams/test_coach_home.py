"""The coach's home: assigned teams across collaboratives, ranked by need, in constant queries."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.clock import current_month, month_start
from teams.models import RatingKind
from teams.selectors import coach_dashboard, team_scores
from teams.services import progress_rating_create
from tests.factories import CoachAssignmentFactory, CollaborativeFactory, TeamFactory

from .conftest import client_for, page_text

pytestmark = pytest.mark.django_db

URL = reverse("teams:coach_home")


def _previous_month():
    return month_start(current_month() - timedelta(days=1))


def _rate(team, kind, score, month=None, by=None):
    return progress_rating_create(
        team=team,
        month=month or current_month(),
        kind=kind,
        score=score,
        rationale="Because.",
        rated_by=by,
    )


def _coached_team(tenant, name, collaborative=None):
    team = TeamFactory(
        program=tenant.program,
        collaborative=collaborative or tenant.collaborative,
        name=name,
    )
    CoachAssignmentFactory(team=team, coach=tenant.coach)
    return team


@pytest.fixture
def ranked(tenant_a):
    """Four teams whose need differs in one way each, plus the fixture team."""
    rated_calm = _coached_team(tenant_a, "Calm Team")
    _rate(rated_calm, RatingKind.COACH, "3.0", by=tenant_a.coach)
    _rate(rated_calm, RatingKind.SELF, "3.0")
    unrated = _coached_team(tenant_a, "Unrated Team")
    _rate(unrated, RatingKind.COACH, "4.0", month=_previous_month(), by=tenant_a.coach)
    gap = _coached_team(tenant_a, "Gap Team")
    _rate(gap, RatingKind.COACH, "2.0", by=tenant_a.coach)
    _rate(gap, RatingKind.SELF, "3.5")
    low = _coached_team(tenant_a, "Low Team")
    _rate(low, RatingKind.COACH, "1.0", by=tenant_a.coach)
    # The fixture team's only coach rating is for month(-7): also unrated this month.
    return {"calm": rated_calm, "unrated": unrated, "gap": gap, "low": low}


def test_teams_are_ranked_by_need(tenant_a, ranked):
    names = [row.team.name for row in coach_dashboard(user=tenant_a.coach)]
    # Not rated this month first (largest gap, then lowest score among them), then
    # the largest gap, then the lowest score.
    assert names == [tenant_a.team.name, "Unrated Team", "Gap Team", "Low Team", "Calm Team"]
    html = client_for(tenant_a.coach).get(URL).content.decode()
    positions = [html.index(name) for name in names]
    assert positions == sorted(positions)


def test_page_shows_scores_gap_and_what_to_rate(tenant_a, ranked):
    html = page_text(client_for(tenant_a.coach).get(URL))
    month = f"{current_month():%B %Y}"
    assert f"2 teams have no coach rating for {month} yet" in html
    assert "Gap of 1.5: talk it through" in html
    assert "Not rated yet" in html
    assert "Rated" in html
    progress = reverse("teams:progress", kwargs={"team_id": ranked["unrated"].public_id})
    assert f'href="{progress}#coach-rating"' in html
    assert tenant_a.other_team.name not in html


def test_scores_compare_the_newest_month_both_rated(tenant_a):
    team = _coached_team(tenant_a, "Mixed Team")
    _rate(team, RatingKind.COACH, "2.0", month=_previous_month(), by=tenant_a.coach)
    _rate(team, RatingKind.SELF, "3.0", month=_previous_month())
    _rate(team, RatingKind.SELF, "4.0")  # this month: the coach has not rated yet
    scores = team_scores(teams=[team])[team.pk]
    assert scores.coach.score == Decimal("2.0")
    assert scores.self_rating.score == Decimal("4.0")
    assert scores.self_rating.month == current_month()
    assert (scores.gap_month, scores.gap) == (_previous_month(), Decimal("1.0"))
    assert scores.needs_talk
    assert not scores.coach_rated_this_month


def test_only_the_current_row_of_a_month_counts(tenant_a):
    team = _coached_team(tenant_a, "Rerated Team")
    _rate(team, RatingKind.COACH, "1.0", by=tenant_a.coach)
    _rate(team, RatingKind.COACH, "3.0", by=tenant_a.coach)
    _rate(team, RatingKind.SELF, "3.0")
    scores = team_scores(teams=[team])[team.pk]
    assert scores.coach.score == Decimal("3.0")
    assert scores.gap == Decimal("0")
    assert scores.gap_label == "Same score"


def test_teams_across_collaboratives_are_listed(tenant_a):
    elsewhere = CollaborativeFactory(program=tenant_a.program, title="Second collaborative")
    _coached_team(tenant_a, "Elsewhere Team", collaborative=elsewhere)
    html = page_text(client_for(tenant_a.coach).get(URL))
    assert "Elsewhere Team" in html
    assert "Second collaborative" in html


def test_a_coach_without_assignments_sees_none(tenant_a, unassigned_coach):
    html = page_text(client_for(unassigned_coach).get(URL))
    assert "No teams are assigned to you yet." in html
    assert tenant_a.team.name not in html


def test_an_assignment_without_the_coach_role_shows_nothing(tenant_a, outsider):
    CoachAssignmentFactory(team=tenant_a.team, coach=outsider)
    html = page_text(client_for(outsider).get(URL))
    assert tenant_a.team.name not in html


def test_other_tenants_coach_sees_only_their_teams(tenant_a, tenant_b):
    html = page_text(client_for(tenant_b.coach).get(URL))
    assert tenant_b.team.name in html
    assert tenant_a.team.name not in html


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def _count_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_the_page_takes_the_same_number_of_queries_for_2_or_12_teams(
    tenant_a, django_assert_max_num_queries
):
    client = client_for(tenant_a.coach)
    _coached_team(tenant_a, "Team 2")
    client.get(URL)
    few = _count_queries(client)
    for n in range(10):
        team = _coached_team(tenant_a, f"Extra {n}")
        _rate(team, RatingKind.COACH, "2.0", by=tenant_a.coach)
        _rate(team, RatingKind.SELF, "3.0", month=_previous_month())
    many = _count_queries(client)
    assert many == few
    with django_assert_max_num_queries(8):
        client.get(URL)


def test_scores_for_many_teams_take_one_query(tenant_a, django_assert_num_queries):
    teams = [_coached_team(tenant_a, f"T{n}") for n in range(6)]
    for team in teams:
        _rate(team, RatingKind.COACH, "2.0", by=tenant_a.coach)
    with django_assert_num_queries(1):
        scores = team_scores(teams=teams)
    assert all(scores[team.pk].coach_rated_this_month for team in teams)


def test_teams_of_ended_collaboratives_need_no_rating(tenant_a):
    from django.test import Client

    from collaboratives.models import Collaborative

    Collaborative.objects.filter(pk=tenant_a.collaborative.pk).update(status="community")
    client = Client()
    client.force_login(tenant_a.coach)
    html = client.get("/coach/").content.decode()
    assert "No rating needed: the collaborative has ended." in html
    assert "Not rated yet" not in html
    assert "Every team that needs one has its coach rating" in html
