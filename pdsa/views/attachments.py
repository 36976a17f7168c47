"""A cycle's files: attaching one, serving it only to people who may see the cycle
(sandboxed), removing it and putting it back."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods, require_POST

from core.http import declared_body_too_large, require, stored_file_response

from .. import services
from ..forms import AttachmentForm
from ..models import Attachment
from ..selectors import cycle_attachments, removed_attachments
from ..uploads import MAX_ATTACHMENT_BYTES, too_large_message
from ._common import EDIT_REFUSED, cycle_page_url, team_cycle_or_404


@login_required
@require_POST
def attachment_add(request: HttpRequest, team_id, cycle_id) -> HttpResponse:
    team, access, cycle = team_cycle_or_404(request, team_id, cycle_id)
    require(access.can_edit_cycles, EDIT_REFUSED)
    size = declared_body_too_large(request, MAX_ATTACHMENT_BYTES)
    if size is not None:  # refused before the body is read
        messages.error(request, f"Not attached: {too_large_message(size)}")
        return redirect(cycle_page_url(team, cycle) + "#attachments")
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = services.attachment_add(
                cycle=cycle,
                actor=request.user,
                upload=form.cleaned_data["file"],
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, f"Not attached: {message}")
        else:
            messages.success(request, f"“{attachment.original_name}” attached.")
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, f"Not attached: {message}")
    return redirect(cycle_page_url(team, cycle) + "#attachments")


def _attachment(request: HttpRequest, team_id, cycle_id, attachment_id):
    team, access, cycle = team_cycle_or_404(request, team_id, cycle_id)
    attachment = cycle_attachments(cycle=cycle).filter(public_id=attachment_id).first()
    if attachment is None:
        raise Http404("No such attachment.")
    return team, access, cycle, attachment


@login_required
@require_http_methods(["GET", "POST"])
def attachment(request: HttpRequest, team_id, cycle_id, attachment_id) -> HttpResponse:
    """GET: the stored file, only for people who may see the cycle, served with a
    sandbox policy so that even a file that slipped through cannot run script here.
    POST: remove it from the cycle (team members)."""
    team, access, cycle, attachment = _attachment(request, team_id, cycle_id, attachment_id)
    if request.method == "GET":
        return _file_response(attachment)
    require(access.can_edit_cycles, EDIT_REFUSED)
    services.attachment_remove(attachment=attachment, actor=request.user)
    messages.success(request, f"“{attachment.original_name}” was removed from the cycle.")
    return redirect(cycle_page_url(team, cycle) + "#attachments")


@login_required
@require_POST
def attachment_restore(request: HttpRequest, team_id, cycle_id, attachment_id) -> HttpResponse:
    """Put a removed file back on the cycle (program staff)."""
    team, access, cycle = team_cycle_or_404(request, team_id, cycle_id)
    attachment = removed_attachments(cycle=cycle).filter(public_id=attachment_id).first()
    if attachment is None:
        raise Http404("No such removed attachment.")
    require(access.can_restore, "Only program staff can put back a removed file.")
    services.attachment_restore(attachment=attachment, actor=request.user)
    messages.success(request, f"“{attachment.original_name}” is back on the cycle.")
    return redirect(cycle_page_url(team, cycle) + "#attachments")


def _file_response(attachment: Attachment) -> HttpResponse:
    return stored_file_response(
        attachment.file,
        content_type=attachment.content_type,
        filename=attachment.original_name,
        as_attachment=attachment.content_type == "application/pdf",
    )
