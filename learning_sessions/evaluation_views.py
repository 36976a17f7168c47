"""Evaluation pages: staff's form editor, the participant's evaluation of an event, and
the results (per event and per collaborative) with their CSV and XLSX exports.

Who sees what: anyone who may see the collaborative reaches these URLs (others get
404); the editor is for program staff, the results for staff and coaches (coaches
without the free-text comments, exports for staff), 403 for everyone else. Results
never show names. All pages work without JavaScript.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import apply_validation_error
from core.http import get_or_404, require
from core.spreadsheets import csv_streaming_response, xlsx_response

from . import evaluations as ev
from .evaluation_forms import AnswerForm, IntroForm, QuestionForm
from .evaluation_results import (
    collaborative_evaluation_summary,
    evaluated_events,
    evaluation_summary,
    export_table,
)
from .selectors import collaborative_or_404, event_or_404

EDIT_REFUSED = "Program staff keep the collaborative's evaluation form."
RESULTS_REFUSED = "Evaluation results are for program staff and coaches."
EXPORT_REFUSED = "Exports of evaluation results, with the comments, are for program staff."


def _editor_url(collaborative) -> str:
    return reverse(
        "learning_sessions:evaluation_form", kwargs={"collaborative_id": collaborative.public_id}
    )


def _editable_collaborative(request: HttpRequest, collaborative_id):
    collaborative = collaborative_or_404(user=request.user, collaborative_id=collaborative_id)
    require(ev.can_edit_form(user=request.user, collaborative=collaborative), EDIT_REFUSED)
    return collaborative


def _question(request: HttpRequest, collaborative_id, question_id):
    collaborative = _editable_collaborative(request, collaborative_id)
    question = get_or_404(ev.question_get, collaborative=collaborative, question_id=question_id)
    return collaborative, question


# --- the form editor (program staff) ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_form(request: HttpRequest, collaborative_id) -> HttpResponse:
    """The questions in order, retired ones below, the introduction, and a new question."""
    collaborative = _editable_collaborative(request, collaborative_id)
    form = ev.form_of(collaborative=collaborative)
    intro_form = IntroForm(request.POST or None, initial={"intro": form.intro if form else ""})
    if request.method == "POST" and intro_form.is_valid():
        try:
            ev.form_update_intro(
                collaborative=collaborative,
                actor=request.user,
                intro=intro_form.cleaned_data["intro"],
            )
        except ValidationError as error:
            apply_validation_error(intro_form, error)
        else:
            messages.success(request, "The introduction is saved.")
            return redirect(_editor_url(collaborative))
    return _editor_page(request, collaborative, intro_form=intro_form)


def _editor_page(request, collaborative, *, intro_form=None, question_form=None, status=200):
    questions = list(ev.questions_of(collaborative=collaborative))
    asked = [q for q in questions if q.is_active]
    form = ev.form_of(collaborative=collaborative)
    return render(
        request,
        "learning_sessions/evaluation_form.html",
        {
            "collaborative": collaborative,
            "intro_form": intro_form or IntroForm(initial={"intro": form.intro if form else ""}),
            "question_form": question_form or QuestionForm(),
            "asked": asked,
            "retired": [q for q in questions if not q.is_active],
            "defaults": ev.DEFAULT_QUESTIONS,
            "max_questions": ev.MAX_QUESTIONS,
            "has_room": len(asked) < ev.MAX_QUESTIONS,
        },
        status=status,
    )


@login_required
@require_POST
def evaluation_defaults(request: HttpRequest, collaborative_id) -> HttpResponse:
    collaborative = _editable_collaborative(request, collaborative_id)
    try:
        ev.form_add_defaults(collaborative=collaborative, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The recommended questions are on the form; edit them freely.")
    return redirect(_editor_url(collaborative))


@login_required
@require_POST
def evaluation_question_add(request: HttpRequest, collaborative_id) -> HttpResponse:
    collaborative = _editable_collaborative(request, collaborative_id)
    question_form = QuestionForm(request.POST)
    if question_form.is_valid():
        try:
            ev.question_add(
                collaborative=collaborative, actor=request.user, **question_form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(question_form, error)
        else:
            messages.success(request, "The question is added at the end of the form.")
            return redirect(_editor_url(collaborative) + "#questions")
    return _editor_page(request, collaborative, question_form=question_form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_question_edit(request: HttpRequest, collaborative_id, question_id) -> HttpResponse:
    collaborative, question = _question(request, collaborative_id, question_id)
    form = QuestionForm(request.POST or None, initial=QuestionForm.initial_for(question))
    if request.method == "POST" and form.is_valid():
        try:
            ev.question_update(question=question, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "The question is saved.")
            return redirect(_editor_url(collaborative) + "#questions")
    return render(
        request,
        "learning_sessions/evaluation_question_form.html",
        {"collaborative": collaborative, "question": question, "form": form},
    )


@login_required
@require_POST
def evaluation_question_move(request: HttpRequest, collaborative_id, question_id) -> HttpResponse:
    collaborative, question = _question(request, collaborative_id, question_id)
    try:
        ev.question_move(
            question=question, actor=request.user, up=request.POST.get("direction") == "up"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_editor_url(collaborative) + "#questions")


@login_required
@require_POST
def evaluation_question_remove(request: HttpRequest, collaborative_id, question_id) -> HttpResponse:
    collaborative, question = _question(request, collaborative_id, question_id)
    outcome = ev.question_remove(question=question, actor=request.user)
    if outcome == ev.RemoveOutcome.RETIRED:
        messages.success(
            request, "The question is retired: no longer asked, and kept in past results."
        )
    else:
        messages.success(request, "The question is deleted (nobody had answered it).")
    return redirect(_editor_url(collaborative) + "#questions")


@login_required
@require_POST
def evaluation_question_restore(
    request: HttpRequest, collaborative_id, question_id
) -> HttpResponse:
    collaborative, question = _question(request, collaborative_id, question_id)
    try:
        ev.question_restore(question=question, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The question is asked again, at the end of the form.")
    return redirect(_editor_url(collaborative) + "#questions")


# --- answering (participants who attended) ---------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def event_evaluation(request: HttpRequest, event_id) -> HttpResponse:
    """The evaluation form for someone who attended; a clear message for anyone else."""
    event = event_or_404(user=request.user, event_id=event_id)
    questions = ev.asked_questions(collaborative=event.collaborative)
    standing = ev.standing_of(event=event, user=request.user, questions=questions)
    form = None
    status = 200
    if standing == ev.Standing.TO_DO:
        form = AnswerForm(request.POST or None, questions=questions)
        if request.method == "POST":
            if form.is_valid():
                try:
                    ev.response_submit(event=event, user=request.user, raw=form.raw_answers())
                except ValidationError as error:
                    apply_validation_error(form, error)
                else:
                    messages.success(request, "Thank you: your evaluation is received.")
                    return redirect(
                        reverse(
                            "learning_sessions:event_evaluation",
                            kwargs={"event_id": event.public_id},
                        )
                    )
            status = 400
    elif request.method == "POST":
        status = 409 if standing == ev.Standing.DONE else 403
    form_record = ev.form_of(collaborative=event.collaborative)
    return render(
        request,
        "learning_sessions/event_evaluation.html",
        {
            "event": event,
            "collaborative": event.collaborative,
            "standing": standing.value,
            "form": form,
            "intro": form_record.intro if form_record else "",
            "already_received": ev.ALREADY_RECEIVED,
        },
        status=status,
    )


# --- results (staff and coaches; exports for staff) ------------------------------------------


@login_required
def event_evaluation_results(request: HttpRequest, event_id) -> HttpResponse:
    event = event_or_404(user=request.user, event_id=event_id)
    collaborative = event.collaborative
    require(ev.can_read_results(user=request.user, collaborative=collaborative), RESULTS_REFUSED)
    return render(
        request,
        "learning_sessions/evaluation_results.html",
        {
            "event": event,
            "collaborative": collaborative,
            "summary": evaluation_summary(event=event),
            "show_comments": ev.can_read_comments(user=request.user, collaborative=collaborative),
        },
    )


@login_required
def collaborative_evaluation_results(request: HttpRequest, collaborative_id) -> HttpResponse:
    collaborative = collaborative_or_404(user=request.user, collaborative_id=collaborative_id)
    require(ev.can_read_results(user=request.user, collaborative=collaborative), RESULTS_REFUSED)
    return render(
        request,
        "learning_sessions/evaluation_summary.html",
        {
            "collaborative": collaborative,
            "summary": collaborative_evaluation_summary(collaborative=collaborative),
            "show_comments": ev.can_read_comments(user=request.user, collaborative=collaborative),
            "can_edit": ev.can_edit_form(user=request.user, collaborative=collaborative),
        },
    )


def _export(collaborative, events, *, filename: str, as_xlsx: bool) -> HttpResponse:
    header, rows = export_table(collaborative=collaborative, events=events)
    if as_xlsx:
        response = xlsx_response(
            filename=f"{filename}.xlsx", header=header, rows=rows, sheet_title="Evaluations"
        )
    else:
        response = csv_streaming_response(filename=f"{filename}.csv", header=header, rows=rows)
    response["Cache-Control"] = "private, no-store"
    return response


def _event_export(request: HttpRequest, event_id, *, as_xlsx: bool) -> HttpResponse:
    event = event_or_404(user=request.user, event_id=event_id)
    collaborative = event.collaborative
    require(ev.can_read_comments(user=request.user, collaborative=collaborative), EXPORT_REFUSED)
    name = f"evaluations-{slugify(event.title)[:40] or 'event'}-{event.starts_at:%Y-%m-%d}"
    return _export(collaborative, [event], filename=name, as_xlsx=as_xlsx)


def _collaborative_export(request: HttpRequest, collaborative_id, *, as_xlsx: bool):
    collaborative = collaborative_or_404(user=request.user, collaborative_id=collaborative_id)
    require(ev.can_read_comments(user=request.user, collaborative=collaborative), EXPORT_REFUSED)
    events = evaluated_events(collaborative=collaborative)
    name = f"evaluations-{slugify(collaborative.title)[:40] or 'collaborative'}"
    return _export(collaborative, events, filename=name, as_xlsx=as_xlsx)


@login_required
def event_evaluation_csv(request: HttpRequest, event_id) -> HttpResponse:
    return _event_export(request, event_id, as_xlsx=False)


@login_required
def event_evaluation_xlsx(request: HttpRequest, event_id) -> HttpResponse:
    return _event_export(request, event_id, as_xlsx=True)


@login_required
def collaborative_evaluation_csv(request: HttpRequest, collaborative_id) -> HttpResponse:
    return _collaborative_export(request, collaborative_id, as_xlsx=False)


@login_required
def collaborative_evaluation_xlsx(request: HttpRequest, collaborative_id) -> HttpResponse:
    return _collaborative_export(request, collaborative_id, as_xlsx=True)
