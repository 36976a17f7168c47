"""Checks of an event's uploaded materials: size, and type judged by the content.

A file's name and the browser's Content-Type are whatever the sender says, so the
type is read from the file itself: PDF, PNG and JPEG by their signatures, and Word,
PowerPoint and Excel documents (Office Open XML) by opening the zip and finding the
part only that kind of document has. The name's extension must agree with the
content: an HTML page renamed to .pdf is refused. Whatever passes is still only ever
served as a download (views), never shown inline.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

#: Slide decks with images are the largest materials; 25 MB holds a long one.
MAX_MATERIAL_BYTES = 25 * 1024 * 1024

ALLOWED_WORDS = "a PDF, a Word, PowerPoint or Excel document, or a PNG or JPEG image"


@dataclass(frozen=True)
class MaterialType:
    content_type: str
    extensions: tuple[str, ...]
    label: str


PDF = MaterialType("application/pdf", (".pdf",), "PDF")
PNG = MaterialType("image/png", (".png",), "PNG image")
JPEG = MaterialType("image/jpeg", (".jpg", ".jpeg"), "JPEG image")
DOCX = MaterialType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
    "Word document",
)
PPTX = MaterialType(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    (".pptx",),
    "PowerPoint presentation",
)
XLSX = MaterialType(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
    "Excel workbook",
)

_SIGNATURES = ((b"%PDF-", PDF), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG))
#: The part that tells an Office Open XML package's kind.
_OFFICE_PARTS = (
    ("word/document.xml", DOCX),
    ("ppt/presentation.xml", PPTX),
    ("xl/workbook.xml", XLSX),
)


def _name(upload: UploadedFile) -> str:
    return PurePath(upload.name or "file").name[:120]


def _office_type(upload: UploadedFile) -> MaterialType | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    for part, kind in _OFFICE_PARTS:
        if part in names:
            return kind
    return None


def _sniff(upload: UploadedFile) -> MaterialType | None:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    if head.startswith(b"PK\x03\x04"):
        return _office_type(upload)
    return None


def check_material(upload: UploadedFile | None) -> MaterialType:
    """The type of an acceptable upload, or a ValidationError saying what is wrong."""
    if upload is None:
        raise ValidationError("Choose a file to upload.", code="required")
    size = upload.size or 0
    if size == 0:
        raise ValidationError(f"“{_name(upload)}” is empty.", code="empty")
    if size > MAX_MATERIAL_BYTES:
        raise ValidationError(
            f"“{_name(upload)}” is {size / (1024 * 1024):.1f} MB; materials can be at most "
            f"{MAX_MATERIAL_BYTES // (1024 * 1024)} MB. Share a larger file as a link.",
            code="too_large",
        )
    kind = _sniff(upload)
    if kind is None:
        raise ValidationError(
            f"“{_name(upload)}” is not {ALLOWED_WORDS}. Only those can be uploaded; "
            "share anything else as a link.",
            code="type",
        )
    extension = PurePath(upload.name or "").suffix.lower()
    if extension not in kind.extensions:
        raise ValidationError(
            f"“{_name(upload)}” is named like a {extension or 'file without a type'} but its "
            f"content is a {kind.label}. Rename it to end in {kind.extensions[0]} if that is "
            "what it is.",
            code="disguised",
        )
    return kind
