"""Templates, imports (upload, preview, commit) and exports, for a team and for a whole
collaborative.

An upload larger than the limit is refused from its Content-Length, before Django reads
the body: the view is exempt from the CSRF middleware (which would parse the body to
find the token) and checks the token itself once the size is known to be acceptable.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from core.http import declared_body_too_large, get_or_404, require
from teams.selectors import team_and_access_or_404

from .. import services
from ..exports import export_filename, export_rows, file_response, template_rows
from ..forms import ImportForm
from ..imports import MAX_UPLOAD_BYTES, file_too_large_message
from ..models import ExportKind, ImportBatch, ImportStatus
from ..selectors import collaborative_teams_for, import_batch_get
from ._common import (
    collaborative_and_access,
    file_format,
)
from .exports import exports_url

IMPORT_REFUSED = "Only the team's members (and program staff) import its data."


def _recent(collaborative, team) -> list[ImportBatch]:
    return list(
        ImportBatch.objects.filter(
            program_id=collaborative.program_id, collaborative=collaborative, team=team
        )
        .select_related("uploaded_by")
        .order_by("-created_at")[:10]
    )


def _upload(request, *, collaborative, team, preview_name, page_kwargs, context) -> HttpResponse:
    """Shared by the team and collaborative import pages: size check, parse, preview."""
    form = ImportForm()
    status = 200
    if request.method == "POST":
        size = declared_body_too_large(request, MAX_UPLOAD_BYTES)
        if size is not None:
            form.cleaned_data = {}  # an unbound form: the body is never read
            form.add_error("file", file_too_large_message(size))
            status = 413
        else:
            form = ImportForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                if upload.size > MAX_UPLOAD_BYTES:
                    form.add_error("file", file_too_large_message(upload.size))
                    status = 413
                else:
                    batch = services.import_preview(
                        collaborative=collaborative,
                        team=team,
                        actor=request.user,
                        file_name=upload.name,
                        data=upload.read(),
                    )
                    return redirect(
                        reverse(
                            f"measures:{preview_name}",
                            kwargs={**page_kwargs, "import_id": batch.public_id},
                        )
                    )
    return render(
        request,
        "measures/import.html",
        {**context, "form": form, "recent": _recent(collaborative, team)},
        status=status,
    )


@csrf_exempt
@login_required
@require_http_methods(["GET", "POST"])
def team_import(request: HttpRequest, team_id) -> HttpResponse:
    """Upload a filled-in template for the team; the next page shows the preview."""
    team, access = team_and_access_or_404(user=request.user, team_id=team_id)
    require(access.can_enter_data, IMPORT_REFUSED)
    if request.method == "POST" and declared_body_too_large(request, MAX_UPLOAD_BYTES) is None:
        return _checked_team_import(request, team, access)
    return _team_upload(request, team, access)


@csrf_protect
def _checked_team_import(request, team, access) -> HttpResponse:
    return _team_upload(request, team, access)


def _team_upload(request, team, access) -> HttpResponse:
    return _upload(
        request,
        collaborative=team.collaborative,
        team=team,
        preview_name="team_import_preview",
        page_kwargs={"team_id": team.public_id},
        context={
            "team": team,
            "access": access,
            "scope_name": team.name,
            "template_url": reverse("measures:team_template", kwargs={"team_id": team.public_id}),
            "current": "import",
        },
    )


@csrf_exempt
@login_required
@require_http_methods(["GET", "POST"])
def collaborative_import(request: HttpRequest, collaborative_id) -> HttpResponse:
    """Staff upload one file for every team of the collaborative."""
    collaborative, access = collaborative_and_access(request, collaborative_id)
    require(access.can_manage, "Only program staff import data for the whole collaborative.")
    if request.method == "POST" and declared_body_too_large(request, MAX_UPLOAD_BYTES) is None:
        return _checked_collaborative_import(request, collaborative, access)
    return _collaborative_upload(request, collaborative, access)


@csrf_protect
def _checked_collaborative_import(request, collaborative, access) -> HttpResponse:
    return _collaborative_upload(request, collaborative, access)


def _collaborative_upload(request, collaborative, access) -> HttpResponse:
    return _upload(
        request,
        collaborative=collaborative,
        team=None,
        preview_name="collaborative_import_preview",
        page_kwargs={"collaborative_id": collaborative.public_id},
        context={
            "collaborative": collaborative,
            "access": access,
            "scope_name": f"every team of {collaborative.title}",
            "template_url": reverse(
                "measures:collaborative_template",
                kwargs={"collaborative_id": collaborative.public_id},
            ),
            "current": "import",
        },
    )


def _preview(request, *, batch, back_url, context) -> HttpResponse:
    if request.method == "POST":
        if "discard" in request.POST:
            services.import_discard(batch=batch, actor=request.user)
            messages.info(request, "The import was discarded: nothing was saved.")
            return redirect(back_url)
        try:
            counts = services.import_commit(batch=batch, actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(request.path)
        messages.success(
            request,
            f"Imported: {counts['created']} new value{'' if counts['created'] == 1 else 's'}, "
            f"{counts['updated']} changed, {counts['unchanged']} already as in the file.",
        )
        return redirect(request.path)
    rows = batch.rows[:500]
    return render(
        request,
        "measures/import_preview.html",
        {
            **context,
            "batch": batch,
            "rows": rows,
            "more_rows": max(0, len(batch.rows) - len(rows)),
            "earlier": services.earlier_identical_import(batch),
            "back_url": back_url,
            "is_preview": batch.status == ImportStatus.PREVIEW,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_import_preview(request: HttpRequest, team_id, import_id) -> HttpResponse:
    team, access = team_and_access_or_404(user=request.user, team_id=team_id)
    batch = get_or_404(
        import_batch_get, collaborative=team.collaborative, team=team, import_id=import_id
    )
    require(access.can_enter_data, IMPORT_REFUSED)
    return _preview(
        request,
        batch=batch,
        back_url=reverse("measures:team_import", kwargs={"team_id": team.public_id}),
        context={"team": team, "access": access, "current": "import"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def collaborative_import_preview(request: HttpRequest, collaborative_id, import_id):
    collaborative, access = collaborative_and_access(request, collaborative_id)
    batch = get_or_404(
        import_batch_get, collaborative=collaborative, team=None, import_id=import_id
    )
    require(access.can_manage, "Only program staff import data for the whole collaborative.")
    return _preview(
        request,
        batch=batch,
        back_url=reverse(
            "measures:collaborative_import", kwargs={"collaborative_id": collaborative.public_id}
        ),
        context={"collaborative": collaborative, "access": access, "current": "import"},
    )


@login_required
def team_template(request: HttpRequest, team_id) -> HttpResponse:
    """The team's template: a row per measure and open period, with values entered."""
    team, access = team_and_access_or_404(user=request.user, team_id=team_id)
    require(access.can_enter_data, IMPORT_REFUSED)
    rows = template_rows(collaborative=team.collaborative, teams=[team])
    return file_response(
        rows,
        file_format=file_format(request),
        filename=export_filename("template", team.name),
        export=False,
    )


