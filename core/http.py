"""The two answers every page gives before its work: 404 and 403.

ARCHITECTURE.md: what a user may not see answers 404, exactly like what does not
exist; 403 is for someone who may see a thing but lacks the role to change it.
Pages in every app say it the same way with these.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404

T = TypeVar("T")


def require(allowed: bool, message: str) -> None:
    """403 with `message` for a person who may see the page's subject but not do this."""
    if not allowed:
        raise PermissionDenied(message)


def get_or_404(selector: Callable[..., T], **kwargs) -> T:
    """Call a selector that raises DoesNotExist, answering 404 instead."""
    try:
        return selector(**kwargs)
    except ObjectDoesNotExist:
        raise Http404("Not found.") from None


def parse_uuid(value: str | None) -> uuid.UUID | None:
    """A UUID from a query string, or None for anything else (never an error page)."""
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


#: Room for the multipart envelope and the other form fields around an uploaded file.
UPLOAD_ENVELOPE_BYTES = 64 * 1024


def declared_body_too_large(request, file_limit: int) -> int | None:
    """The body size the request declares, when it is too large for a file of at most
    `file_limit` bytes plus its form; else None.

    Checked before `request.POST` or `request.FILES` is touched, so that an oversized
    upload is refused without reading (and spooling to disk) its whole body.
    """
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    return length if length > file_limit + UPLOAD_ENVELOPE_BYTES else None


def stored_file_response(
    stored: FieldFile,
    *,
    content_type: str,
    filename: str,
    as_attachment: bool = True,
    cache_control: str = "private, max-age=300",
) -> FileResponse:
    """A stored file served safely: a sandbox policy (a file that slipped through
    cannot run script on our origin), no type sniffing, a private short cache (files
    prepared in the background for one person pass "no-store"); as a download unless
    `as_attachment` is False. 404 when storage has lost the file."""
    try:
        handle = stored.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("The file is missing from storage.") from None
    response = FileResponse(
        handle,
        content_type=content_type or "application/octet-stream",
        as_attachment=as_attachment,
        filename=filename,
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache_control
    return response
