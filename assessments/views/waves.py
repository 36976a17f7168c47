"""Collaborative-level survey pages: the waves, the score distribution, the CSV export.

A collaborative the person may not see answers 404; attaching and editing waves
and exporting every team's answers need program staff (403 otherwise); the
collaborative report is for staff and the program's coaches, who see every
team's score but only the names of the teams they may see.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.selectors import is_program_staff
from collaboratives.models import Collaborative
from collaboratives.selectors import collaboratives_visible_to
from core import clock
from core.charts import Chart
from core.charts.distribution import StripPoint, StripRow, score_distribution_chart
from core.forms import apply_validation_error
from core.spreadsheets import csv_response
from core.timezones import format_local
from teams.models import Team

from .. import services
from ..definition import answer_words, iter_questions, visibility
from ..forms import WaveEditForm, WaveForm
from ..models import Answer, SurveyResponse, SurveyTemplate, SurveyWave
from ..selectors import (
    WaveSummary,
    can_see_wave_report,
    collaborative_survey_overview,
    survey_due,
    team_survey_rows,
    typed_answers,
    wave_state,
    waves_of,
    waves_visible_to,
)


def _collaborative(request: HttpRequest, collaborative_id) -> Collaborative:
    return get_object_or_404(
        collaboratives_visible_to(user=request.user), public_id=collaborative_id
    )


def _wave(request: HttpRequest, wave_id) -> SurveyWave:
    return get_object_or_404(waves_visible_to(user=request.user), public_id=wave_id)


def _require_staff(request: HttpRequest, collaborative: Collaborative) -> None:
    if not is_program_staff(user=request.user, program=collaborative.program):
        raise PermissionDenied("Only program staff manage the collaborative's surveys.")


def distribution_chart(summaries: list[WaveSummary], *, named: bool = True) -> Chart | None:
    """The strip plot of submitted scores, one row per wave that has any."""
    rows = [
        StripRow(
            label=s.wave.get_kind_display(),
            points=[
                StripPoint(value=r.score, label=r.team.name if (named and r.named) else "")
                for r in s.submitted
            ],
        )
        for s in summaries
        if s.submitted
    ]
    if not rows:
        return None
    return score_distribution_chart(rows, title="Team scores per survey")


@login_required
def collaborative_surveys(request: HttpRequest, collaborative_id) -> HttpResponse:
    """The collaborative's surveys: for staff and coaches every wave's distribution,
    section medians and who has not submitted; for team members their own surveys."""
    collaborative = _collaborative(request, collaborative_id)
    is_staff = is_program_staff(user=request.user, program=collaborative.program)
    sees_report = can_see_wave_report(user=request.user, collaborative=collaborative)
    waves = waves_of(collaborative=collaborative)
    summaries = (
        collaborative_survey_overview(collaborative=collaborative, user=request.user, waves=waves)
        if sees_report
        else []
    )
    my_teams = [
        (team, team_survey_rows(team=team))
        for team in Team.objects.filter(
            program_id=collaborative.program_id,
            collaborative=collaborative,
            memberships__user=request.user,
            memberships__is_active=True,
        )
    ]
    today = clock.today()
    return render(
        request,
        "assessments/collaborative_surveys.html",
        {
            "collaborative": collaborative,
            "waves": [(w, wave_state(w, today)) for w in waves],
            "summaries": summaries,
            "chart": distribution_chart(summaries) if sees_report else None,
            "is_staff": is_staff,
            "sees_report": sees_report,
            "my_teams": my_teams,
        },
    )


@login_required
def wave_create(request: HttpRequest, collaborative_id) -> HttpResponse:
    """Attach a published template to the collaborative as a baseline, midpoint or
    follow-up survey, with its dates."""
    collaborative = _collaborative(request, collaborative_id)
    _require_staff(request, collaborative)
    taken = {w.kind for w in waves_of(collaborative=collaborative)}
    initial = {
        "kind": next((k for k in ("baseline", "follow_up", "midpoint") if k not in taken), "")
    }
    if "baseline" not in taken and collaborative.start_date:
        initial.update({"opens_on": collaborative.start_date})
    form = WaveForm(request.POST or None, program=collaborative.program, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            wave = services.wave_create(
                collaborative=collaborative, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                f"The {wave.get_kind_display().lower()} survey is attached; teams see it from "
                f"{wave.opens_on:%-d %B %Y}.",
            )
            return redirect(
                "assessments:collaborative_surveys", collaborative_id=collaborative.public_id
            )
    return render(
        request,
        "assessments/wave_form.html",
        {"form": form, "collaborative": collaborative, "creating": True},
    )


@login_required
def wave_edit(request: HttpRequest, wave_id) -> HttpResponse:
    wave = _wave(request, wave_id)
    _require_staff(request, wave.collaborative)
    form = WaveEditForm(
        request.POST or None, initial={"opens_on": wave.opens_on, "due_on": wave.due_on}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.wave_update(wave=wave, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Dates saved.")
            return redirect("assessments:wave_report", wave_id=wave_id)
    return render(
        request,
        "assessments/wave_form.html",
        {"form": form, "collaborative": wave.collaborative, "wave": wave, "creating": False},
    )


@login_required
def wave_report(request: HttpRequest, wave_id) -> HttpResponse:
    """One wave across the collaborative: distribution, section medians, who is missing."""
    wave = _wave(request, wave_id)
    collaborative = wave.collaborative
    if not can_see_wave_report(user=request.user, collaborative=collaborative):
        raise PermissionDenied("The collaborative's survey report is for staff and coaches.")
    summaries = collaborative_survey_overview(
        collaborative=collaborative, user=request.user, waves=waves_of(collaborative=collaborative)
    )
    summary = next(s for s in summaries if s.wave.pk == wave.pk)
    earlier = [s for s in summaries if s.wave.order < wave.order and s.submitted]
    previous = earlier[-1] if earlier else None
    previous_medians = {s.key: s.median for s in previous.sections} if previous else {}
    sections = [
        {
            "key": s.key,
            "title": s.title,
            "median": s.median,
            "previous": previous_medians.get(s.key),
            "change": s.median - previous_medians[s.key]
            if s.median is not None and previous_medians.get(s.key) is not None
            else None,
        }
        for s in summary.sections
    ]
    return render(
        request,
        "assessments/wave_report.html",
        {
            "wave": wave,
            "collaborative": collaborative,
            "summary": summary,
            "sections": sections,
            "previous": previous,
            "chart": distribution_chart([summary]),
            "is_staff": is_program_staff(user=request.user, program=collaborative.program),
        },
    )


def _cell(question: dict | None, answer, shown: dict[str, bool]) -> str:
    if question is None:
        return ""
    if not shown.get(question["key"], True):
        return "Not asked"
    return answer_words(question, answer)


@login_required
def wave_csv(request: HttpRequest, wave_id) -> HttpResponse:
    """Every team's answers to the wave: one row per team, one column per question."""
    wave = _wave(request, wave_id)
    _require_staff(request, wave.collaborative)
    summaries = collaborative_survey_overview(
        collaborative=wave.collaborative, user=request.user, waves=[wave]
    )
    rows = summaries[0].rows
    # Teams that answered but are no longer active keep their row.
    responses = {r.team_id: r for r in (row.response for row in rows) if r is not None}
    extra = (
        SurveyResponse.objects.filter(program_id=wave.program_id, wave=wave)
        .exclude(team_id__in=[row.team.pk for row in rows])
        .select_related("team", "team__facility")
    )
    teams = [row.team for row in rows] + [r.team for r in extra]
    responses.update({r.team_id: r for r in extra})
    templates = {
        t.pk: t
        for t in SurveyTemplate.objects.filter(
            program_id=wave.program_id,
            pk__in={r.template_id for r in responses.values()} | {wave.template_id},
        )
    }
    answers_by_response: dict[int, list[Answer]] = {}
    for answer in Answer.objects.filter(
        program_id=wave.program_id, response__in=[r.pk for r in responses.values()]
    ):
        answers_by_response.setdefault(answer.response_id, []).append(answer)
    questions = [q for _, q in iter_questions(wave.template.definition)]
    section_keys = [s["key"] for s in wave.template.definition.get("sections", [])]
    header = [
        "Team",
        "Facility",
        "State",
        "Status",
        "Submitted",
        "Due",
        "Late",
        "Template version",
        "Score",
        *[f"Section {key} %" for key in section_keys],
        *[f"{q['key']} {q['text']}" for q in questions],
    ]
    rows = []
    today = clock.today()
    for team in teams:
        survey = responses.get(team.pk)
        due = survey_due(wave=wave, team=team, response=survey, today=today)
        if survey is None:
            rows.append(
                (
                    team.name,
                    team.facility.name,
                    team.facility.state,
                    "Not started",
                    "",
                    due.due_on.isoformat(),
                    "yes" if due.is_late else "no",
                )
            )
            continue
        template = templates[survey.template_id]
        definition = template.definition
        typed = typed_answers(definition, answers_by_response.get(survey.pk, []))
        by_key = {q["key"]: q for _, q in iter_questions(definition)}
        shown = visibility(definition, typed)
        sections = {s["key"]: s.get("score") for s in survey.section_scores or []}
        rows.append(
            [
                team.name,
                team.facility.name,
                team.facility.state,
                survey.get_status_display(),
                format_local(survey.submitted_at, "Y-m-d H:i"),
                due.due_on.isoformat(),
                "yes" if due.is_late else "no",
                template.version,
                survey.score if survey.score is not None else "",
                *[sections.get(key) or "" for key in section_keys],
                *[_cell(by_key.get(q["key"]), typed.get(q["key"]), shown) for q in questions],
            ]
        )
    return csv_response(
        filename=f"{wave.collaborative.slug}-{wave.kind}-responses-{clock.today()}.csv",
        header=header,
        rows=rows,
    )
