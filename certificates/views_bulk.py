"""Bulk issue pages (program staff): what would be issued and a Start button, then
the run's progress (a <progress> bar and counts; without JavaScript the page refreshes
itself while the run is active, with JavaScript static/js/progress.js polls
progress.json and updates in place), and, once done, what succeeded and what not."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from . import bulk
from .models import BulkIssue
from .selectors_staff import bulk_run_or_404, staffed_collaborative_or_404

#: Seconds between the refreshes of the progress page without JavaScript.
REFRESH_SECONDS = 3


def _run_url(run: BulkIssue) -> str:
    return reverse(
        "certificates:bulk_progress",
        kwargs={"collaborative_id": run.collaborative.public_id, "bulk_id": run.public_id},
    )


def progress_of(run: BulkIssue) -> dict:
    """The run's figures, for the page and for progress.json alike."""
    done = run.issued + run.failed + run.skipped
    return {
        "status": run.status,
        "status_label": run.get_status_display(),
        "active": run.status in bulk.ACTIVE,
        "total": run.total,
        "done": done,
        "issued": run.issued,
        "failed": run.failed,
        "skipped": run.skipped,
        "percent": int(done * 100 / run.total) if run.total else 100,
    }


@login_required
@require_http_methods(["GET", "POST"])
def bulk_start(request: HttpRequest, collaborative_id) -> HttpResponse:
    collaborative = staffed_collaborative_or_404(
        user=request.user, collaborative_id=collaborative_id
    )
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            messages.error(request, "Tick the box to confirm that the certificates may go out.")
        else:
            try:
                run = bulk.start_bulk_issue(collaborative=collaborative, actor=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                return redirect(_run_url(run))
        return redirect(request.path)
    plan = bulk.plan_of(collaborative=collaborative)
    return render(
        request,
        "certificates/bulk/start.html",
        {
            "collaborative": collaborative,
            "plan": plan,
            "plan_total": sum(line.claims for line in plan),
            "active": bulk.active_run(collaborative=collaborative),
            "runs": BulkIssue.objects.filter(collaborative=collaborative)[:10],
        },
    )


@login_required
def bulk_progress(request: HttpRequest, collaborative_id, bulk_id) -> HttpResponse:
    collaborative = staffed_collaborative_or_404(
        user=request.user, collaborative_id=collaborative_id
    )
    run = bulk_run_or_404(collaborative=collaborative, bulk_id=bulk_id)
    progress = progress_of(run)
    return render(
        request,
        "certificates/bulk/progress.html",
        {
            "collaborative": collaborative,
            "run": run,
            "progress": progress,
            "refresh": REFRESH_SECONDS if progress["active"] else None,
            "stale": bulk.is_stale(run),
            "issued": run.certificates.filter(is_current=True)
            .select_related("offer")
            .order_by("recipient_name")
            if not progress["active"]
            else [],
            "not_issued": [e for e in run.errors if e.get("claim")],
        },
    )


@login_required
def bulk_progress_json(request: HttpRequest, collaborative_id, bulk_id) -> JsonResponse:
    collaborative = staffed_collaborative_or_404(
        user=request.user, collaborative_id=collaborative_id
    )
    run = bulk_run_or_404(collaborative=collaborative, bulk_id=bulk_id)
    response = JsonResponse(progress_of(run))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def bulk_resume(request: HttpRequest, collaborative_id, bulk_id) -> HttpResponse:
    collaborative = staffed_collaborative_or_404(
        user=request.user, collaborative_id=collaborative_id
    )
    run = bulk_run_or_404(collaborative=collaborative, bulk_id=bulk_id)
    try:
        bulk.resume_bulk_issue(run=run, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The run was queued again; it carries on where it stopped.")
    return redirect(_run_url(run))
