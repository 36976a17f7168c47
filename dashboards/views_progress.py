"""The staff progress dashboard of a collaborative: its page, the sponsor report's
"Prepare report" button, the report's status (polled by static/js/progress-report.js)
and its download. Program staff only: anyone else gets 404 (progress_collaborative_or_404).
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from core.http import stored_file_response

from .models import ProgressReport, ProgressReportStatus
from .progress import cached_progress_page, progress_collaborative_or_404
from .progress_charts import progress_charts
from .progress_services import progress_report_request
from .ranking import Ranked, rank
from .summary import cached_team_summaries, collaborative_dashboard_teams

#: The page lists this many of the latest reports.
RECENT_REPORTS = 5
#: Seconds between refreshes of a page without JavaScript while a report is prepared.
REFRESH_SECONDS = 5
#: The page lists this many of the teams that need attention first (the collaborative's
#: dashboard lists them all).
ATTENTION_FIRST = 10


def _attention_first(*, user, collaborative) -> tuple[list[Ranked], int]:
    """The teams that need attention first (the coach dashboard's ranking, from the
    same cached summaries) and how many teams show any sign of trouble."""
    teams = collaborative_dashboard_teams(user=user, collaborative=collaborative)
    needing = [r for r in rank(cached_team_summaries(teams=teams, viewer=user)) if r.score > 0]
    return needing[:ATTENTION_FIRST], len(needing)


def _page_url(collaborative) -> str:
    return reverse("dashboards:progress", kwargs={"collaborative_id": collaborative.public_id})


def _report_of(collaborative, report_id) -> ProgressReport:
    report = ProgressReport.objects.filter(
        program_id=collaborative.program_id, collaborative=collaborative, public_id=report_id
    ).first()
    if report is None:
        raise Http404("No such report.")
    return report


def _download_url(collaborative, report: ProgressReport) -> str:
    return reverse(
        "dashboards:progress_report_download",
        kwargs={"collaborative_id": collaborative.public_id, "report_id": report.public_id},
    )


@login_required
@require_GET
def progress_page(request: HttpRequest, collaborative_id) -> HttpResponse:
    collaborative = progress_collaborative_or_404(
        user=request.user, collaborative_id=collaborative_id
    )
    figures, charts = cached_progress_page(
        user=request.user, collaborative=collaborative, draw=progress_charts
    )
    reports = list(
        ProgressReport.objects.filter(
            program_id=collaborative.program_id, collaborative=collaborative
        ).order_by("-requested_at", "-pk")[:RECENT_REPORTS]
    )
    preparing = any(r.status == ProgressReportStatus.QUEUED for r in reports)
    attention, needing = _attention_first(user=request.user, collaborative=collaborative)
    return render(
        request,
        "dashboards/progress.html",
        {
            "collaborative": collaborative,
            "figures": figures,
            "charts": charts,
            "reports": [
                {
                    "report": r,
                    "status_url": reverse(
                        "dashboards:progress_report_status",
                        kwargs={
                            "collaborative_id": collaborative.public_id,
                            "report_id": r.public_id,
                        },
                    ),
                    "download_url": _download_url(collaborative, r),
                }
                for r in reports
            ],
            "refresh": REFRESH_SECONDS if preparing else 0,
            "attention": attention,
            "needing": needing,
            "first_month": date.fromisoformat(figures["months"][0]),
            "last_month": date.fromisoformat(figures["months"][-1]),
        },
    )


@login_required
@require_POST
def progress_report_create(request: HttpRequest, collaborative_id) -> HttpResponse:
    collaborative = progress_collaborative_or_404(
        user=request.user, collaborative_id=collaborative_id
    )
    progress_report_request(collaborative=collaborative, actor=request.user)
    messages.success(request, "The report is being prepared. It appears below when it is ready.")
    return redirect(_page_url(collaborative) + "#reports")


@login_required
@require_GET
def progress_report_status(request: HttpRequest, collaborative_id, report_id) -> JsonResponse:
    """The report's state for the page's script."""
    collaborative = progress_collaborative_or_404(
        user=request.user, collaborative_id=collaborative_id
    )
    report = _report_of(collaborative, report_id)
    ready = report.status == ProgressReportStatus.READY
    response = JsonResponse(
        {
            "status": report.status,
            "label": report.get_status_display(),
            "download_url": _download_url(collaborative, report) if ready else "",
        }
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def progress_report_download(request: HttpRequest, collaborative_id, report_id) -> FileResponse:
    """The stored PDF, for the program's staff only; 404 while it is being prepared."""
    collaborative = progress_collaborative_or_404(
        user=request.user, collaborative_id=collaborative_id
    )
    report = _report_of(collaborative, report_id)
    if report.status != ProgressReportStatus.READY or not report.pdf:
        raise Http404("The report is not ready.")
    return stored_file_response(
        report.pdf,
        filename=f"progress-{collaborative.slug}-{report.requested_at:%Y-%m-%d}.pdf",
        content_type="application/pdf",
        cache_control="no-store",
    )
