"""A team's surveys: the list, the form (drafts, autosave, submit), the gap report and its
PDF, and reopening by staff.

The form is an ordinary HTML form: "Save draft" and "Submit" work without
JavaScript. With static/js/assessments.js the page also saves each change in the
background (a fetch POST of the changed question, with the CSRF token) and the
view answers in JSON. Every answer is checked by the service; one bad answer
saves nothing, and each problem is shown at its question.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html

from core import clock
from core.charts.distribution import BarRow, StripPoint, StripRow, score_distribution_chart
from core.charts.distribution import section_comparison_chart as bar_chart
from core.emails import emailed_sentence
from core.forms import apply_validation_error
from core.timezones import format_local
from teams.models import Team
from teams.selectors import team_access, team_or_404

from .. import services
from ..definition import (
    IMPACTS,
    MULTI,
    NA,
    NA_VALUE,
    NONE_VALUE,
    NUMBER,
    PERCENT,
    QUESTION_TYPES,
    RawAnswer,
    answer_words,
    format_points,
    is_scored,
    question_max_points,
    questions_by_key,
    section_progress,
    visibility,
)
from ..forms import ReopenForm
from ..models import SurveyResponse, SurveyWave
from ..pdf import render_pdf
from ..scoring import HIDDEN, MET, NOT_APPLICABLE, NOT_MET, PARTIAL, UNANSWERED
from ..selectors import (
    GapReport,
    answer_rows,
    gap_report,
    response_for,
    responses_visible_to,
    survey_access,
    survey_due,
    team_survey_rows,
    typed_answers,
    wave_state,
    waves_visible_to,
)

STATUS_WORDS = {
    MET: "Met",
    PARTIAL: "Partly met",
    NOT_MET: "Not met",
    UNANSWERED: "Not answered",
    NOT_APPLICABLE: "Not applicable",
    HIDDEN: "Not asked",
}


def _team_wave(request: HttpRequest, team_id, wave_id) -> tuple[Team, SurveyWave]:
    team = team_or_404(user=request.user, team_id=team_id)
    wave = get_object_or_404(
        waves_visible_to(user=request.user).filter(
            program_id=team.program_id, collaborative_id=team.collaborative_id
        ),
        public_id=wave_id,
    )
    return team, wave


#: How "Last changed by ..., <when>" writes the time, on the page and after an autosave.
EDITED_FORMAT = "j F, H:i"


@login_required
def team_surveys(request: HttpRequest, team_id) -> HttpResponse:
    """The team's gap analyses: each wave with its state, the team's progress and score."""
    team = team_or_404(user=request.user, team_id=team_id)
    return render(
        request,
        "assessments/team_surveys.html",
        {
            "team": team,
            "rows": team_survey_rows(team=team),
            "access": team_access(user=request.user, team=team),
        },
    )


# --- the form -------------------------------------------------------------------------------


def _raw_from_post(post, only: set[str] | None) -> dict[str, RawAnswer]:
    """Every question the form sent (`q-KEY` values, `q-KEY-na`, `q-KEY-present`).

    Keys the template does not know are passed on, so that the service reports them.
    """
    keys: set[str] = set()
    for name in post:
        if not name.startswith("q-"):
            continue
        key = name[2:]
        for suffix in ("-na", "-present"):
            if key.endswith(suffix) and key[: -len(suffix)]:
                key = key[: -len(suffix)]
                break
        keys.add(key)
    if only is not None:
        keys &= only
    return {
        key: RawAnswer(values=post.getlist(f"q-{key}"), na=post.get(f"q-{key}-na") == "1")
        for key in sorted(keys)
    }


def _form_values(question: dict, answer: Any) -> dict[str, Any]:
    """What the inputs show: selected option keys / the typed text, and the N/A box."""
    if answer is NA:
        return {"selected": [NA_VALUE], "text": "", "na": True}
    if answer is None:
        return {"selected": [], "text": "", "na": False}
    if question["type"] == MULTI:
        return {"selected": list(answer) or [NONE_VALUE], "text": "", "na": False}
    if question["type"] in (NUMBER, PERCENT):
        return {"selected": [], "text": format_points(answer), "na": False}
    return {"selected": [str(answer)], "text": str(answer), "na": False}


def _posted_values(post, key: str) -> dict[str, Any]:
    values = post.getlist(f"q-{key}")
    return {
        "selected": values,
        "text": values[0] if values else "",
        "na": post.get(f"q-{key}-na") == "1" or NA_VALUE in values,
    }


def _question_cards(
    definition: dict,
    answers: dict,
    rows: dict,
    *,
    errors: dict[str, str] | None = None,
    post=None,
) -> list[dict]:
    shown = visibility(definition, answers)
    questions = questions_by_key(definition)
    errors = errors or {}
    sections = []
    for section in definition.get("sections", []):
        cards = []
        for question in section["questions"]:
            key = question["key"]
            row = rows.get(key)
            condition = question.get("show_if")
            condition_words = ""
            if condition:
                parent = questions[condition["question"]]
                labels = (
                    {"yes": "Yes", "no": "No"}
                    if parent["type"] == "yes_no"
                    else {o["key"]: o["label"] for o in parent.get("options", [])}
                )
                wanted = " or ".join(f"“{labels.get(v, v)}”" for v in condition["any_of"])
                condition_words = f"Asked when {parent['key']} is {wanted}."
            values = (
                _posted_values(post, key)
                if post is not None and f"q-{key}-present" in post
                else _form_values(question, answers.get(key))
            )
            cards.append(
                {
                    "q": question,
                    "key": key,
                    "type_label": QUESTION_TYPES.get(question["type"]),
                    "scored": is_scored(question),
                    "points": format_points(question_max_points(question)),
                    "options": [
                        {**o, "points_text": format_points(o.get("points"))}
                        for o in question.get("options", [])
                    ],
                    "values": values,
                    "answer_words": answer_words(question, answers.get(key)),
                    "shown": shown.get(key, True),
                    "condition": condition,
                    "condition_words": condition_words,
                    "error": errors.get(key, ""),
                    "editor": row.updated_by.display_name if row and row.updated_by else "",
                    "edited_at": format_local(row.updated_at, EDITED_FORMAT) if row else "",
                }
            )
        sections.append({"s": section, "cards": cards})
    return sections


def _progress_json(definition: dict, answers: dict) -> list[dict]:
    return [
        {"key": p["key"], "answered": p["answered"], "shown": p["shown"]}
        for p in section_progress(definition, answers)
    ]


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
def response_form(request: HttpRequest, team_id, wave_id) -> HttpResponse:
    """Fill in the team's survey for a wave (members), or read it (coaches, staff)."""
    team, wave = _team_wave(request, team_id, wave_id)
    response = response_for(team=team, wave=wave)
    access = survey_access(user=request.user, team=team, wave=wave, response=response)
    template = response.template if response else wave.template
    definition = template.definition
    errors: dict[str, str] = {}
    top_errors: list[str] = []
    post = None
    if request.method == "POST":
        if not access.team_access.is_member:
            raise PermissionDenied("Only the team's members fill in the survey.")
        submit = request.POST.get("action") == "submit"
        only = request.POST.get("only")
        since = parse_datetime(request.POST.get("since", "") or "")
        try:
            outcome = services.response_save(
                team=team,
                wave=wave,
                actor=request.user,
                raw=_raw_from_post(
                    request.POST, {k for k in only.split(",") if k} if only is not None else None
                ),
                submit=submit,
                since=since,
            )
        except ValidationError as error:
            known = questions_by_key(definition)
            for key, messages_ in error.message_dict.items():
                if key in known:
                    errors[key] = " ".join(messages_)
                else:
                    top_errors.extend(
                        messages_ if key == "__all__" else [f"{key}: {m}" for m in messages_]
                    )
            if _wants_json(request):
                return JsonResponse(
                    {"ok": False, "errors": errors, "messages": top_errors}, status=400
                )
            post = request.POST
        else:
            # Written in the viewer's zone, as the page writes it after a reload.
            saved_at = clock.now()
            conflicts = [
                f"{key}: someone else changed this answer after you opened the page; "
                "their answer was kept."
                for key in outcome.conflicts
            ]
            if _wants_json(request):
                answers = typed_answers(definition, answer_rows(response=outcome.response).values())
                return JsonResponse(
                    {
                        "ok": True,
                        "saved_at": format_local(saved_at, "H:i"),
                        "edited_at": format_local(saved_at, EDITED_FORMAT),
                        "changed": outcome.changed,
                        "conflicts": conflicts,
                        "editor": request.user.display_name,
                        "progress": _progress_json(definition, answers),
                        "visible": visibility(definition, answers),
                    }
                )
            for conflict in conflicts:
                messages.warning(request, conflict)
            if outcome.submitted:
                messages.success(
                    request,
                    f"Submitted. Your team's score is {format_points(outcome.response.score)} "
                    "out of 100. Here is your gap report.",
                )
                return redirect(
                    "assessments:response_report", response_id=outcome.response.public_id
                )
            messages.success(request, f"Draft saved at {format_local(saved_at, 'H:i')}.")
            return redirect("assessments:response_form", team_id=team_id, wave_id=wave_id)
    rows = answer_rows(response=response)
    answers = typed_answers(definition, rows.values())
    progress = section_progress(definition, answers)
    due = survey_due(wave=wave, team=team, response=response)
    return render(
        request,
        "assessments/response_form.html",
        {
            "team": team,
            "wave": wave,
            "template": template,
            "response": response,
            "access": access,
            "sections": _question_cards(definition, answers, rows, errors=errors, post=post),
            "progress": progress,
            "answered": sum(p["answered"] for p in progress),
            "shown": sum(p["shown"] for p in progress),
            "errors": errors,
            "top_errors": top_errors,
            "since": clock.now().isoformat(),
            "state": wave_state(wave, due_on=due.due_on),
            "due": due,
            "na_value": NA_VALUE,
            "none_value": NONE_VALUE,
        },
        status=400 if (errors or top_errors) else 200,
    )


