"""Late surveys (issue 12, item 2): judged by the first submission against the due date
that applied to the team (assessments.selectors.deadlines, core.deadlines):

* a survey reopened by staff gets a new due date and is late only against it, and a
  first submission that was on time stays on time;
* a team that joined after a wave opened has as long as everyone had, from the day it
  joined, and is not counted among the teams that should have submitted by the wave's date.
"""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import services
from assessments.models import SurveyResponse, SurveyWave
from assessments.selectors import survey_due, team_survey_rows
from core import clock
from core.deadlines import due_for_team, is_late
from core.models import OutboundEmail
from teams.due import due_next
from teams.models import TeamStatus
from teams.services import team_approve
from tests.clock import instant
from tests.factories import TeamFactory

from .conftest import client_for
from .test_responses import COMPLETE, form_url, post_body

pytestmark = pytest.mark.django_db


def test_the_one_rule():
    due = clock.today()
    assert not is_late(due=due, first_handed_in_on=due, today=due + timedelta(days=9))
    assert is_late(due=due, first_handed_in_on=due + timedelta(days=1), today=due)
    assert not is_late(due=due, first_handed_in_on=None, today=due)
    assert is_late(due=due, first_handed_in_on=None, today=due + timedelta(days=1))
    week = timedelta(days=7)
    assert due_for_team(due=due, grace=week, joined_on=None) == due
    assert due_for_team(due=due, grace=week, joined_on=due - week) == due
    assert due_for_team(due=due, grace=week, joined_on=due + week) == due + 2 * week


@pytest.fixture
def past_wave(open_wave) -> SurveyWave:
    """The follow-up wave, open from 40 days ago until 10 days ago (a 30-day window)."""
    today = clock.today()
    open_wave.opens_on, open_wave.due_on = today - timedelta(days=40), today - timedelta(days=10)
    open_wave.save()
    return open_wave


def submit_on_time(tenant_a, wave) -> SurveyResponse:
    with time_machine.travel(instant(wave.due_on - timedelta(days=5)), tick=True):
        client_for(tenant_a.lead).post(
            form_url(tenant_a.team, wave), post_body(COMPLETE, action="submit")
        )
    return SurveyResponse.objects.get(team=tenant_a.team, wave=wave)


def reopen(tenant_a, response, due_on):
    url = reverse("assessments:response_reopen", kwargs={"response_id": response.public_id})
    return client_for(tenant_a.staff).post(
        url, {"reason": "Check B2.", "due_on": due_on.isoformat()}
    )


def test_a_reopened_survey_is_late_only_against_its_new_due_date(tenant_a, past_wave):
    response = submit_on_time(tenant_a, past_wave)
    new_due = clock.today() + timedelta(days=14)
    assert reopen(tenant_a, response, new_due).status_code == 302
    response.refresh_from_db()
    assert response.reopen_due_on == new_due and response.status == "draft"

    due = survey_due(wave=past_wave, team=tenant_a.team, response=response)
    assert (due.due_on, due.is_late, due.reopened) == (new_due, False, True)
    assert due.first_was_late is False  # the first submission stays on time

    # The team's pages and its "what is due" say the new date, and nothing is late.
    surveys = client_for(tenant_a.lead).get(
        reverse("assessments:team_surveys", kwargs={"team_id": tenant_a.team.public_id})
    )
    row = next(r for r in surveys.context["rows"] if r.wave == past_wave)
    assert row.due.due_on == new_due and not row.due.is_late
    # Only the sample baseline survey (submitted today, months after its date) is late.
    assert surveys.content.decode().count("status-tag--late") == 1
    form = client_for(tenant_a.lead).get(form_url(tenant_a.team, past_wave)).content.decode()
    assert "status-tag--late" not in form
    assert f"due {new_due:%-d %B %Y} (reopened)" in form
    assert "on time for its due date" in form
    items = [i for i in due_next(team=tenant_a.team, user=tenant_a.lead) if "gap" in i.title]
    assert [(i.due, i.is_late) for i in items] == [(new_due, False)]
    mail = OutboundEmail.objects.filter(to_email=tenant_a.lead.email, subject__contains="reopened")
    assert f"by {new_due:%-d %B %Y}" in mail.get().body_text

    # Submitted again before the new date: on time; after it: late.
    client_for(tenant_a.lead).post(
        form_url(tenant_a.team, past_wave), post_body(COMPLETE, action="submit")
    )
    response.refresh_from_db()
    assert response.first_submitted_at.date() == past_wave.due_on - timedelta(days=5)
    assert not survey_due(wave=past_wave, team=tenant_a.team, response=response).is_late
    response.status = "draft"
    response.save()
    with time_machine.travel(instant(new_due + timedelta(days=1)), tick=True):
        assert survey_due(wave=past_wave, team=tenant_a.team, response=response).is_late


def test_a_reopened_survey_needs_a_due_date_from_today(tenant_a, past_wave):
    response = submit_on_time(tenant_a, past_wave)
    refused = reopen(tenant_a, response, clock.today() - timedelta(days=1))
    assert refused.status_code == 400
    assert "Choose a new due date from today on." in refused.content.decode()
    with pytest.raises(ValidationError):
        services.response_reopen(
            response=response,
            actor=tenant_a.staff,
            reason="x",
            due_on=clock.today() - timedelta(days=1),
        )
    page = client_for(tenant_a.staff).get(
        reverse("assessments:response_reopen", kwargs={"response_id": response.public_id})
    )
    assert "New due date" in page.content.decode()


def test_a_team_that_joined_after_the_due_date_has_its_own(tenant_a, past_wave):
    applied = TeamFactory(
        collaborative=tenant_a.collaborative, program=tenant_a.program, status=TeamStatus.APPLIED
    )
    team = team_approve(team=applied, actor=tenant_a.staff)
    due = survey_due(wave=past_wave, team=team, response=None)
    assert due.due_on == clock.today() + timedelta(days=30)  # the wave's 30 days, from today
    assert not due.is_late
    rows = team_survey_rows(team=team)
    row = next(r for r in rows if r.wave == past_wave)
    assert row.state[0] == "active" and not row.due.is_late

    report = client_for(tenant_a.staff).get(
        reverse("assessments:wave_report", kwargs={"wave_id": past_wave.public_id})
    )
    summary = report.context["summary"]
    assert team.pk not in {r.team.pk for r in summary.expected}
    assert len(summary.expected) == 2 and summary.n_not_submitted == 2
    html = report.content.decode()
    assert "<strong>0</strong> of 2" in html
    assert "Joined after the survey opened" in html and team.name in html
    assert "How this is counted" in html
    overview = (
        client_for(tenant_a.staff)
        .get(
            reverse(
                "assessments:collaborative_surveys",
                kwargs={"collaborative_id": tenant_a.collaborative.public_id},
            )
        )
        .content.decode()
    )
    assert "0 of 2 teams" in overview

    # Once it submits, it counts (and is on time).
    lead = tenant_a.lead
    team.memberships.create(program=team.program, user=lead, role="lead")
    client_for(lead).post(form_url(team, past_wave), post_body(COMPLETE, action="submit"))
    response = SurveyResponse.objects.get(team=team, wave=past_wave)
    assert not survey_due(wave=past_wave, team=team, response=response).is_late
    summary = (
        client_for(tenant_a.staff)
        .get(reverse("assessments:wave_report", kwargs={"wave_id": past_wave.public_id}))
        .context["summary"]
    )
    assert len(summary.expected) == 3 and len(summary.submitted) == 1
