"""A team's measures: the overview, the monthly grid, review, one measure's chart with
its settings and history, the team's choices. Thin: parse, call a selector or a
service, render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from core import clock
from core.emails import emailed_sentence
from core.forms import apply_validation_error
from core.http import get_or_404, require
from core.panels import TEAM_MEASURE_PAGE, render_panels
from teams.selectors import TeamAccess, team_and_access_or_404
from teams.timeline import team_timeline

from .. import services
from ..analysis import Settings, analyse_series
from ..forms import (
    ChartOptionsForm,
    ChartSettingsForm,
    ChooseMeasuresForm,
    MeasureForm,
    PeriodDataForm,
    ReviewForm,
    SharingForm,
    initial_from,
)
from ..models import SubmissionStatus
from ..period_review import reviewed_measures
from ..periods import has_started, started_periods
from ..presenters import (
    annotations_for,
    goal_words,
    signal_key,
    spc_chart_for,
    team_chart_cards,
)
from ..selectors import (
    benchmark_consent_of,
    current_data_points,
    custom_measures_of,
    data_point_get,
    deleted_data_points,
    measure_history,
    oldest_open_period,
    period_data_points,
    period_get,
    periods_of,
    point_words,
    previous_period,
    submission_of,
    team_measure_get,
    team_measure_rows,
    team_period_statuses,
    team_series,
)
from ..validation import entry_field
from ._common import chart_options_html, chart_settings_html, scale_choice

ENTER_REFUSED = "Only the team's members (and program staff) enter the team's data."


def _team_url(name: str, team, **kwargs) -> str:
    return reverse(f"measures:{name}", kwargs={"team_id": team.public_id, **kwargs})


@login_required
def team_home(request: HttpRequest, team_id) -> HttpResponse:
    """The team's measures: where entry opens, every period's status, and a small chart
    of each measure with its signals in words."""
    team, access = team_and_access_or_404(user=request.user, team_id=team_id)
    rows = team_measure_rows(team=team)
    measures = [r.measure for r in rows]
    statuses = team_period_statuses(team=team, frequencies={m.frequency for m in measures})
    scale = scale_choice(request, anchor="team-charts")
    cards = team_chart_cards(team=team, rows=rows, shared_scale=scale["shared"])
    started = [s for s in statuses if s.is_open]
    return render(
        request,
        "measures/team_home.html",
        {
            "team": team,
            "access": access,
            "cards": cards,
            "scale": scale,
            "signal_key": signal_key(card["chart"] for card in cards),
            "open_status": oldest_open_period(statuses) if measures else None,
            "statuses": list(reversed(started)),
            "late": [s for s in started if s.is_overdue],
            "shows_name": benchmark_consent_of(team=team),
            "sharing_form": SharingForm(initial={"show_name": benchmark_consent_of(team=team)}),
            "current": "overview",
        },
    )


def _grid_measures(team, period):
    return [r for r in team_measure_rows(team=team) if r.measure.frequency == period.frequency]


def _initial(rows, points, submission) -> dict:
    initial = {}
    for row in rows:
        point = points.get(row.measure.pk)
        if point is None:
            continue
        for name in ("numerator", "denominator", "value", "note"):
            value = getattr(point, name)
            if value is not None and value != "":
                if name != "note":
                    value = f"{value.normalize():f}"
                initial[entry_field(row.measure, name)] = value
    if submission is not None:
        for name in services.NARRATIVE_FIELDS:
            initial[name] = getattr(submission, name)
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def period_entry(request: HttpRequest, team_id, period_id) -> HttpResponse:
    """The grid of one period: every measure of the team's set with its numbers and a
    note, and the monthly narrative; save as a draft, or save and submit."""
    team, access = team_and_access_or_404(user=request.user, team_id=team_id)
    period = get_or_404(period_get, collaborative=team.collaborative, period_id=period_id)
    rows = _grid_measures(team, period)
    submission = submission_of(team=team, period=period)
    status_value = submission.status if submission else SubmissionStatus.NOT_STARTED
    handed_in = submission is not None and submission.is_handed_in
    started = has_started(period)
    editable = (
        access.can_enter_data
        and started
        and not team.collaborative.is_read_only
        and (not handed_in or access.can_edit_handed_in)
    )
    reviewing = _reviews_it(
        access,
        started=started,
        form_wanted=editable
        and (not handed_in or request.method == "POST" or "correct" in request.GET),
    )
    points = period_data_points(team=team, period=period)
    previous = previous_period(period=period)
    previous_points = period_data_points(team=team, period=previous) if previous else {}
    measures = [r.measure for r in rows]
    form = PeriodDataForm(
        request.POST if request.method == "POST" else None,
        measures=measures,
        initial=_initial(rows, points, submission),
    )
    if request.method == "POST":
        require(access.can_enter_data, ENTER_REFUSED)
        if not editable:
            messages.error(
                request,
                f"{period.label} is closed to changes"
                + (": ask your coach to return it." if handed_in else "."),
            )
            return redirect(_team_url("period", team, period_id=period.public_id))
        if form.is_valid():
            submit = "submit" in request.POST
            try:
                result = services.period_save(
                    team=team,
                    period=period,
                    actor=request.user,
                    entries=form.entries,
                    narrative={k: form.cleaned_data[k] for k in services.NARRATIVE_FIELDS},
                    submit=submit,
                    team_set=[(r.measure, r.requirement) for r in rows],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                if result.submitted:
                    messages.success(request, _submitted_message(period, result.emailed))
                    return redirect(_team_url("team_measures", team))
                messages.success(request, f"Draft of {period.label} saved.")
                return redirect(_team_url("period", team, period_id=period.public_id))
    statuses = team_period_statuses(team=team, frequencies={period.frequency})
    this = next(s for s in statuses if s.period.pk == period.pk)
    return render(
        request,
        "measures/period.html",
        {
            "team": team,
            "access": access,
            "period": period,
            "rows": [
                {
                    "row": r,
                    "fields": form.number_fields(r.measure),
                    "note": form.note_field(r.measure),
                    "point": points.get(r.measure.pk),
                    "previous": point_words(previous_points.get(r.measure.pk)),
                }
                for r in rows
            ],
            "form": form,
            "submission": submission,
            "status_value": status_value,
            "status_label": SubmissionStatus(status_value).label,
            "is_late": this.is_late,
            "period_status": this,
            "editable": editable,
            "started": started,
            "can_submit": this.has_ended,
            "submit_rule": this.submit_rule,
            "review_form": ReviewForm() if access.can_review else None,
            "can_review_now": access.can_review
            and submission is not None
            and submission.status in (SubmissionStatus.SUBMITTED, SubmissionStatus.REVIEWED),
            "next_open": oldest_open_period(statuses),
            "previous_period": previous,
            "reviewing": reviewing,
            "review": reviewed_measures(team=team, period=period, rows=rows) if reviewing else None,
            "current": "enter",
        },
    )


def _reviews_it(access: TeamAccess, *, started: bool, form_wanted: bool) -> bool:
    """Whether the period page shows the review (each measure with the months before and
    its chart) instead of the team's grid or table: for the team's coaches and program
    staff who are not its members, once the period has started. Staff entering the
    team's data, or correcting a handed-in period (?correct), get the grid."""
    return started and access.can_review and not access.speaks_as_team and not form_wanted