# --- the gap report -----------------------------------------------------------------------------


def _visible_response(request: HttpRequest, response_id) -> SurveyResponse:
    return get_object_or_404(responses_visible_to(user=request.user), public_id=response_id)


def report_context(request: HttpRequest, response: SurveyResponse) -> dict[str, Any]:
    """What the page and the PDF show: the report, its two charts and their words."""
    report: GapReport = gap_report(response=response, user=request.user)
    access = team_access(user=request.user, team=response.team)
    mine = "Your team" if access.is_member else response.team.name
    distribution = None
    if report.score is not None:
        points = [
            StripPoint(value=r.score)
            for r in report.summary.submitted
            if r.team.pk != response.team_id
        ]
        points.append(StripPoint(value=report.score, highlight=True))
        distribution = score_distribution_chart(
            [StripRow(label=response.wave.get_kind_display(), points=points)],
            title=f"{mine} among the collaborative's teams",
            highlight_label=mine,
        )
    earlier_label = report.earlier.wave.get_kind_display() if report.earlier is not None else ""
    sections_chart = bar_chart(
        [BarRow(s.title, s.score, s.median, s.earlier) for s in report.sections],
        title="Score per section",
        value_label=mine,
        earlier_label=earlier_label,
    )
    return {
        "report": report,
        "response": response,
        "team": response.team,
        "wave": response.wave,
        "collaborative": response.collaborative,
        "distribution": distribution,
        "sections_chart": sections_chart,
        "earlier_label": earlier_label,
        "status_words": STATUS_WORDS,
        "impacts": IMPACTS,
        "access": access,
        "mine": mine,
    }


