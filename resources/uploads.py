"""What the library accepts as a file or a link.

Files are judged by their content (core.filetypes): documents, images and templates
as PDF, Word, PowerPoint, Excel, PNG or JPEG; videos and recordings as MP4. Anything
else, and anything larger than 50 MB, is shared as a link. Links are http or https
only: a `javascript:` or `data:` address would run in the reader's page.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator

from core import filetypes
from core.filetypes import DOCUMENTS, MP4, FileType, check_file

from .models import ResourceKind

#: A recorded webinar in MP4 at a modest bitrate fits; longer ones are links.
MAX_RESOURCE_BYTES = 50 * 1024 * 1024

#: The kinds whose file is a video; every other kind but "link" takes documents.
VIDEO_KINDS = (ResourceKind.VIDEO, ResourceKind.RECORDING)

DOCUMENT_WORDS = "a PDF, a Word, PowerPoint or Excel document, or a PNG or JPEG image"
VIDEO_WORDS = "an MP4 video"


def check_resource_file(upload: UploadedFile | None, *, kind: str) -> FileType:
    """The proven type of a file for a resource of `kind`, or a ValidationError saying
    what is wrong (empty, over 50 MB, another type, or named like another type)."""
    is_video = kind in VIDEO_KINDS
    return check_file(
        upload,
        max_bytes=MAX_RESOURCE_BYTES,
        allowed=(MP4,) if is_video else DOCUMENTS,
        allowed_words=VIDEO_WORDS if is_video else DOCUMENT_WORDS,
        noun="library files",
    )


def too_large_message(size: int) -> str:
    """Why an upload of `size` bytes is refused before it is read."""
    return filetypes.too_large_message(size, max_bytes=MAX_RESOURCE_BYTES, noun="library files")


def check_web_link(value: str) -> str:
    """The address, trimmed, if it is an http or https web address; else a
    ValidationError that says why."""
    url = (value or "").strip()
    if not url:
        raise ValidationError("Give the link's address.", code="required")
    scheme = urlsplit(url).scheme.lower()
    if scheme and scheme not in ("http", "https"):
        raise ValidationError(
            f"A “{scheme}:” address cannot be shared; use a web address starting with "
            "https:// or http://.",
            code="scheme",
        )
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError(
            "Use a web address starting with https:// or http://.", code="invalid"
        ) from None
    if len(url) > 500:
        raise ValidationError("Web addresses can be at most 500 characters.", code="too_long")
    return url