def _submitted_message(period, emailed) -> str:
    """Who was told of the submission (the e-mails the service queued), never more."""
    sentence = emailed_sentence(emailed, whose="Your")
    if sentence:
        return f"{period.label} is submitted. {sentence[:-1]} to review it."
    return (
        f"{period.label} is submitted. No one was e-mailed because no coach is assigned to "
        "your team yet: ask program staff to assign one."
    )


@login_required
@require_POST
def period_review(request: HttpRequest, team_id, period_id) -> HttpResponse:
    """The coach marks a submitted period reviewed, or returns it with a comment."""
    team, access = team_and_access_or_404(user=request.user, team_id=team_id)
    period = get_or_404(period_get, collaborative=team.collaborative, period_id=period_id)
    require(access.can_review, "Only the team's coaches and program staff review its data.")
    submission = submission_of(team=team, period=period)
    form = ReviewForm(request.POST)
    if submission is None:
        messages.error(request, f"{team.name} has not submitted {period.label} yet.")
    elif form.is_valid():
        try:
            reviewed = services.submission_review(
                submission=submission,
                actor=request.user,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            if form.cleaned_data["decision"] == "returned":
                done = f"{period.label} returned to {team.name} with your comment."
            else:
                done = f"{period.label} of {team.name} marked as reviewed."
            told = emailed_sentence(reviewed.emailed) or (
                "No one was e-mailed: the team has no lead or data contact yet."
            )
            messages.success(request, f"{done} {told}")
    else:
        messages.error(request, "Choose whether to mark it reviewed or return it.")
    return redirect(_team_url("period", team, period_id=period.public_id))


@login_required
def team_measure(request: HttpRequest, team_id, measure_id) -> HttpResponse:
    """One measure: the chart (run chart by default, control chart on request), the
    signals in words, the annotations of PDSA cycles and notes, the definition."""
    team, access = team_and_access_or_404(user=request.user, team_id=team_id)
    row = get_or_404(team_measure_get, team=team, measure_id=measure_id)
    measure = row.measure
    chosen = ChartOptionsForm(request.GET or None).chosen()
    settings = Settings.from_team_measure(row.settings, **chosen)
    periods = periods_of(collaborative=team.collaborative, frequency=measure.frequency)
    series = team_series(team=team, measure=measure, periods=periods)
    analysis = analyse_series(series, settings)
    events = []
    if len(analysis.series):
        events = team_timeline(
            team=team, first=analysis.series.starts[0], last=clock.today(), measure_id=measure.pk
        )
    annotations = annotations_for(analysis, events)
    chart = spc_chart_for(
        analysis, title=f"{measure.short_name}, {team.name}", annotations=annotations
    )
    started = started_periods(periods)
    settings_form = None
    if access.can_edit_chart:
        settings_form = chart_settings_html(
            initial=ChartSettingsForm.initial_for(row.settings), periods=started
        )
    options_initial = {
        "chart": settings.chart_type,
        "rollup": settings.rollup,
        "rules": settings.rules,
    }
    return render(
        request,
        "measures/team_measure.html",
        {
            "team": team,
            "access": access,
            "row": row,
            "measure": measure,
            "analysis": analysis,
            "chart": chart,
            "annotations": annotations,
            "panels": render_panels(TEAM_MEASURE_PAGE, request=request, team=team, measure=measure),
            "options": chart_options_html(**options_initial),
            "settings_form": settings_form,
            "goal": goal_words(measure),
            "control_url": "?" + urlencode({**options_initial, "chart": "control"}),
            "current": "overview",
        },
    )


@login_required
@require_POST
def chart_settings(request: HttpRequest, team_id, measure_id) -> HttpResponse:
    """Save the team's chart: default chart, baseline, phases (team and coach)."""
    team, access = team_and_access_or_404(user=request.user, team_id=team_id)
    row = get_or_404(team_measure_get, team=team, measure_id=measure_id)
    require(access.can_edit_chart, "Only the team and its coaches set the baseline and phases.")
    periods = started_periods(
        periods_of(collaborative=team.collaborative, frequency=row.measure.frequency)
    )
    form = ChartSettingsForm(request.POST, periods=periods)
    if form.is_valid():
        try:
            services.chart_settings_update(
                team=team,
                measure=row.measure,
                actor=request.user,
                chart_type=form.cleaned_data["chart_type"],
                baseline_end=form.cleaned_data.get("baseline_end"),
                phases=form.phases(),
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, "Chart settings saved.")
    else:
        messages.error(
            request,
            "Check the chart settings: "
            + " ".join(str(e) for errors in form.errors.values() for e in errors),
        )
    return redirect(_team_url("team_measure", team, measure_id=row.measure.public_id))


@login_required
def history_page(request: HttpRequest, team_id, measure_id) -> HttpResponse:
    """Every change of the team's values of one measure (who, when, before and after),
    the current values (delete), and the deleted ones (restore, staff)."""
    team, access = team_and_access_or_404(user=request.user, team_id=team_id)
    row = get_or_404(team_measure_get, team=team, measure_id=measure_id)
    current = current_data_points(team=team, measure=row.measure)
    return render(
        request,
        "measures/history.html",
        {
            "team": team,
            "access": access,
            "measure": row.measure,
            "revisions": measure_history(team=team, measure=row.measure),
            "current_points": current,
            "deleted": deleted_data_points(team=team, measure=row.measure),
            "current": "overview",
        },
    )


@login_required
@require_POST
def data_point_delete(request: HttpRequest, team_id, data_point_id) -> HttpResponse:
    team, access = team_and_access_or_404(user=request.user, team_id=team_id)
    point = get_or_404(data_point_get, team=team, data_point_id=data_point_id)
    require(access.can_enter_data, ENTER_REFUSED)
    try:
        services.data_point_delete(data_point=point, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            f"The value of {point.period.label} was deleted. Program staff can restore it.",
        )
    return redirect(_team_url("measure_history", team, measure_id=point.measure.public_id))


@login_required
@require_POST
def data_point_restore(request: HttpRequest, team_id, data_point_id) -> HttpResponse:
    team, access = team_and_access_or_404(user=request.user, team_id=team_id)
    point = get_or_404(data_point_get, team=team, data_point_id=data_point_id)
    require(access.can_restore, "Only program staff restore deleted values.")
    services.data_point_restore(data_point=point, actor=request.user)
    messages.success(request, f"The value of {point.period.label} is back.")
    return redirect(_team_url("measure_history", team, measure_id=point.measure.public_id))


@login_required
@require_http_methods(["GET", "POST"])
def team_choose(request: HttpRequest, team_id) -> HttpResponse:
    """The team chooses its optional measures and its own ones (lead, staff)."""
    team, access = team_and_access_or_404(user=request.user, team_id=team_id)
    rows = team_measure_rows(team=team, include_unselected=True)
    choosable = [r for r in rows if r.requirement != "required"]
    selected = [
        str(r.measure.public_id) for r in choosable if r.settings and r.settings.is_selected
    ]
    form = ChooseMeasuresForm(
        request.POST if request.method == "POST" else None,
        choices=[
            (str(r.measure.public_id), f"{r.measure} ({r.requirement_label.lower()})")
            for r in choosable
        ],
        initial={"measures": selected},
    )
    if request.method == "POST":
        require(
            access.can_choose_measures, "The team lead (or program staff) chooses the measures."
        )
        if form.is_valid():
            wanted = set(form.cleaned_data["measures"])
            services.team_measures_choose(
                team=team,
                actor=request.user,
                selected=[r.measure for r in choosable if str(r.measure.public_id) in wanted],
            )
            messages.success(request, "Your team's measures are saved.")
            return redirect(_team_url("team_measures", team))
    return render(
        request,
        "measures/choose.html",
        {
            "team": team,
            "access": access,
            "form": form,
            "required": [r for r in rows if r.requirement == "required"],
            "has_choices": bool(choosable),
            "custom": custom_measures_of(team=team),
            "current": "overview",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def custom_measure_create(request: HttpRequest, team_id) -> HttpResponse:
    """The team adds its own measure (the team's editors, staff)."""
    team, access = team_and_access_or_404(user=request.user, team_id=team_id)
    require(access.can_enter_data, "Only the team's members add its own measures.")
    form = MeasureForm(request.POST or None, custom=True)
    if request.method == "POST" and form.is_valid():
        try:
            measure = services.custom_measure_create(
                team=team, actor=request.user, **form.measure_fields()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"{measure.name} is one of your team's measures now.")
            return redirect(_team_url("team_measure", team, measure_id=measure.public_id))
    return render(
        request,
        "measures/measure_form.html",
        {"team": team, "form": form, "creating": True, "custom": True, "access": access},
    )


@login_required
@require_http_methods(["GET", "POST"])
def custom_measure_edit(request: HttpRequest, team_id, measure_id) -> HttpResponse:
    team, access = team_and_access_or_404(user=request.user, team_id=team_id)
    measure = get_or_404(custom_measures_of(team=team).get, public_id=measure_id)
    require(access.can_enter_data, "Only the team's members edit its own measures.")
    form = MeasureForm(request.POST or None, custom=True, initial=initial_from(measure))
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_update(measure=measure, actor=request.user, **form.measure_fields())
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"{measure.name} saved.")
            return redirect(_team_url("team_measure", team, measure_id=measure.public_id))
    return render(
        request,
        "measures/measure_form.html",
        {
            "team": team,
            "form": form,
            "creating": False,
            "custom": True,
            "measure": measure,
            "access": access,
        },
    )


@login_required
@require_POST
def team_sharing(request: HttpRequest, team_id) -> HttpResponse:
    """The lead chooses whether other teams see the team's name in comparisons."""
    team, access = team_and_access_or_404(user=request.user, team_id=team_id)
    require(access.can_choose_measures, "The team lead (or program staff) decides this.")
    form = SharingForm(request.POST)
    form.is_valid()
    show = bool(form.cleaned_data.get("show_name"))
    services.benchmark_consent_set(team=team, actor=request.user, show_name=show)
    messages.success(
        request,
        "Other teams now see your team's name in comparisons."
        if show
        else "Other teams now see your team without its name.",
    )
    return redirect(_team_url("team_measures", team))