@login_required
def response_report(request: HttpRequest, response_id) -> HttpResponse:
    """The team's gap report: score, sections against the median, gaps by lost points."""
    response = _visible_response(request, response_id)
    context = report_context(request, response)
    context["reopen_form"] = ReopenForm() if context["access"].is_staff else None
    return render(request, "assessments/report.html", context)


@login_required
def response_pdf(request: HttpRequest, response_id) -> HttpResponse:
    """The same gap report as a PDF (WeasyPrint), to share with leadership."""
    response = _visible_response(request, response_id)
    context = report_context(request, response)
    pdf = render_pdf(
        "assessments/report_pdf.html", context, base_url=request.build_absolute_uri("/")
    )
    result = HttpResponse(pdf, content_type="application/pdf")
    name = f"gap-report-{response.wave.kind}-{response.team.public_id}.pdf"
    result["Content-Disposition"] = f'inline; filename="{name}"'
    return result


def _reopened_message(response) -> str:
    """Who was told why (the e-mails the service queued), never more; with no lead to
    tell, say so and link to where staff invite one."""
    done = f"The survey of {response.team.name} is open again."
    sentence = emailed_sentence(response.emailed)
    if sentence:
        return f"{done} {sentence[:-1]} with your reason."
    invite = reverse("teams:members", kwargs={"team_id": response.team.public_id}) + "#invite"
    return format_html(
        '{} No one was e-mailed because the team has no lead yet: <a href="{}">invite a lead</a>.',
        done,
        invite,
    )


@login_required
def response_reopen(request: HttpRequest, response_id) -> HttpResponse:
    """Staff reopen a submitted survey, with a reason the team's leads receive."""
    response = _visible_response(request, response_id)
    access = team_access(user=request.user, team=response.team)
    if not access.is_staff:
        raise PermissionDenied("Only program staff reopen a submitted survey.")
    form = ReopenForm(request.POST or None, initial={"due_on": services.reopen_default_due()})
    if request.method == "POST" and form.is_valid():
        try:
            reopened = services.response_reopen(
                response=response,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                due_on=form.cleaned_data["due_on"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _reopened_message(reopened))
            return redirect("assessments:response_report", response_id=response_id)
    return render(
        request,
        "assessments/reopen.html",
        {"form": form, "response": response, "team": response.team, "wave": response.wave},
        status=400 if form.errors else 200,
    )
