"""Latest coach and self scores of many teams (the coach dashboard reads them), in one query."""

from datetime import timedelta
from decimal import Decimal

import pytest

from core.clock import current_month, month_start
from teams.models import RatingKind
from teams.selectors import team_scores
from teams.services import progress_rating_create
from tests.factories import CoachAssignmentFactory, TeamFactory

pytestmark = pytest.mark.django_db


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


def test_scores_for_many_teams_take_one_query(tenant_a, django_assert_num_queries):
    teams = [_coached_team(tenant_a, f"T{n}") for n in range(6)]
    for team in teams:
        _rate(team, RatingKind.COACH, "2.0", by=tenant_a.coach)
    with django_assert_num_queries(1):
        scores = team_scores(teams=teams)
    assert all(scores[team.pk].coach_rated_this_month for team in teams)
