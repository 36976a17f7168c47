"""Whole-collaborative files built in the background (program staff): the page that
asks for one and shows how far it is, its status for the page's script, its download.

At 300 teams every value of a collaborative, or the import template of every team,
takes seconds to build: a Celery task builds it (measures.tasks) while this page
polls. Without JavaScript the page refreshes itself while a file is being prepared
(<noscript><meta refresh>); with it, static/js/export-status.js updates the row.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from core.http import require, stored_file_response

from .. import services
from ..models import CollaborativeExport, ExportKind, ExportStatus
from ._common import collaborative_and_access

STAFF_ONLY = "Files of every team are prepared for program staff."
#: Seconds between refreshes of the page without JavaScript while a file is prepared.
REFRESH_SECONDS = 5
#: Exports listed on the page, newest first.
LISTED = 10
CHOICES = [
    (ExportKind.VALUES, "csv", "Every value (CSV)"),
    (ExportKind.VALUES, "xlsx", "Every value (Excel)"),
    (ExportKind.TEMPLATE, "csv", "Import template of every team (CSV)"),
    (ExportKind.TEMPLATE, "xlsx", "Import template of every team (Excel)"),
]


def exports_url(collaborative) -> str:
    return reverse(
        "measures:collaborative_exports", kwargs={"collaborative_id": collaborative.public_id}
    )


def _staff_collaborative(request: HttpRequest, collaborative_id):
    collaborative, access = collaborative_and_access(request, collaborative_id)
    require(access.can_manage, STAFF_ONLY)
    return collaborative, access


def _export_of(collaborative, export_id) -> CollaborativeExport:
    found = (
        CollaborativeExport.objects.filter(
            program_id=collaborative.program_id,
            collaborative=collaborative,
            public_id=export_id,
        )
        .select_related("requested_by")
        .first()
    )
    if found is None:
        raise Http404("No such file.")
    return found


def _urls(collaborative, export: CollaborativeExport) -> dict[str, str]:
    kwargs = {"collaborative_id": collaborative.public_id, "export_id": export.public_id}
    return {
        "status_url": reverse("measures:collaborative_export_status", kwargs=kwargs),
        "download_url": reverse("measures:collaborative_export_download", kwargs=kwargs),
    }


@login_required
@require_http_methods(["GET", "POST"])
def collaborative_exports(request: HttpRequest, collaborative_id) -> HttpResponse:
    """GET: the files asked for lately and the buttons to ask for one. POST (kind,
    format): queue one, or find the same one already being prepared (asking twice
    makes one file), then back to the page (POST, redirect, GET)."""
    collaborative, access = _staff_collaborative(request, collaborative_id)
    if request.method == "POST":
        kind, file_format = request.POST.get("kind", ""), request.POST.get("format", "")
        if (kind, file_format) not in {(k, f) for k, f, _ in CHOICES}:
            messages.error(request, "Choose one of the files below.")
            return redirect(exports_url(collaborative))
        services.collaborative_export_request(
            collaborative=collaborative, actor=request.user, kind=kind, file_format=file_format
        )
        messages.success(request, "The file is being prepared. It appears below when ready.")
        return redirect(exports_url(collaborative) + "#exports")
    exports = [
        {"export": export, **_urls(collaborative, export)}
        for export in CollaborativeExport.objects.filter(
            program_id=collaborative.program_id, collaborative=collaborative
        )
        .select_related("requested_by")
        .order_by("-requested_at", "-pk")[:LISTED]
    ]
    preparing = any(item["export"].status == ExportStatus.QUEUED for item in exports)
    return render(
        request,
        "measures/collaborative_exports.html",
        {
            "collaborative": collaborative,
            "access": access,
            "current": "exports",
            "choices": CHOICES,
            "asked": (request.GET.get("kind", ""), request.GET.get("format", "")),
            "exports": exports,
            "refresh": REFRESH_SECONDS if preparing else None,
        },
    )


@login_required
@require_GET
def collaborative_export_status(request: HttpRequest, collaborative_id, export_id) -> JsonResponse:
    """The file's state for the page's script."""
    collaborative, _ = _staff_collaborative(request, collaborative_id)
    export = _export_of(collaborative, export_id)
    ready = export.status == ExportStatus.READY
    response = JsonResponse(
        {
            "status": export.status,
            "label": export.get_status_display(),
            "progress": export.progress,
            "download_url": _urls(collaborative, export)["download_url"] if ready else "",
        }
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def collaborative_export_download(
    request: HttpRequest, collaborative_id, export_id
) -> FileResponse:
    """The stored file, for the program's staff only; 404 while it is being prepared."""
    collaborative, _ = _staff_collaborative(request, collaborative_id)
    export = _export_of(collaborative, export_id)
    if export.status != ExportStatus.READY or not export.file:
        raise Http404("The file is not ready.")
    return stored_file_response(
        export.file,
        filename=f"{export.filename}.{export.file_format}",
        content_type="text/csv; charset=utf-8"
        if export.file_format == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        cache_control="no-store",
    )
