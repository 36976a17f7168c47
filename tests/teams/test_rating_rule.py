"""Who owes a progress rating: one rule (teams.selectors.rating_rule), and the team's
side and the coach's side agree on it for every case."""

from datetime import timedelta

import pytest
from django.urls import reverse

from collaboratives.models import CollaborativeStatus
from core import clock
from core.clock import month_end
from teams.due import due_next
from teams.models import RatingKind, TeamRole, TeamStatus
from teams.selectors import rating_expectation, team_access, team_scores
from teams.services import progress_rating_create
from tests.clock import instant, label, month
from tests.factories import (
    CoachAssignmentFactory,
    CollaborativeFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)

from .conftest import client_for, page_text

pytestmark = pytest.mark.django_db

A, C = TeamStatus, CollaborativeStatus


def _cases() -> dict[str, dict]:
    """Case name -> how to build the team, and the reason no rating is expected ("" when
    one is). Dates count from the (fixed) clock, so the matrix holds on any day."""
    today = clock.today()
    last_month_end = month(0) - timedelta(days=1)
    return {
        "approved team of a running collaborative": {},
        "team approved today": {"decided_today": True},
        "application not approved yet": {
            "team_status": A.APPLIED,
            "reason": "the team's application is not approved yet",
        },
        "application declined": {
            "team_status": A.DECLINED,
            "reason": "the team's application was declined",
        },
        "team withdrawn": {"team_status": A.WITHDRAWN, "reason": "the team has withdrawn"},
        "collaborative still a draft": {
            "collab_status": C.DRAFT,
            "reason": "the collaborative has not started yet",
        },
        "collaborative still recruiting": {
            "collab_status": C.RECRUITING,
            "reason": "the collaborative has not started yet",
        },
        "collaborative closed": {
            "collab_status": C.CLOSED,
            "reason": "the collaborative has ended",
        },
        "community of practice": {
            "collab_status": C.COMMUNITY,
            "reason": "the collaborative has ended",
        },
        "collaborative past its end date, not closed yet": {
            "start": month(-12),
            "end": last_month_end,
            "reason": f"the collaborative ended on {last_month_end:%-d %B %Y}",
        },
        "collaborative in its last month": {"start": month(-12), "end": today},
        "collaborative starting next month": {
            "start": month(1),
            "end": month(12),
            "reason": f"the collaborative starts on {month(1):%-d %B %Y}",
        },
        "collaborative in its first month (prework)": {"start": today, "end": month(12)},
    }


CASE_NAMES = list(_cases())


def _build(tenant, case: dict):
    dates = {}
    if "start" in case:
        dates = {"start_date": case["start"], "end_date": case["end"]}
    collaborative = CollaborativeFactory(
        program=tenant.program, status=case.get("collab_status", C.ACTIVE), **dates
    )
    team = TeamFactory(
        program=tenant.program,
        collaborative=collaborative,
        status=case.get("team_status", A.ACTIVE),
        decided_at=instant(clock.today()) if case.get("decided_today") else None,
    )
    lead = UserFactory(full_name="Lena Lead")
    TeamMembershipFactory(team=team, user=lead, role=TeamRole.LEAD)
    CoachAssignmentFactory(team=team, coach=tenant.coach)
    return team, lead


