"""Waves and responses: drafts, autosave, several members, bad input, submit, reopen."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.definition import RawAnswer
from assessments.models import Answer, ResponseStatus, SurveyResponse, SurveyWave, WaveKind
from collaboratives.services import collaborative_copy
from core.clock import month_end
from core.models import AuditEvent, OutboundEmail
from teams.due import due_next
from tests.clock import month

from .conftest import client_for

pytestmark = pytest.mark.django_db

COMPLETE = {
    "q-A1": "yes",
    "q-A2": "partial",
    "q-B1": ["io"],
    "q-B2": "80",
    "q-B3": "",
}


def form_url(team, wave) -> str:
    return reverse(
        "assessments:response_form", kwargs={"team_id": team.public_id, "wave_id": wave.public_id}
    )


def post_body(answers: dict, **extra) -> dict:
    body = {"action": "save", **extra}
    for name, value in answers.items():
        body[name] = value
        if not name.endswith("-na"):
            body[f"{name}-present"] = "1"
    return body


def response_of(team, wave) -> SurveyResponse:
    return SurveyResponse.objects.get(team=team, wave=wave)


# --- waves ------------------------------------------------------------------------------------


def test_staff_attach_a_published_template_as_a_wave(tenant_a, survey, baseline):
    client = client_for(tenant_a.staff)
    url = reverse(
        "assessments:wave_create", kwargs={"collaborative_id": tenant_a.collaborative.public_id}
    )
    refused = client.post(
        url,
        {
            "kind": "baseline",
            "template": survey.pk,
            "opens_on": month(7).isoformat(),
            "due_on": month(6).isoformat(),
        },
    )
    page = refused.content.decode()
    assert "This collaborative already has a baseline survey." in page
    assert "The due date must be on or after the opening date." in page
    response = client.post(
        url,
        {
            "kind": "follow_up",
            "template": survey.pk,
            # near the collaborative's end: July to mid August 2027 on the default day
            "opens_on": month(8).isoformat(),
            "due_on": (month(9) + timedelta(days=14)).isoformat(),
        },
    )
    wave = SurveyWave.objects.get(collaborative=tenant_a.collaborative, kind="follow_up")
    assert response.status_code == 302
    assert (wave.template, wave.opens_on, wave.program) == (
        survey,
        month(8),
        tenant_a.program,
    )
    assert AuditEvent.objects.filter(verb="survey_wave.created", target_id=str(wave.public_id))


def test_a_draft_template_cannot_be_attached(tenant_a, survey):
    draft = services.template_new_version(template=survey, actor=tenant_a.staff)
    with pytest.raises(ValidationError, match="Publish the template before attaching it"):
        services.wave_create(
            collaborative=tenant_a.collaborative,
            actor=tenant_a.staff,
            template=draft,
            kind=WaveKind.MIDPOINT,
            opens_on=month(-2),
            due_on=month_end(month(-2)),
        )


def test_a_waves_template_is_fixed_once_teams_answered(tenant_a, survey, baseline):
    with pytest.raises(ValidationError, match="can no longer change"):
        services.wave_update(
            wave=baseline,
            actor=tenant_a.staff,
            opens_on=baseline.opens_on,
            due_on=baseline.due_on,
            template=services.template_import(
                program=tenant_a.program,
                actor=tenant_a.staff,
                content=(
                    '{"format":"qi-gap-analysis","format_version":1,"name":"X","max_points":1,'
                    '"sections":[]}'
                ),
            )[0],
        )


def test_copying_a_collaborative_brings_its_waves_with_dates_moved(tenant_a, baseline):
    copy = collaborative_copy(
        source=tenant_a.collaborative,
        actor=tenant_a.staff,
        title="Next year",
        start_date=tenant_a.collaborative.start_date + timedelta(days=365),
    )
    [wave] = SurveyWave.objects.filter(collaborative=copy)
    assert (wave.kind, wave.template_id) == (baseline.kind, baseline.template_id)
    assert wave.opens_on == baseline.opens_on + timedelta(days=365)
    assert wave.due_on == baseline.due_on + timedelta(days=365)
    assert not SurveyResponse.objects.filter(wave=wave).exists()


# --- filling in -------------------------------------------------------------------------------


def test_form_shows_sections_progress_and_hides_conditional_questions(tenant_a, open_wave):
    page = client_for(tenant_a.member).get(form_url(tenant_a.team, open_wave)).content.decode()
    assert "A · Coordination" in page and "B · Equipment" in page
    assert "0 of 4 answered" in page  # A2 is hidden until A1 is yes; B3 counts
    assert 'id="question-A2"' in page and "Asked when A1 is “Yes”." in page
    assert 'data-show-if="A1"' in page
    assert "Save draft" in page and "Confirm: submit" not in page  # members do not submit
    assert "js/assessments.js" in page


def test_save_draft_without_javascript_records_the_editor(tenant_a, open_wave):
    url = form_url(tenant_a.team, open_wave)
    response = client_for(tenant_a.member).post(url, post_body({"q-A1": "yes", "q-B2": "60"}))
    assert response["Location"] == url
    survey = response_of(tenant_a.team, open_wave)
    assert survey.status == ResponseStatus.DRAFT
    answers = {a.question_key: a for a in survey.answers.all()}
    assert (answers["A1"].value, answers["B2"].value) == ("yes", "60")
    assert answers["A1"].updated_by == tenant_a.member
    page = client_for(tenant_a.lead).get(url).content.decode()
    assert f"Last changed by {tenant_a.member.display_name}" in page
    assert "2 of 5 answered" in page  # A2 now shows


def test_autosave_saves_only_the_changed_question_and_answers_in_json(tenant_a, open_wave):
    url = form_url(tenant_a.team, open_wave)
    client_for(tenant_a.member).post(url, post_body({"q-A1": "yes"}))
    lead = client_for(tenant_a.lead)
    response = lead.post(
        url,
        post_body({"q-A1": "no", "q-B2": "90"}, only="B2"),  # A1 is stale, only B2 changed
        HTTP_ACCEPT="application/json",
    )
    body = response.json()
    assert response.status_code == 200 and body["ok"] is True
    assert body["changed"] == ["B2"]
    assert re.fullmatch(r"\d\d:\d\d E[SD]T", body["saved_at"])  # the collaborative's zone
    assert {p["key"]: p["answered"] for p in body["progress"]} == {"A": 1, "B": 1}
    answers = {a.question_key: a for a in response_of(tenant_a.team, open_wave).answers.all()}
    assert answers["A1"].value == "yes" and answers["A1"].updated_by == tenant_a.member
    assert answers["B2"].updated_by == tenant_a.lead


def test_an_answer_changed_by_someone_else_after_the_page_opened_is_kept(tenant_a, open_wave):
    url = form_url(tenant_a.team, open_wave)
    opened = (timezone.now() - timedelta(minutes=5)).isoformat()
    client_for(tenant_a.lead).post(url, post_body({"q-A1": "yes"}))
    response = client_for(tenant_a.member).post(
        url, post_body({"q-A1": "no"}, since=opened), HTTP_ACCEPT="application/json"
    )
    assert "someone else changed this answer" in response.json()["conflicts"][0]
    a1 = Answer.objects.get(response__wave=open_wave, question_key="A1")
    assert (a1.value, a1.updated_by) == ("yes", tenant_a.lead)


def test_bad_answers_get_a_message_each_and_nothing_is_saved(tenant_a, open_wave):
    url = form_url(tenant_a.team, open_wave)
    client_for(tenant_a.member).post(url, post_body({"q-A1": "yes"}))
    response = client_for(tenant_a.member).post(
        url,
        post_body(
            {
                "q-A1": "no",  # valid, but must not be saved with the bad ones
                "q-A2": "gold",
                "q-B1": ["io", "laser"],
                "q-B2": "150",
                "q-Z9": "yes",
            }
        ),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was saved" in page
    for message in (
        "Choose one of the listed answers.",
        "Choose only from the listed answers.",
        "Enter a number from 0 to 100.",
        "Z9: There is no question Z9 in this survey.",
    ):
        assert message in page
    assert 'value="150"' in page  # what the person typed is kept on the page
    assert Answer.objects.get(response__wave=open_wave, question_key="A1").value == "yes"
    assert Answer.objects.filter(response__wave=open_wave).count() == 1

    wrong_type = client_for(tenant_a.member).post(
        url, post_body({"q-B2": "lots"}), HTTP_ACCEPT="application/json"
    )
    assert wrong_type.status_code == 400
    assert wrong_type.json()["errors"] == {
        "B2": "Enter a percentage as a number from 0 to 100, e.g. 80."
    }


def test_not_applicable_and_none_of_these_are_saved(tenant_a, open_wave):
    url = form_url(tenant_a.team, open_wave)
    client_for(tenant_a.member).post(
        url, post_body({"q-B2": "", "q-B2-na": "1", "q-B1": "__none__"})
    )
    answers = {a.question_key: a for a in response_of(tenant_a.team, open_wave).answers.all()}
    assert answers["B2"].not_applicable is True
    assert answers["B1"].value == []
    # Clearing an answer removes it.
    client_for(tenant_a.member).post(url, post_body({"q-B2": ""}))
    assert not Answer.objects.filter(response__wave=open_wave, question_key="B2").exists()


# --- submitting -------------------------------------------------------------------------------


def test_submit_with_required_answers_missing_lists_them_and_stays_a_draft(tenant_a, open_wave):
    url = form_url(tenant_a.team, open_wave)
    response = client_for(tenant_a.lead).post(url, post_body({"q-A1": "yes"}, action="submit"))
    assert response.status_code == 400
    page = response.content.decode()
    for key in ("A2", "B1", "B2"):
        assert f'href="#question-{key}">{key}</a>: Answer this question before submitting.' in page
    assert "B3</a>" not in page  # optional
    assert not SurveyResponse.objects.filter(wave=open_wave, status="submitted").exists()


def test_only_the_lead_submits(tenant_a, open_wave):
    response = client_for(tenant_a.member).post(
        form_url(tenant_a.team, open_wave), post_body(COMPLETE, action="submit")
    )
    assert response.status_code == 403
    assert not SurveyResponse.objects.filter(wave=open_wave).exists()


def test_lead_submits_and_the_response_becomes_read_only(tenant_a, open_wave):
    url = form_url(tenant_a.team, open_wave)
    response = client_for(tenant_a.lead).post(url, post_body(COMPLETE, action="submit"))
    survey = response_of(tenant_a.team, open_wave)
    assert response["Location"] == reverse(
        "assessments:response_report", kwargs={"response_id": survey.public_id}
    )
    # A1 4 + A2 1 + B1 1 + B2 2 = 8 of 10
    assert (survey.status, survey.score, survey.submitted_by) == (
        ResponseStatus.SUBMITTED,
        80,
        tenant_a.lead,
    )
    assert [s["score"] for s in survey.section_scores] == ["83.3", "75"]

    page = client_for(tenant_a.member).get(url).content.decode()
    assert "Submitted by" in page and 'name="q-A1"' not in page and "Save draft" not in page
    refused = client_for(tenant_a.member).post(url, post_body({"q-A1": "no"}))
    assert refused.status_code == 400
    assert "can no longer be changed" in refused.content.decode()
    assert Answer.objects.get(response=survey, question_key="A1").value == "yes"
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.response_save(
            team=tenant_a.team,
            wave=open_wave,
            actor=tenant_a.lead,
            raw={"A1": RawAnswer(["no"])},
        )


def test_staff_reopen_with_a_reason_that_is_audited_and_sent(tenant_a, submitted):
    url = reverse("assessments:response_reopen", kwargs={"response_id": submitted.public_id})
    client = client_for(tenant_a.staff)
    empty = client.post(url, {"reason": "  "})
    assert empty.status_code == 400 and "This field is required." in empty.content.decode()
    response = client.post(url, {"reason": "B2 says 10% <b>PALS</b>; please check."})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.status, submitted.score, submitted.reopened_by) == (
        ResponseStatus.DRAFT,
        None,
        tenant_a.staff,
    )
    event = AuditEvent.objects.get(verb="survey_response.reopened")
    assert event.data["reason"] == "B2 says 10% <b>PALS</b>; please check."
    assert event.data["score"] == "60.0" and event.actor == tenant_a.staff
    email = OutboundEmail.objects.get(to_email=tenant_a.lead.email)
    assert "reopened" in email.subject
    assert "&lt;b&gt;PALS&lt;/b&gt;" in email.body_html and "<b>PALS" not in email.body_html
    page = (
        client_for(tenant_a.lead)
        .get(
            reverse(
                "assessments:response_form",
                kwargs={"team_id": tenant_a.team.public_id, "wave_id": submitted.wave.public_id},
            )
        )
        .content.decode()
    )
    assert "Reopened by" in page and "please check" in page and 'name="q-A1"' in page
    again = client.post(url, {"reason": "twice"})
    assert "Only a submitted survey can be reopened." in again.content.decode()


# --- what is due next -------------------------------------------------------------------------


def test_an_open_survey_is_due_for_members_until_submitted(tenant_a, open_wave):
    items = [i for i in due_next(team=tenant_a.team, user=tenant_a.member) if "gap" in i.title]
    assert [(i.title, i.due, i.url) for i in items] == [
        (
            "Complete the follow-up gap analysis",
            open_wave.due_on,
            form_url(tenant_a.team, open_wave),
        )
    ]
    assert "Not started yet: 5 questions" in items[0].detail
    assert not [i for i in due_next(team=tenant_a.team, user=tenant_a.coach) if "gap" in i.title]
    home = reverse("teams:detail", kwargs={"team_id": tenant_a.team.public_id})
    assert (
        "Complete the follow-up gap analysis"
        in client_for(tenant_a.member).get(home).content.decode()
    )
    client_for(tenant_a.lead).post(
        form_url(tenant_a.team, open_wave), post_body(COMPLETE, action="submit")
    )
    assert not [i for i in due_next(team=tenant_a.team, user=tenant_a.member) if "gap" in i.title]
    assert "Complete the follow-up" not in client_for(tenant_a.member).get(home).content.decode()