#: Up to this many teams a whole-collaborative file is built in the request; beyond,
#: program staff are sent to the page that builds it in the background (measures.views.
#: exports): at 300 teams it takes seconds. A coach's own teams are always few.
DIRECT_FILE_TEAMS = 50


def _prepare_instead(request: HttpRequest, collaborative, kind: str) -> HttpResponse:
    """Send staff to the background exports page, the file they asked for chosen."""
    query = f"?kind={kind}&format={file_format(request)}#prepare"
    return redirect(exports_url(collaborative) + query)


@login_required
def collaborative_template(request: HttpRequest, collaborative_id) -> HttpResponse:
    collaborative, access = collaborative_and_access(request, collaborative_id)
    require(access.can_manage, "Only program staff import data for the whole collaborative.")
    teams = collaborative_teams_for(user=request.user, collaborative=collaborative)
    if len(teams) > DIRECT_FILE_TEAMS:
        return _prepare_instead(request, collaborative, ExportKind.TEMPLATE)
    rows = template_rows(collaborative=collaborative, teams=teams)
    return file_response(
        rows,
        file_format=file_format(request),
        filename=export_filename("template", collaborative.slug),
        export=False,
    )


@login_required
def team_export(request: HttpRequest, team_id) -> HttpResponse:
    """All the team's current values, for everyone who sees the team."""
    team, _ = team_and_access_or_404(user=request.user, team_id=team_id)
    rows = export_rows(collaborative=team.collaborative, teams=[team])
    return file_response(
        rows,
        file_format=file_format(request),
        filename=export_filename("measures", team.name),
        export=True,
    )


@login_required
def collaborative_export(request: HttpRequest, collaborative_id) -> HttpResponse:
    """Every value of the teams the caller may see (staff: all; coaches: theirs)."""
    collaborative, access = collaborative_and_access(request, collaborative_id)
    require(access.can_see_status, "Exports of every team are for program staff and coaches.")
    teams = collaborative_teams_for(user=request.user, collaborative=collaborative)
    if access.can_manage and len(teams) > DIRECT_FILE_TEAMS:
        return _prepare_instead(request, collaborative, ExportKind.VALUES)
    rows = export_rows(collaborative=collaborative, teams=teams)
    return file_response(
        rows,
        file_format=file_format(request),
        filename=export_filename("measures", collaborative.slug),
        export=True,
    )