def _api_due(user, team) -> dict:
    url = reverse("api:team-rating-due", kwargs={"team_id": team.public_id})
    response = client_for(user).get(url)
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize("case_name", CASE_NAMES)
def test_team_side_and_coach_side_agree(tenant_a, case_name):
    case = _cases()[case_name]
    reason = case.get("reason", "")
    expected = not reason
    team, lead = _build(tenant_a, case)
    coach = tenant_a.coach
    this_month = label(clock.today())
    prompt = f"Rate your team's progress for {this_month}"
    progress = reverse("teams:progress", kwargs={"team_id": team.public_id})
    team_home = reverse("teams:detail", kwargs={"team_id": team.public_id})

    # The rule itself.
    expectation = rating_expectation(team=team)
    assert (expectation.expected, expectation.reason) == (expected, reason)
    assert expectation.due == (month_end(clock.today()) if expected else None)

    # The team's side: the lead's "what is due", the team home, the progress page, the API.
    due_titles = [item.title for item in due_next(team=team, user=lead)]
    team_home_html = page_text(client_for(lead).get(team_home))
    lead_progress = page_text(client_for(lead).get(progress))
    lead_api = _api_due(lead, team)
    team_side = {
        "due item": prompt in due_titles,
        "team home": prompt in team_home_html,
        "progress button": f"Rate your team for {this_month}" in lead_progress,
        "api": lead_api["owed_by_you"] == ["self"],
    }

    # The coach's side: the coach's home, the progress page, the API.
    row = team_scores(teams=[team])[team.pk]
    coach_home_html = page_text(client_for(coach).get(reverse("dashboards:coach")))
    coach_progress = page_text(client_for(coach).get(progress))
    coach_api = _api_due(coach, team)
    coach_side = {
        "dashboard": row.rating_due,
        "coach home link": f'href="{progress}#coach-rating"' in coach_home_html,
        "progress button": f"Give the coach rating for {this_month}" in coach_progress,
        "api": coach_api["owed_by_you"] == ["coach"],
    }

    assert team_side == dict.fromkeys(team_side, expected), team_side
    assert coach_side == dict.fromkeys(coach_side, expected), coach_side
    for answer in (lead_api, coach_api):
        assert (answer["expected"], answer["reason"]) == (expected, reason)
    if not expected:
        # Both sides say why, in the same words. The coach dashboard lists active teams
        # only: an application, a declined or a withdrawn team is not on it at all.
        if team.status == A.ACTIVE:
            assert f"No rating needed: {reason}." in coach_home_html
        else:
            assert team.name not in coach_home_html
        assert f"No rating is due for {this_month}: {reason}." in lead_progress
        assert f"No rating is due for {this_month}: {reason}." in coach_progress


def test_months_before_the_team_joined_are_not_owed(tenant_a):
    joined = clock.today()
    team, _ = _build(tenant_a, {"decided_today": True})
    before = rating_expectation(team=team, month=month(-1))
    assert not before.expected
    assert before.reason == f"the team joined on {joined:%-d %B %Y}"
    assert rating_expectation(team=team, month=month(0)).expected
    future = rating_expectation(team=team, month=month(1))
    assert (future.expected, future.reason) == (False, f"{label(month(1))} has not started yet")


def test_a_team_approved_long_ago_owes_its_past_months(tenant_a):
    team, _ = _build(tenant_a, {})
    team.decided_at = instant(month(-6))
    assert rating_expectation(team=team, month=month(-5)).expected
    assert not rating_expectation(team=team, month=month(-7)).expected


def test_each_side_owes_its_own_kind_until_given(tenant_a):
    team, lead = _build(tenant_a, {})
    assert _api_due(lead, team)["owed_by_you"] == ["self"]
    assert _api_due(tenant_a.coach, team)["owed_by_you"] == ["coach"]
    # Program staff may rate, but the coach rating is the coach's to give.
    staff_view = _api_due(tenant_a.staff, team)
    assert (staff_view["expected"], staff_view["owed_by_you"]) == (True, [])
    assert team_access(user=tenant_a.staff, team=team).can_rate_as_coach
    progress_rating_create(
        team=team,
        month=month(0),
        kind=RatingKind.SELF,
        score="2.0",
        rationale="Baseline collected.",
        rated_by=lead,
    )
    after = _api_due(lead, team)
    assert (after["owed_by_you"], after["given"]) == ([], ["self"])
    assert _api_due(tenant_a.coach, team)["owed_by_you"] == ["coach"]
    assert not any("Rate your team" in item.title for item in due_next(team=team, user=lead))
    row = team_scores(teams=[team])[team.pk]
    assert row.rating_due


def test_the_due_api_is_404_for_a_team_one_may_not_see(tenant_a, tenant_b):
    url = reverse("api:team-rating-due", kwargs={"team_id": tenant_b.team.public_id})
    assert client_for(tenant_a.coach).get(url).status_code == 404
