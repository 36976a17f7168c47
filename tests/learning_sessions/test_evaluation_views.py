"""Evaluation pages for every persona: the form editor, the evaluation page (attended or
not, twice, required answers kept), results, exports (opened and checked), escaping."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from learning_sessions import evaluations as ev
from learning_sessions.models import EvaluationQuestion, EvaluationResponse

from .evaluation_helpers import answers, attend, default_form, past_event, post_data

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script>'


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def c_url(name, tenant, **extra) -> str:
    return reverse(
        f"learning_sessions:{name}",
        kwargs={"collaborative_id": tenant.collaborative.public_id, **extra},
    )


def e_url(name, event) -> str:
    return reverse(f"learning_sessions:{name}", kwargs={"event_id": event.public_id})


def q_url(name, tenant, question) -> str:
    return c_url(name, tenant, question_id=question.public_id)


# --- the form editor --------------------------------------------------------------------------


def test_staff_start_from_the_recommended_questions_and_edit_them(tenant_a):
    client = client_for(tenant_a.staff)
    page = client.get(c_url("evaluation_form", tenant_a)).content.decode()
    assert "Use the recommended questions" in page
    assert "commercial bias" in page
    client.post(c_url("evaluation_defaults", tenant_a))
    page = client.get(c_url("evaluation_form", tenant_a)).content.decode()
    assert "Questions asked (5 of at most 20)" in page
    assert "Use the recommended questions" not in page

    response = client.post(
        c_url("evaluation_question_add", tenant_a),
        {"prompt": "Would you recommend it?", "kind": "rating", "required": "on"},
    )
    assert response.status_code == 302
    asked = ev.asked_questions(collaborative=tenant_a.collaborative)
    assert asked[-1].prompt == "Would you recommend it?" and asked[-1].required

    last = asked[-1]
    client.post(q_url("evaluation_question_move", tenant_a, last), {"direction": "up"})
    assert ev.asked_questions(collaborative=tenant_a.collaborative)[-2].pk == last.pk
    response = client.post(
        q_url("evaluation_question_edit", tenant_a, last),
        {"prompt": "Would you recommend it to a colleague?", "kind": "rating"},
    )
    assert response.status_code == 302
    last.refresh_from_db()
    assert last.prompt == "Would you recommend it to a colleague?" and not last.required

    client.post(q_url("evaluation_question_remove", tenant_a, last))
    assert not EvaluationQuestion.objects.filter(pk=last.pk).exists()

    client.post(c_url("evaluation_form", tenant_a), {"intro": "Two minutes, please."})
    assert ev.form_of(collaborative=tenant_a.collaborative).intro == "Two minutes, please."


def test_the_editor_keeps_what_was_typed_when_it_refuses(tenant_a):
    client = client_for(tenant_a.staff)
    response = client.post(
        c_url("evaluation_question_add", tenant_a), {"prompt": "x" * 301, "kind": "rating"}
    )
    assert response.status_code == 400
    assert "x" * 301 in response.content.decode()
    assert "at most 300 characters" in response.content.decode()
    response = client.post(c_url("evaluation_question_add", tenant_a), {"prompt": "Q", "kind": "?"})
    assert response.status_code == 400
    assert not EvaluationQuestion.objects.filter(is_active=True).exists()


def test_an_answered_question_offers_retire_and_refuses_new_wording(tenant_a):
    questions = default_form(tenant_a)
    event = past_event(tenant_a)
    attend(event, tenant_a.member)
    ev.response_submit(event=event, user=tenant_a.member, raw=answers(questions, 5, 5, 5))
    client = client_for(tenant_a.staff)
    page = client.get(c_url("evaluation_form", tenant_a)).content.decode()
    assert "Retire" in page
    response = client.post(
        q_url("evaluation_question_edit", tenant_a, questions[0]),
        {"prompt": "Other words", "kind": "rating", "required": "on"},
    )
    assert response.status_code == 200
    assert "Retire it and add a new question" in response.content.decode()
    assert "Other words" in response.content.decode()  # kept on the page
    client.post(q_url("evaluation_question_remove", tenant_a, questions[0]))
    page = client.get(c_url("evaluation_form", tenant_a)).content.decode()
    assert "Retired questions" in page and "Ask again" in page
    client.post(q_url("evaluation_question_restore", tenant_a, questions[0]))
    questions[0].refresh_from_db()
    assert questions[0].is_active


@pytest.mark.parametrize("persona", ["coach", "lead", "member"])
def test_only_staff_edit_the_form(persona, tenant_a):
    questions = default_form(tenant_a)
    client = client_for(getattr(tenant_a, persona))
    assert client.get(c_url("evaluation_form", tenant_a)).status_code == 403
    assert client.post(c_url("evaluation_defaults", tenant_a)).status_code == 403
    data = {"prompt": "Sneaky", "kind": "text"}
    assert client.post(c_url("evaluation_question_add", tenant_a), data).status_code == 403
    for name in ("evaluation_question_remove", "evaluation_question_move"):
        assert client.post(q_url(name, tenant_a, questions[0])).status_code == 403
    assert client.get(q_url("evaluation_question_edit", tenant_a, questions[0])).status_code == 403
    assert EvaluationQuestion.objects.filter(is_active=True).count() == 5


def test_another_programs_question_is_not_found(tenant_a, tenant_b):
    theirs = default_form(tenant_b)[0]
    client = client_for(tenant_a.staff)
    for name in ("evaluation_question_edit",):
        assert client.get(q_url(name, tenant_a, theirs)).status_code == 404
    for name in ("evaluation_question_remove", "evaluation_question_move"):
        assert client.post(q_url(name, tenant_a, theirs)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active
    assert client.get(c_url("evaluation_form", tenant_b)).status_code == 404


# --- the evaluation page ----------------------------------------------------------------------


def test_someone_who_attended_evaluates_once(tenant_a):
    questions = default_form(tenant_a)
    event = past_event(tenant_a)
    attend(event, tenant_a.member)
    client = client_for(tenant_a.member)
    detail = client.get(e_url("event_detail", event)).content.decode()
    assert "Evaluation:</span> to do" in detail
    page = client.get(e_url("event_evaluation", event)).content.decode()
    assert "<fieldset" in page and "<legend" in page
    assert 'type="radio"' in page and "5 – Strongly agree" in page
    assert "cannot change it afterwards" in page
    response = client.post(
        e_url("event_evaluation", event), post_data(questions, 5, 4, 3, texts=("Audit", ""))
    )
    assert response.status_code == 302
    assert ev.evaluation_done(event=event, user=tenant_a.member)
    detail = client.get(e_url("event_detail", event)).content.decode()
    assert "Evaluation:</span> done" in detail
    page = client.get(e_url("event_evaluation", event))
    assert "already received" in page.content.decode()
    assert '<form method="post" class="usa-form' not in page.content.decode()
    again = client.post(e_url("event_evaluation", event), post_data(questions, 1, 1, 1))
    assert again.status_code == 409
    assert "already received" in again.content.decode()
    assert EvaluationResponse.objects.filter(event=event).count() == 1


def test_someone_who_did_not_attend_gets_a_message_not_the_form(tenant_a):
    questions = default_form(tenant_a)
    event = past_event(tenant_a)
    client = client_for(tenant_a.member)
    page = client.get(e_url("event_evaluation", event)).content.decode()
    assert "no record of your attendance" in page
    assert 'type="radio"' not in page
    response = client.post(e_url("event_evaluation", event), post_data(questions, 5, 5, 5))
    assert response.status_code == 403
    assert not EvaluationResponse.objects.filter(event=event).exists()
    assert "Evaluation:" not in client.get(e_url("event_detail", event)).content.decode()


def test_required_answers_are_enforced_and_what_was_typed_stays(tenant_a):
    questions = default_form(tenant_a)
    event = past_event(tenant_a)
    attend(event, tenant_a.member)
    client = client_for(tenant_a.member)
    data = post_data(questions, 5, None, 3, texts=("My typed plan", ""))
    response = client.post(e_url("event_evaluation", event), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "This question needs an answer." in page
    assert "My typed plan" in page
    first = questions[0].pk
    assert f'value="5" id="id_q{first}_4" required checked' in page  # the rating stays chosen
    too_long = post_data(questions, 5, 4, 3, texts=("y" * 5001, ""))
    response = client.post(e_url("event_evaluation", event), too_long)
    assert response.status_code == 400
    assert "at most 5000 characters" in response.content.decode()
    out_of_scale = post_data(questions, 9, 4, 3)
    response = client.post(e_url("event_evaluation", event), out_of_scale)
    assert response.status_code == 400
    assert not EvaluationResponse.objects.filter(event=event).exists()


def test_the_evaluation_waits_for_the_start(tenant_a):
    from .conftest import make_event

    default_form(tenant_a)
    future = make_event(tenant_a, days=3)
    attend(future, tenant_a.member)
    page = client_for(tenant_a.member).get(e_url("event_evaluation", future)).content.decode()
    assert "opens when the event starts" in page


def test_other_programs_and_strangers_get_404(tenant_a, tenant_b, plain_user):
    default_form(tenant_a)
    event = past_event(tenant_a)
    for user in (tenant_b.staff, tenant_b.member, plain_user):
        client = client_for(user)
        for name in (
            "event_evaluation",
            "event_evaluation_results",
            "event_evaluation_csv",
            "event_evaluation_xlsx",
        ):
            assert client.get(e_url(name, event)).status_code == 404
        for name in (
            "collaborative_evaluation_results",
            "collaborative_evaluation_csv",
            "collaborative_evaluation_xlsx",
            "evaluation_form",
        ):
            assert client.get(c_url(name, tenant_a)).status_code == 404


# --- results and exports ------------------------------------------------------------------------


def _with_answers(tenant_a):
    questions = default_form(tenant_a)
    event = past_event(tenant_a, title="Sepsis huddle")
    attend(event, tenant_a.member, tenant_a.lead, tenant_a.coach)
    ev.response_submit(
        event=event, user=tenant_a.member, raw=answers(questions, 5, 4, 5, texts=(SCRIPT, ""))
    )
    ev.response_submit(
        event=event,
        user=tenant_a.lead,
        raw=answers(questions, 3, 4, 5, texts=('=HYPERLINK("http://evil")', "+1 great")),
    )
    return questions, event


def test_staff_read_results_with_escaped_comments_and_no_names(tenant_a):
    questions, event = _with_answers(tenant_a)
    page = client_for(tenant_a.staff).get(e_url("event_evaluation_results", event))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Asked (attended)" in html and "67%" in html  # 2 of 3
    assert "mean <strong>4.00</strong>" in html  # (5+3)/2
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert tenant_a.member.full_name not in html and tenant_a.lead.full_name not in html
    assert "Download CSV" in html
    summary = client_for(tenant_a.staff).get(c_url("collaborative_evaluation_results", tenant_a))
    assert summary.status_code == 200
    assert "Sepsis huddle" in summary.content.decode()
    assert SCRIPT not in summary.content.decode()


def test_coaches_read_aggregates_without_comments_or_exports(tenant_a):
    questions, event = _with_answers(tenant_a)
    client = client_for(tenant_a.coach)
    html = client.get(e_url("event_evaluation_results", event)).content.decode()
    assert "mean <strong>4.00</strong>" in html
    assert "HYPERLINK" not in html and "alert" not in html
    assert "shown to program staff only" in html
    assert "Download CSV" not in html
    assert client.get(e_url("event_evaluation_csv", event)).status_code == 403
    assert client.get(c_url("collaborative_evaluation_xlsx", tenant_a)).status_code == 403
    assert client.get(c_url("collaborative_evaluation_results", tenant_a)).status_code == 200


@pytest.mark.parametrize("persona", ["lead", "member"])
def test_participants_cannot_see_results(persona, tenant_a):
    questions, event = _with_answers(tenant_a)
    client = client_for(getattr(tenant_a, persona))
    for name in ("event_evaluation_results", "event_evaluation_csv", "event_evaluation_xlsx"):
        assert client.get(e_url(name, event)).status_code == 403
    for name in ("collaborative_evaluation_results", "collaborative_evaluation_csv"):
        assert client.get(c_url(name, tenant_a)).status_code == 403
    assert "Evaluation results" not in client.get(e_url("event_detail", event)).content.decode()


def _csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))


def test_the_csv_export_is_anonymous_and_formula_safe(tenant_a):
    questions, event = _with_answers(tenant_a)
    response = client_for(tenant_a.staff).get(e_url("event_evaluation_csv", event))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "evaluations-sepsis-huddle-" in response["Content-Disposition"]
    rows = _csv_rows(response)
    assert rows[0][:5] == [
        "Event",
        "Event date",
        "Response",
        "Submitted on",
        "The session met its stated objectives. (1-5)",
    ]
    assert [r[2] for r in rows[1:]] == ["1", "2"]
    assert rows[1][4:] == ["5", "4", "5", SCRIPT, ""]
    assert rows[2][7] == '\'=HYPERLINK("http://evil")'  # shown as text, never run
    assert rows[2][8] == "'+1 great"
    body = repr(rows)
    assert tenant_a.member.email not in body and tenant_a.lead.full_name not in body


def test_the_xlsx_exports_are_anonymous_and_text_stays_text(tenant_a):
    questions, event = _with_answers(tenant_a)
    client = client_for(tenant_a.staff)
    for url in (
        e_url("event_evaluation_xlsx", event),
        c_url("collaborative_evaluation_xlsx", tenant_a),
    ):
        response = client.get(url)
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content))["Evaluations"]
        rows = [[c.value for c in row] for row in sheet.iter_rows()]
        assert rows[0][0] == "Event"
        mine = [r for r in rows[1:] if r[0] == "Sepsis huddle"]
        assert [r[4] for r in mine] == [5, 3]
        formula = next(
            c for row in sheet.iter_rows() for c in row if c.value and "HYPERLINK" in str(c.value)
        )
        assert formula.data_type == "s"
        assert SCRIPT in [r[7] for r in mine]
        assert tenant_a.member.full_name not in repr(rows)


def test_the_collaborative_csv_pools_every_evaluated_event(tenant_a):
    questions, event = _with_answers(tenant_a)
    rows = _csv_rows(
        client_for(tenant_a.staff).get(c_url("collaborative_evaluation_csv", tenant_a))
    )
    titles = [r[0] for r in rows[1:]]
    assert titles.count("Sepsis huddle") == 2
    # the tenant's earlier webinar answered a question since retired: its own column
    assert any(h.endswith("(retired)") for h in rows[0])


def test_staff_see_the_results_link_on_the_event_and_the_list(tenant_a):
    questions, event = _with_answers(tenant_a)
    client = client_for(tenant_a.staff)
    assert "Evaluation results" in client.get(e_url("event_detail", event)).content.decode()
    listing = client.get(
        reverse(
            "learning_sessions:event_list",
            kwargs={"collaborative_id": tenant_a.collaborative.public_id},
        )
    ).content.decode()
    assert "Evaluation form" in listing and "Evaluation results across events" in listing


def test_the_team_home_lists_the_pending_evaluation(tenant_a):
    default_form(tenant_a)
    event = past_event(tenant_a, title="Falls <b>huddle</b>")
    attend(event, tenant_a.member)
    home = reverse("teams:detail", kwargs={"team_id": tenant_a.team.public_id})
    page = client_for(tenant_a.member).get(home).content.decode()
    assert "Evaluate “Falls &lt;b&gt;huddle&lt;/b&gt;”" in page
    assert e_url("event_evaluation", event) in page
    # the lead did not attend: nothing to evaluate
    assert "Falls &lt;b&gt;huddle" not in client_for(tenant_a.lead).get(home).content.decode()
