"""Cycle pages: the team's list, logging a test, filling in each stage, comments,
history, delete and restore. Thin: parse, call a selector or a service, render."""

from datetime import UTC, date, datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods, require_POST

from core import clock
from core.emails import emailed_sentence
from core.forms import apply_validation_error
from core.http import get_or_404, parse_uuid, require
from core.timezones import format_local
from measures.public import team_measure_charts
from teams.selectors import team_and_access_or_404, team_members

from .. import services
from ..forms import AttachmentForm, CommentForm, CycleFilterForm, CycleStageForm
from ..models import STAGE_ORDER, Cycle, Stage
from ..selectors import (
    CycleFilters,
    change_ideas_of,
    cycle_attachments,
    cycle_comments,
    cycle_get,
    cycle_list,
    cycle_revisions,
    cycles_of_team,
    deleted_cycles_of_team,
    linked_measures_of,
    removed_attachments,
    unread_receipts,
)
from ..stages import (
    FIELD_LABELS,
    MANY_FIELDS,
    STAGES,
    missing_fields_to_enter,
    missing_to_enter,
    next_stage,
    stage_label,
    stages_up_to,
)
from ._common import (
    EDIT_REFUSED,
    cycle_page_url,
    team_cycle_or_404,
    with_change_rows,
)

#: The stages shown in the step indicator.
STEP_LABELS = [STAGES[s].label for s in STAGE_ORDER]


def _measure_link(team, measure) -> dict:
    url = reverse(
        "measures:team_measure", kwargs={"team_id": team.public_id, "measure_id": measure.public_id}
    )
    return {"label": measure.name, "url": url}


def _stage_sections(cycle: Cycle, linked: list | None = None) -> list[dict]:
    """The stages the cycle reached, each with its filled-in fields, for reading.
    `linked`: the cycle's linked measures, when the caller has read them already."""
    sections = []
    if linked is None:
        linked = list(linked_measures_of(cycle=cycle))
    for stage in stages_up_to(cycle.stage):
        if stage == Stage.COMPLETE:
            continue
        rows = []
        for name in STAGES[stage].fields:
            if name in ("title", "change_idea"):
                continue
            if name == "linked_measures":
                rows.append(
                    {
                        "name": name,
                        "label": FIELD_LABELS[name],
                        "value": ", ".join(m.name for m in linked),
                        "links": [_measure_link(cycle.team, m) for m in linked],
                    }
                )
                continue
            value = getattr(cycle, name)
            if name in ("scale", "decision"):
                value = getattr(cycle, f"get_{name}_display")() if value else ""
            elif isinstance(value, date):
                value = date_format(value, "j F Y")
            rows.append({"name": name, "label": FIELD_LABELS[name], "value": value})
        sections.append(
            {"stage": stage, "label": stage_label(stage), "rows": rows, "spec": STAGES[stage]}
        )
    return sections


# --- list and create ---------------------------------------------------------------------


