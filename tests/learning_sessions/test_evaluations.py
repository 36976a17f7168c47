"""Evaluations, below the pages: the form's rules, who is asked, answering once, the
results' arithmetic, and the selectors CE credit (issue 15) and the team home use."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import AuditEvent
from learning_sessions import evaluations as ev
from learning_sessions.evaluation_due import evaluations_due
from learning_sessions.evaluation_results import (
    collaborative_evaluation_summary,
    evaluation_summary,
    export_table,
)
from learning_sessions.models import EvaluationAnswer, EvaluationQuestion, EvaluationResponse
from teams.due import due_next

from .conftest import make_event
from .evaluation_helpers import answers, attend, default_form, past_event

pytestmark = pytest.mark.django_db


# --- the form ---------------------------------------------------------------------------------


def test_the_recommended_questions_cover_what_accreditors_ask(tenant_a):
    questions = default_form(tenant_a)
    prompts = " ".join(q.prompt.lower() for q in questions)
    for topic in ("objectives", "relevant to my practice", "commercial bias", "change"):
        assert topic in prompts
    assert [q.kind for q in questions] == ["rating", "rating", "rating", "text", "text"]
    assert [q.position for q in questions] == [1, 2, 3, 4, 5]
    with pytest.raises(ValidationError, match="already has questions"):
        default_form(tenant_a)
    assert AuditEvent.objects.filter(verb="evaluation_form.defaults_added").count() == 1


def test_adding_editing_and_moving_questions(tenant_a):
    c, staff = tenant_a.collaborative, tenant_a.staff
    first = ev.question_add(
        collaborative=c, actor=staff, kind="rating", prompt=" A ", required=True
    )
    second = ev.question_add(collaborative=c, actor=staff, kind="text", prompt="B", required=False)
    assert first.prompt == "A"
    ev.question_move(question=second, actor=staff, up=True)
    assert [q.prompt for q in ev.asked_questions(collaborative=c)] == ["B", "A"]
    ev.question_move(question=second, actor=staff, up=True)  # already first: nothing happens
    assert [q.prompt for q in ev.asked_questions(collaborative=c)] == ["B", "A"]
    ev.question_update(question=first, actor=staff, kind="text", prompt="A2", required=False)
    first.refresh_from_db()
    assert (first.kind, first.prompt, first.required) == ("text", "A2", False)
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"evaluation_question.added", "evaluation_question.moved"} <= verbs
    assert "evaluation_question.updated" in verbs


@pytest.mark.parametrize(
    ("prompt", "message"),
    [("", "Write the question."), ("   ", "Write the question."), ("x" * 301, "300 characters")],
)
def test_a_question_needs_words_within_the_limit(tenant_a, prompt, message):
    with pytest.raises(ValidationError, match=message):
        ev.question_add(
            collaborative=tenant_a.collaborative,
            actor=tenant_a.staff,
            kind="rating",
            prompt=prompt,
            required=True,
        )
    assert not EvaluationQuestion.objects.filter(is_active=True).exists()


def test_an_unknown_kind_is_refused(tenant_a):
    with pytest.raises(ValidationError, match="rating or a free-text"):
        ev.question_add(
            collaborative=tenant_a.collaborative,
            actor=tenant_a.staff,
            kind="essay",
            prompt="Q",
            required=True,
        )


def test_at_most_twenty_questions_are_asked(tenant_a):
    c = tenant_a.collaborative
    for n in range(ev.MAX_QUESTIONS):
        ev.question_add(
            collaborative=c, actor=tenant_a.staff, kind="text", prompt=f"Q{n}", required=False
        )
    with pytest.raises(ValidationError, match="at most 20"):
        ev.question_add(
            collaborative=c, actor=tenant_a.staff, kind="text", prompt="21", required=False
        )
    assert len(ev.asked_questions(collaborative=c)) == 20


def test_the_intro_has_a_limit(tenant_a):
    with pytest.raises(ValidationError, match="2000 characters"):
        ev.form_update_intro(
            collaborative=tenant_a.collaborative, actor=tenant_a.staff, intro="x" * 2001
        )
    form = ev.form_update_intro(
        collaborative=tenant_a.collaborative, actor=tenant_a.staff, intro="Thanks!"
    )
    assert form.intro == "Thanks!"


def test_an_answered_question_is_retired_not_deleted_and_keeps_its_wording(tenant_a):
    questions = default_form(tenant_a)
    event = past_event(tenant_a)
    attend(event, tenant_a.member)
    ev.response_submit(event=event, user=tenant_a.member, raw=answers(questions, 5, 4, 3))
    answered, unanswered = questions[0], questions[4]
    with pytest.raises(ValidationError, match="Retire it"):
        ev.question_update(
            question=answered,
            actor=tenant_a.staff,
            kind="rating",
            prompt="New words",
            required=True,
        )
    ev.question_update(  # making it optional is fine
        question=answered,
        actor=tenant_a.staff,
        kind="rating",
        prompt=answered.prompt,
        required=False,
    )
    assert ev.question_remove(question=answered, actor=tenant_a.staff) == ev.RemoveOutcome.RETIRED
    assert ev.question_remove(question=unanswered, actor=tenant_a.staff) == ev.RemoveOutcome.DELETED
    answered.refresh_from_db()
    assert not answered.is_active
    assert answered.prompt == questions[0].prompt
    assert not EvaluationQuestion.objects.filter(pk=unanswered.pk).exists()
    asked = ev.asked_questions(collaborative=tenant_a.collaborative)
    assert [q.position for q in asked] == [1, 2, 3]  # renumbered without gaps
    # past results keep the retired question and its answer
    summary = evaluation_summary(event=event)
    retired = next(r for r in summary.questions if r.question.pk == answered.pk)
    assert retired.count == 1 and retired.mean == Decimal("5.00")
    # and it can be asked again, at the end
    ev.question_restore(question=answered, actor=tenant_a.staff)
    assert ev.asked_questions(collaborative=tenant_a.collaborative)[-1].pk == answered.pk
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {
        "evaluation_question.retired",
        "evaluation_question.deleted",
        "evaluation_question.restored",
    } <= verbs


# --- who is asked, and answering --------------------------------------------------------------


def test_standing_follows_attendance_start_and_submission(tenant_a):
    member = tenant_a.member
    event = past_event(tenant_a)
    assert ev.standing_of(event=event, user=member) == ev.Standing.NO_FORM
    questions = default_form(tenant_a)
    assert ev.standing_of(event=event, user=member) == ev.Standing.NOT_ATTENDED
    future = make_event(tenant_a, days=3)
    attend(future, member)
    assert ev.standing_of(event=future, user=member) == ev.Standing.NOT_STARTED
    attend(event, member)
    assert ev.standing_of(event=event, user=member) == ev.Standing.TO_DO
    assert not ev.evaluation_done(event=event, user=member)
    ev.response_submit(event=event, user=member, raw=answers(questions, 4, 4, 4))
    assert ev.standing_of(event=event, user=member) == ev.Standing.DONE
    assert ev.evaluation_done(event=event, user=member)


def test_someone_who_did_not_attend_cannot_answer(tenant_a):
    questions = default_form(tenant_a)
    event = past_event(tenant_a)
    with pytest.raises(ValidationError, match="no record of your attendance"):
        ev.response_submit(event=event, user=tenant_a.member, raw=answers(questions, 5, 5, 5))
    assert not EvaluationResponse.objects.filter(event=event).exists()


def test_a_cancelled_or_future_event_is_not_evaluated(tenant_a):
    questions = default_form(tenant_a)
    cancelled = past_event(tenant_a, title="Cancelled")
    cancelled.is_cancelled = True
    cancelled.save()
    future = make_event(tenant_a, days=2)
    attend(cancelled, tenant_a.member)
    attend(future, tenant_a.member)
    with pytest.raises(ValidationError, match="cancelled"):
        ev.response_submit(event=cancelled, user=tenant_a.member, raw=answers(questions, 5, 5, 5))
    with pytest.raises(ValidationError, match="opens when the event starts"):
        ev.response_submit(event=future, user=tenant_a.member, raw=answers(questions, 5, 5, 5))
    assert not EvaluationResponse.objects.filter(event__in=[cancelled, future]).exists()


def test_an_evaluation_is_received_once(tenant_a):
    questions = default_form(tenant_a)
    event = past_event(tenant_a)
    attend(event, tenant_a.member)
    ev.response_submit(event=event, user=tenant_a.member, raw=answers(questions, 5, 4, 3))
    with pytest.raises(ValidationError, match="already received"):
        ev.response_submit(event=event, user=tenant_a.member, raw=answers(questions, 1, 1, 1))
    assert EvaluationResponse.objects.filter(event=event).count() == 1
    ratings = EvaluationAnswer.objects.filter(response__event=event).values_list(
        "rating", flat=True
    )
    assert sorted(ratings) == [3, 4, 5]
    audit = AuditEvent.objects.get(verb="evaluation.submitted")
    assert audit.actor == tenant_a.member and audit.data == {"answers": 3}


@pytest.mark.parametrize(
    ("ratings", "texts", "message"),
    [
        ((5, None, 3), (), "needs an answer"),
        ((5, 6, 3), (), "from 1 to 5"),
        ((5, 0, 3), (), "from 1 to 5"),
        ((5, "five", 3), (), "from 1 to 5"),
        ((5, 4, 3), ("x" * 5001,), "5,000 characters"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_saved(tenant_a, ratings, texts, message):
    questions = default_form(tenant_a)
    event = past_event(tenant_a)
    attend(event, tenant_a.member)
    with pytest.raises(ValidationError, match=message):
        ev.response_submit(
            event=event, user=tenant_a.member, raw=answers(questions, *ratings, texts=texts)
        )
    assert not EvaluationResponse.objects.filter(event=event).exists()
    assert not EvaluationAnswer.objects.filter(response__event=event).exists()


def test_optional_questions_may_stay_blank(tenant_a):
    questions = default_form(tenant_a)
    event = past_event(tenant_a)
    attend(event, tenant_a.member)
    ev.response_submit(
        event=event, user=tenant_a.member, raw=answers(questions, 2, 3, 4, texts=("", "  "))
    )
    assert (
        EvaluationAnswer.objects.filter(response__event=event).count() == 3
    )  # blank answers are not stored


def test_pending_evaluations_and_the_team_home(tenant_a, tenant_b):
    questions = default_form(tenant_a)
    member = tenant_a.member
    old = past_event(tenant_a, title="Old session", days=-9)
    recent = past_event(tenant_a, title="Recent session", days=-1)
    missed = past_event(tenant_a, title="Missed session", days=-3)
    future = make_event(tenant_a, days=4, title="Future session")
    attend(old, member)
    attend(recent, member)
    attend(future, member)
    assert missed not in ev.pending_evaluations(user=member)
    assert ev.pending_evaluations(user=member) == [old, recent]
    ev.response_submit(event=old, user=member, raw=answers(questions, 5, 5, 5))
    assert ev.pending_evaluations(user=member) == [recent]
    # the team home lists it, due two weeks after the event
    items = [i for i in due_next(team=tenant_a.team, user=member) if "Recent session" in i.title]
    assert len(items) == 1
    assert items[0].url == reverse(
        "learning_sessions:event_evaluation", kwargs={"event_id": recent.public_id}
    )
    assert items[0].due == (recent.ends_at + timedelta(days=14)).date()
    # another program's team home never lists tenant A's events
    assert not list(evaluations_due(team=tenant_b.team, user=member, access=None))


def test_no_form_means_nothing_pending(tenant_a):
    event = past_event(tenant_a)
    attend(event, tenant_a.member)
    assert ev.pending_evaluations(user=tenant_a.member) == []


# --- results --------------------------------------------------------------------------------


def _evaluated(tenant_a, tenant_b=None):
    """Four people attended; three answered with known ratings."""
    questions = default_form(tenant_a)
    event = past_event(tenant_a)
    people = [tenant_a.member, tenant_a.lead, tenant_a.coach, tenant_a.staff]
    attend(event, *people)
    ev.response_submit(
        event=event, user=people[0], raw=answers(questions, 5, 4, 5, texts=("Use the bundle", ""))
    )
    ev.response_submit(
        event=event, user=people[1], raw=answers(questions, 4, 4, 5, texts=("", "Great"))
    )
    ev.response_submit(
        event=event, user=people[2], raw=answers(questions, 2, None, 5) | {questions[1].pk: 1}
    )
    return questions, event


def test_the_summary_counts_means_and_distributions(tenant_a):
    questions, event = _evaluated(tenant_a)
    summary = evaluation_summary(event=event)
    assert (summary.asked, summary.answered) == (4, 3)
    assert summary.response_rate == Decimal("0.7500")
    assert summary.response_rate_percent == 75
    objectives, relevance, bias, change, comments = summary.questions
    assert objectives.count == 3 and objectives.mean == Decimal("3.67")  # (5+4+2)/3
    assert objectives.distribution == {1: 0, 2: 1, 3: 0, 4: 1, 5: 1}
    assert relevance.mean == Decimal("3.00")  # (4+4+1)/3
    assert bias.mean == Decimal("5.00") and bias.distribution[5] == 3
    assert change.comments == ["Use the bundle"] and change.mean is None
    assert comments.comments == ["Great"]
    assert [b[3] for b in objectives.bars] == [0, 33, 0, 33, 33]


def test_nobody_asked_has_no_rate(tenant_a):
    default_form(tenant_a)
    summary = evaluation_summary(event=past_event(tenant_a))
    assert (summary.asked, summary.answered, summary.response_rate) == (0, 0, None)
    assert all(r.count == 0 and r.mean is None for r in summary.questions)


def test_a_response_whose_attendance_was_removed_still_counts_as_asked(tenant_a):
    questions, event = _evaluated(tenant_a)
    event.attendances.filter(user=tenant_a.member).delete()
    summary = evaluation_summary(event=event)
    assert (summary.asked, summary.answered) == (4, 3)  # never above 100%


def test_the_collaborative_summary_pools_its_events(tenant_a):
    questions, first = _evaluated(tenant_a)
    second = past_event(tenant_a, title="Second", days=-1)
    attend(second, tenant_a.member, tenant_a.lead)
    ev.response_submit(event=second, user=tenant_a.member, raw=answers(questions, 1, 1, 1))
    make_event(tenant_a, days=5, title="Not yet")  # no attendance: not listed
    result = collaborative_evaluation_summary(collaborative=tenant_a.collaborative)
    # the tenant's own past webinar (tests/learning_sessions/tenant_builder.py) comes first
    assert [(r.event.title, r.asked, r.answered) for r in result.events] == [
        ("Alpha Program Past Webinar", 1, 1),
        ("Past webinar", 4, 3),
        ("Second", 2, 1),
    ]
    assert [r.response_rate_percent for r in result.events] == [100, 75, 50]
    assert (result.overall.asked, result.overall.answered) == (7, 5)
    assert result.overall.questions[0].mean == Decimal("3.00")  # (5+4+2+1)/4


def test_the_export_table_has_no_names_and_one_row_per_response(tenant_a):
    questions, event = _evaluated(tenant_a)
    header, rows = export_table(collaborative=tenant_a.collaborative, events=[event])
    rows = list(rows)
    assert header[:4] == ["Event", "Event date", "Response", "Submitted on"]
    assert header[4] == "The session met its stated objectives. (1-5)"
    assert [row[2] for row in rows] == [1, 2, 3]
    assert rows[0][4:] == [5, 4, 5, "Use the bundle", ""]
    flat = repr(header) + repr(rows)
    for person in (tenant_a.member, tenant_a.lead, tenant_a.coach):
        assert person.email not in flat and person.full_name not in flat


def test_results_readers(tenant_a, tenant_b):
    c = tenant_a.collaborative
    assert ev.can_read_results(user=tenant_a.staff, collaborative=c)
    assert ev.can_read_results(user=tenant_a.coach, collaborative=c)
    assert not ev.can_read_results(user=tenant_a.member, collaborative=c)
    assert not ev.can_read_results(user=tenant_a.lead, collaborative=c)
    assert not ev.can_read_results(user=tenant_b.coach, collaborative=c)
    assert ev.can_read_comments(user=tenant_a.staff, collaborative=c)
    assert not ev.can_read_comments(user=tenant_a.coach, collaborative=c)


def test_a_second_submission_racing_the_first_is_refused_cleanly(tenant_a, monkeypatch):
    """Both requests passed the 'not done yet' check; the unique constraint stops the
    second, which says it was already received and leaves no stray answers."""
    questions = default_form(tenant_a)
    event = past_event(tenant_a)
    attend(event, tenant_a.member)
    ev.response_submit(event=event, user=tenant_a.member, raw=answers(questions, 5, 5, 5))
    monkeypatch.setattr(ev, "standing_of", lambda **kwargs: ev.Standing.TO_DO)
    with pytest.raises(ValidationError, match="already received"):
        ev.response_submit(event=event, user=tenant_a.member, raw=answers(questions, 1, 1, 1))
    ratings = EvaluationAnswer.objects.filter(response__event=event).values_list(
        "rating", flat=True
    )
    assert sorted(ratings) == [5, 5, 5]


def test_someone_marked_absent_is_not_asked_nor_counted(tenant_a):
    """Staff's "absent" mark is an attendance row with present=False: it must not
    count as having attended (the evaluation is a credit gate)."""
    from learning_sessions.attendance import services as attendance_services

    default_form(tenant_a)
    event = past_event(tenant_a)
    attendance_services.roster_mark(
        event=event, actor=tenant_a.staff, person=tenant_a.member, present=False
    )
    assert ev.standing_of(event=event, user=tenant_a.member) == ev.Standing.NOT_ATTENDED
    assert event not in ev.pending_evaluations(user=tenant_a.member)
    assert evaluation_summary(event=event).asked == 0
