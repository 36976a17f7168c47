"""Pages of share and sustain: the change-package heat map and its drill-down, a team's
storyboard (page, PDF, the lead's lessons learned), and staff's "print every
storyboard" run with its progress. Thin: access and reads in resources.heatmap and
resources.storyboard, writes in resources.services.sustain."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from collaboratives.models import Collaborative
from collaboratives.selectors import collaboratives_run_by
from core.forms import apply_validation_error
from core.http import require
from core.paging import page_of

from .heatmap import (
    build_heat_map,
    heat_map_collaborative_or_404,
    item_row,
    legend,
    states_in_order,
    teams_by_ids,
)
from .models import StoryboardBatch
from .services.sustain import (
    LESSONS_MAX_LENGTH,
    storyboard_batch_resume,
    storyboard_batch_start,
    storyboard_lessons_save,
)
from .storyboard import storyboard_context, storyboard_pdf, storyboard_team_or_404
from .storyboard_batch import batch_teams, is_stale

#: Seconds between refreshes of the progress page without JavaScript.
REFRESH_SECONDS = 5
#: The storyboards page lists this many of the latest runs.
RECENT_RUNS = 5

LESSONS_REFUSED = "The team's lead writes its lessons learned."


# --- heat map -----------------------------------------------------------------------------


@login_required
@require_GET
def heat_map(request: HttpRequest, collaborative_id) -> HttpResponse:
    """The counts per change over every team, and the team-by-team table a page of
    teams at a time (300 rows of cells made the page grow with the collaborative)."""
    collaborative = heat_map_collaborative_or_404(
        user=request.user, collaborative_id=collaborative_id
    )
    heat_map = build_heat_map(user=request.user, collaborative=collaborative)
    pager = page_of(request, heat_map.team_ids, anchor="team-by-team")
    return render(
        request,
        "resources/sustain/heat_map.html",
        {
            "collaborative": collaborative,
            "heat_map": heat_map,
            "team_rows": heat_map.team_rows(teams_by_ids(pager.items)),
            "pager": pager,
            "legend": legend(),
        },
    )


@login_required
@require_GET
def heat_map_item(request: HttpRequest, collaborative_id, package_item_id) -> HttpResponse:
    """One item of the change package: each team's state, and the ramps the viewer may
    open (their own teams', and the shared ones)."""
    collaborative = heat_map_collaborative_or_404(
        user=request.user, collaborative_id=collaborative_id
    )
    heat_map = build_heat_map(user=request.user, collaborative=collaborative)
    row = item_row(heat_map, package_item_id)
    return render(
        request,
        "resources/sustain/heat_map_item.html",
        {
            "collaborative": collaborative,
            "row": row,
            "groups": states_in_order(heat_map.item_cells(row)),
            "legend": legend(),
        },
    )


# --- one team's storyboard -------------------------------------------------------------------


class LessonsForm(forms.Form):
    lessons_learned = forms.CharField(
        label="Lessons learned",
        required=False,
        max_length=LESSONS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "class": "usa-textarea"}),
        help_text="What worked, what did not, and what you would tell a team starting now.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def storyboard(request: HttpRequest, team_id) -> HttpResponse:
    team, viewer = storyboard_team_or_404(user=request.user, team_id=team_id)
    context = storyboard_context(team=team, viewer=viewer)
    form = None
    if viewer.can_edit_lessons:
        form = LessonsForm(request.POST or None, initial={"lessons_learned": context["lessons"]})
    if request.method == "POST":
        require(viewer.can_edit_lessons, LESSONS_REFUSED)
        if form.is_valid():
            try:
                storyboard_lessons_save(
                    team=team, actor=request.user, text=form.cleaned_data["lessons_learned"]
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, "Lessons learned saved.")
                return redirect("resources:storyboard", team_id=team.public_id)
    return render(request, "resources/sustain/storyboard.html", {**context, "form": form})


@login_required
@require_GET
def storyboard_download(request: HttpRequest, team_id) -> HttpResponse:
    """The storyboard as a PDF, as the viewer may see it."""
    team, viewer = storyboard_team_or_404(user=request.user, team_id=team_id)
    response = HttpResponse(
        storyboard_pdf(team=team, viewer=viewer), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="storyboard-{team.collaborative.slug}-{team.public_id}.pdf"'
    )
    response["Cache-Control"] = "no-store"
    return response


# --- every team's storyboard as one PDF (staff) ------------------------------------------------