@login_required
def cycle_list_page(request: HttpRequest, team_id) -> HttpResponse:
    """All the team's cycles with filters; the member's unread comments on top."""
    team, access = team_and_access_or_404(user=request.user, team_id=team_id)
    form = CycleFilterForm(request.GET or None, team=team)
    filters = CycleFilters()
    if form.is_bound and form.is_valid():
        filters = CycleFilters(**form.cleaned_data)
    cycles = list(cycle_list(team=team, user=request.user, filters=filters)[:200])
    return render(
        request,
        "pdsa/cycle_list.html",
        {
            "team": team,
            "access": access,
            "form": form,
            "cycles": cycles,
            "filtered": any(filters.__dict__.values()),
            "has_ideas": change_ideas_of(team=team, include_retired=False).exists(),
            "unread": list(unread_receipts(user=request.user, team=team)[:20]),
            "current": "cycles",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def cycle_create(request: HttpRequest, team_id) -> HttpResponse:
    """Log a test of change: the Plan stage. `?builds_on=` starts the next cycle of a ramp."""
    team, access = team_and_access_or_404(user=request.user, team_id=team_id)
    require(access.can_edit_cycles, EDIT_REFUSED)
    initial: dict = {"plan_date": clock.today()}
    builds_on = parse_uuid(request.GET.get("builds_on"))
    if builds_on:
        previous = cycles_of_team(team=team).filter(public_id=builds_on).first()
        if previous is not None:
            initial.update(
                builds_on=previous,
                change_idea=previous.change_idea,
                title=f"{previous.title} (next test)",
            )
    idea = parse_uuid(request.GET.get("change_idea"))
    if idea and "change_idea" not in initial:
        initial["change_idea"] = change_ideas_of(team=team).filter(public_id=idea).first()
    form = CycleStageForm(request.POST or None, team=team, stage=Stage.PLAN, initial=initial)
    if request.method == "POST" and form.is_valid():
        advance = request.POST.get("action") == "advance"
        values = form.changed_values()
        try:
            cycle = services.cycle_create(
                team=team,
                actor=request.user,
                values=values,
                advance_to=Stage.DO if advance else None,
            )
        except ValidationError as error:
            if advance and _is_missing_only(error):
                cycle = _save_draft_then_explain(request, form, team, values)
                if cycle is not None:
                    return redirect(cycle_page_url(team, cycle, "cycle_edit") + "?stage=plan")
            else:
                apply_validation_error(form, error)
        else:
            if advance:
                messages.success(
                    request,
                    "Plan saved and the cycle moved to Do. Run the test, then fill in what "
                    "happened.",
                )
            else:
                messages.success(request, "Draft saved. You can come back to it at any time.")
            return redirect(cycle_page_url(team, cycle))
    return render(
        request,
        "pdsa/cycle_form.html",
        {
            "team": team,
            "access": access,
            "form": form,
            "cycle": None,
            "stage": Stage.PLAN,
            "spec": STAGES[Stage.PLAN],
            "next_label": stage_label(Stage.DO),
            "steps": STEP_LABELS,
            "step_current": 1,
            "has_ideas": change_ideas_of(team=team, include_retired=False).exists(),
            "current": "cycles",
        },
    )


def _is_missing_only(error: ValidationError) -> bool:
    return hasattr(error, "error_dict") and set(error.error_dict) == {"stage"}


def _save_draft_then_explain(request, form, team, values) -> Cycle | None:
    """Moving on failed for missing fields: keep the text as a draft, say what is missing."""
    try:
        cycle = services.cycle_create(team=team, actor=request.user, values=values)
    except ValidationError as error:
        apply_validation_error(form, error)
        return None
    missing = missing_to_enter(cycle, Stage.DO)
    messages.warning(
        request,
        "Your plan was saved as a draft. To move to Do, first fill in: "
        + "; ".join(", ".join(labels).lower() for labels in missing.values())
        + ".",
    )
    return cycle


# --- one cycle ---------------------------------------------------------------------------


@login_required
def cycle_detail(request: HttpRequest, team_id, cycle_id) -> HttpResponse:
    """The whole cycle: stages, comments, attachments. Opening it reads its comments."""
    team, access, cycle = team_cycle_or_404(request, team_id, cycle_id)
    comments = list(cycle_comments(cycle=cycle, user=request.user))
    # A page view writes only when it has something to mark: most views of a cycle find
    # nothing unread, and an UPDATE on every GET cost a write per view under load.
    if any(comment.is_unread for comment in comments):
        services.comments_mark_read(cycle=cycle, user=request.user)
    following = next_stage(cycle.stage)
    linked = list(linked_measures_of(cycle=cycle))
    return render(
        request,
        "pdsa/cycle_detail.html",
        {
            "team": team,
            "access": access,
            "cycle": cycle,
            "sections": _stage_sections(cycle, linked),
            "steps": STEP_LABELS,
            "step_current": cycle.stage_index + 1,
            "next_label": stage_label(following) if following else "",
            "missing_next": missing_to_enter(cycle, following) if following else {},
            "comments": comments,
            "comment_form": CommentForm(cycle=cycle) if access.can_comment else None,
            "attachments": cycle_attachments(cycle=cycle),
            "removed_attachments": removed_attachments(cycle=cycle) if access.can_restore else (),
            "measure_cards": _measure_cards(team, linked),
            "attachment_form": AttachmentForm() if access.can_edit_cycles else None,
            "can_delete": access.can_delete_cycle(cycle),
            "next_cycles": cycles_of_team(team=team).filter(builds_on=cycle),
            "current": "cycles",
        },
    )


def _editing_stage(request: HttpRequest, cycle: Cycle) -> str:
    """The stage whose fields the form shows: the current one, or an earlier one asked for."""
    asked = request.POST.get("editing_stage") or request.GET.get("stage") or ""
    reached = [s for s in stages_up_to(cycle.stage) if s != Stage.COMPLETE]
    if asked in reached:
        return asked
    return reached[-1]


def _initial(cycle: Cycle, stage: str) -> dict:
    return {
        name: list(linked_measures_of(cycle=cycle)) if name in MANY_FIELDS else getattr(cycle, name)
        for name in STAGES[stage].fields
    }


def _measure_cards(team, linked_measures: list) -> list[dict]:
    """A small chart of each measure the cycle links, with its signals (the team's
    own chart settings), so the result is read beside the data."""
    return team_measure_charts(team=team, measure_ids={m.pk for m in linked_measures})


@login_required
@require_http_methods(["GET", "POST"])
def cycle_edit(request: HttpRequest, team_id, cycle_id) -> HttpResponse:
    """Fill in one stage. "Save draft" keeps the text; "Save and move on" also moves the
    cycle to the next stage when the required fields are filled. Autosave (JS) posts
    here with `X-Autosave: 1` and gets JSON back."""
    team, access, cycle = team_cycle_or_404(request, team_id, cycle_id)
    require(access.can_edit_cycles, EDIT_REFUSED)
    stage = _editing_stage(request, cycle)
    autosave = request.headers.get("X-Autosave") == "1"
    form = CycleStageForm(
        request.POST or None, team=team, stage=stage, cycle=cycle, initial=_initial(cycle, stage)
    )
    if request.method == "POST":
        if not form.is_valid():
            if autosave:
                return JsonResponse({"saved": False, "errors": form.errors}, status=400)
        else:
            target = next_stage(cycle.stage) if request.POST.get("action") == "advance" else None
            values = form.changed_values()
            try:
                cycle = services.cycle_update(
                    cycle=cycle,
                    actor=request.user,
                    values=values,
                    advance_to=target,
                    autosave=autosave,
                )
            except ValidationError as error:
                if autosave:
                    return JsonResponse(
                        {"saved": False, "errors": error.message_dict}
                        if hasattr(error, "error_dict")
                        else {"saved": False, "errors": {"__all__": error.messages}},
                        status=400,
                    )
                if target and _is_missing_only(error):
                    _draft_and_mark_missing(request, form, cycle, values, target)
                else:
                    apply_validation_error(form, error)
            else:
                if autosave:
                    return JsonResponse(
                        {
                            "saved": True,
                            "saved_at": cycle.updated_at.isoformat(),
                            # The viewer's zone, labelled: what the page says after a reload.
                            "saved_at_time": format_local(cycle.updated_at, "H:i"),
                            "version": server_version(cycle),
                            "stage": cycle.stage,
                        }
                    )
                if target:
                    messages.success(request, _moved_message(cycle))
                    return redirect(cycle_page_url(team, cycle))
                messages.success(request, "Draft saved.")
                return redirect(cycle_page_url(team, cycle, "cycle_edit") + f"?stage={stage}")
    following = next_stage(cycle.stage)
    return render(
        request,
        "pdsa/cycle_form.html",
        {
            "team": team,
            "access": access,
            "form": form,
            "cycle": cycle,
            "stage": stage,
            "spec": STAGES[stage],
            "is_current_stage": stage == cycle.stage,
            "server_version": server_version(cycle) if cycle else 0,
            "next_label": stage_label(following) if following else "",
            "steps": STEP_LABELS,
            "step_current": cycle.stage_index + 1,
            "earlier": [s for s in _stage_sections(cycle) if s["stage"] != stage],
            "has_ideas": True,
            "current": "cycles",
        },
    )


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def server_version(cycle: Cycle) -> int:
    """The cycle's version as the browser's draft copy records it (static/js/pdsa.js).

    Microseconds of its last save since the epoch, issued by the server: comparing
    the draft's version with the page's tells whether the server changed since the
    draft was typed, whatever the device's clock says.
    """
    return (cycle.updated_at - EPOCH) // timedelta(microseconds=1)


def _moved_message(cycle: Cycle) -> str:
    if cycle.stage == Stage.COMPLETE:
        return "The cycle is complete. Start the next cycle of the ramp when you are ready."
    return f"Moved to {stage_label(cycle.stage)}. {STAGES[cycle.stage].question}"


def _draft_and_mark_missing(request, form, cycle: Cycle, values: dict, target: str) -> None:
    """Keep the typed text (saved as a draft), and mark the fields needed to move on."""
    try:
        cycle = services.cycle_update(cycle=cycle, actor=request.user, values=values)
    except ValidationError as error:
        apply_validation_error(form, error)
        return
    missing = missing_to_enter(cycle, target)
    for name in missing_fields_to_enter(cycle, target):
        if name in form.fields:
            form.add_error(name, f"Needed to move on to {stage_label(target)}.")
    elsewhere = {s: labels for s, labels in missing.items() if s != stage_label(form.stage)}
    text = (
        f"Your notes were saved as a draft, but the cycle cannot move to {stage_label(target)} yet."
    )
    if elsewhere:
        text += " Also missing from earlier stages: " + "; ".join(
            f"{s}: {', '.join(labels).lower()}" for s, labels in elsewhere.items()
        )
        text += "."
    form.add_error(None, text)


@login_required
def cycle_history(request: HttpRequest, team_id, cycle_id) -> HttpResponse:
    """Every saved change: who, when, which fields, and the values before."""
    team, access, cycle = team_cycle_or_404(request, team_id, cycle_id)
    revisions = with_change_rows(cycle_revisions(cycle=cycle), FIELD_LABELS)
    return render(
        request,
        "pdsa/cycle_history.html",
        {
            "team": team,
            "access": access,
            "cycle": cycle,
            "revisions": revisions,
            "current": "cycles",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def cycle_delete(request: HttpRequest, team_id, cycle_id) -> HttpResponse:
    """Confirm (GET), then soft-delete (POST): staff can restore it."""
    team, access, cycle = team_cycle_or_404(request, team_id, cycle_id)
    require(
        access.can_delete_cycle(cycle),
        "Only the cycle's author and the team lead can delete it.",
    )
    if request.method == "GET":
        return render(
            request,
            "pdsa/cycle_delete.html",
            {"team": team, "access": access, "cycle": cycle, "current": "cycles"},
        )
    services.cycle_soft_delete(cycle=cycle, actor=request.user)
    messages.success(
        request,
        f"“{cycle.title}” was deleted. Program staff can restore it if this was a mistake.",
    )
    return redirect("pdsa:cycle_list", team_id=team.public_id)


@login_required
def deleted_cycles(request: HttpRequest, team_id) -> HttpResponse:
    """Deleted cycles of the team, for program staff to restore."""
    team, access = team_and_access_or_404(user=request.user, team_id=team_id)
    require(access.can_restore, "Only program staff can see and restore deleted cycles.")
    return render(
        request,
        "pdsa/deleted_cycles.html",
        {
            "team": team,
            "access": access,
            "cycles": deleted_cycles_of_team(team=team),
            "current": "cycles",
        },
    )


@login_required
@require_POST
def cycle_restore(request: HttpRequest, team_id, cycle_id) -> HttpResponse:
    team, access = team_and_access_or_404(user=request.user, team_id=team_id)
    cycle = get_or_404(cycle_get, team=team, public_id=cycle_id, include_deleted=True)
    require(access.can_restore, "Only program staff can restore deleted cycles.")
    services.cycle_restore(cycle=cycle, actor=request.user)
    messages.success(request, f"“{cycle.title}” was restored with its notes and history.")
    return redirect(cycle_page_url(team, cycle))


# --- comments ----------------------------------------------------------------------------


@login_required
@require_POST
def comment_add(request: HttpRequest, team_id, cycle_id) -> HttpResponse:
    team, access, cycle = team_cycle_or_404(request, team_id, cycle_id)
    require(access.can_comment, "Sponsors read the team's cycles; they do not comment.")
    form = CommentForm(request.POST, cycle=cycle)
    if form.is_valid():
        try:
            comment = services.comment_create(
                cycle=cycle,
                actor=request.user,
                body=form.cleaned_data["body"],
                stage=form.cleaned_data["stage"],
                by_coach=access.is_reviewer,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _comment_sent_message(team, access, comment))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, f"Comment not sent: {message}")
    return redirect(cycle_page_url(team, cycle) + "#comments")


def _comment_sent_message(team, access, comment) -> str:
    """Who was e-mailed about the comment (`comment.emailed`), never more; when nobody
    was, why, and what to do about it."""
    sentence = emailed_sentence(comment.emailed, whose="The team's")
    if sentence:
        return f"Comment sent. {sentence}"
    if not access.is_reviewer:
        return "Comment sent. No one was e-mailed: the team has no coach and no other members yet."
    members = team_members(team=team).exists()
    why = "no lead, member or data contact yet" if members else "no members yet"
    if not access.can_manage_members:
        return (
            f"Comment sent. No one was e-mailed because the team has {why}: program staff "
            "can invite its lead."
        )
    invite = reverse("teams:members", kwargs={"team_id": team.public_id}) + "#invite"
    return format_html(
        'Comment sent. No one was e-mailed because the team has {}: <a href="{}">invite a '
        "lead</a>.",
        why,
        invite,
    )