def _staff_collaborative_or_404(user, collaborative_id) -> Collaborative:
    """The collaborative if `user` runs its program; 404 for anyone else."""
    return get_object_or_404(collaboratives_run_by(user=user), public_id=collaborative_id)


def _batch_of(collaborative, batch_id) -> StoryboardBatch:
    batch = StoryboardBatch.objects.filter(
        program_id=collaborative.program_id, collaborative=collaborative, public_id=batch_id
    ).first()
    if batch is None:
        raise Http404("No such run.")
    return batch


def _batch_url(collaborative, batch, name: str = "storyboard_batch") -> str:
    return reverse(
        f"resources:{name}",
        kwargs={"collaborative_id": collaborative.public_id, "batch_id": batch.public_id},
    )


def _progress(collaborative, batch: StoryboardBatch) -> dict:
    ready = batch.status == "done" and bool(batch.pdf)
    return {
        "status": batch.status,
        "status_label": batch.get_status_display(),
        "done": batch.done,
        "total": batch.total,
        "percent": batch.percent,
        "active": batch.is_active,
        "download_url": _batch_url(collaborative, batch, "storyboard_batch_download")
        if ready
        else "",
    }


@login_required
@require_http_methods(["GET", "POST"])
def storyboards(request: HttpRequest, collaborative_id) -> HttpResponse:
    """Staff's page: every active team's storyboard, and "print them all as one PDF"."""
    collaborative = _staff_collaborative_or_404(request.user, collaborative_id)
    if request.method == "POST":
        try:
            batch = storyboard_batch_start(collaborative=collaborative, actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("resources:storyboards", collaborative_id=collaborative.public_id)
        messages.success(request, "The storyboards are being prepared.")
        return redirect(_batch_url(collaborative, batch))
    runs = list(
        StoryboardBatch.objects.filter(
            program_id=collaborative.program_id, collaborative=collaborative
        ).order_by("-created_at", "-pk")[:RECENT_RUNS]
    )
    return render(
        request,
        "resources/sustain/storyboards.html",
        {
            "collaborative": collaborative,
            "teams": list(batch_teams(collaborative=collaborative)),
            "runs": [{"run": r, "url": _batch_url(collaborative, r)} for r in runs],
            "active": next((r for r in runs if r.is_active), None),
        },
    )


@login_required
@require_GET
def storyboard_batch(request: HttpRequest, collaborative_id, batch_id) -> HttpResponse:
    """A run's progress (refreshes itself without JavaScript) and, once done, the PDF."""
    collaborative = _staff_collaborative_or_404(request.user, collaborative_id)
    batch = _batch_of(collaborative, batch_id)
    progress = _progress(collaborative, batch)
    return render(
        request,
        "resources/sustain/storyboard_batch.html",
        {
            "collaborative": collaborative,
            "batch": batch,
            "progress": progress,
            "progress_url": _batch_url(collaborative, batch, "storyboard_batch_progress"),
            "resume_url": _batch_url(collaborative, batch, "storyboard_batch_resume"),
            "refresh": REFRESH_SECONDS if progress["active"] else 0,
            "stale": is_stale(batch),
        },
    )


@login_required
@require_GET
def storyboard_batch_progress(request: HttpRequest, collaborative_id, batch_id) -> JsonResponse:
    collaborative = _staff_collaborative_or_404(request.user, collaborative_id)
    response = JsonResponse(_progress(collaborative, _batch_of(collaborative, batch_id)))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def storyboard_batch_resume_view(request: HttpRequest, collaborative_id, batch_id) -> HttpResponse:
    collaborative = _staff_collaborative_or_404(request.user, collaborative_id)
    batch = _batch_of(collaborative, batch_id)
    try:
        storyboard_batch_resume(batch=batch, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, "The run was queued again.")
    return redirect(_batch_url(collaborative, batch))


@login_required
@require_GET
def storyboard_batch_download(request: HttpRequest, collaborative_id, batch_id) -> FileResponse:
    """The joined PDF, for the program's staff only; 404 while it is being prepared."""
    collaborative = _staff_collaborative_or_404(request.user, collaborative_id)
    batch = _batch_of(collaborative, batch_id)
    if batch.status != "done" or not batch.pdf:
        raise Http404("The storyboards are not ready.")
    try:
        handle = batch.pdf.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("No such file.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"storyboards-{collaborative.slug}-{batch.created_at:%Y-%m-%d}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "no-store"
    return response
