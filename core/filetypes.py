"""What an uploaded file really is, judged by its content, for every app that takes files.

A file's name and the browser's Content-Type are whatever the sender says, so the type
is read from the file itself: PDF, PNG and JPEG by their signatures, Word, PowerPoint
and Excel documents (Office Open XML) by opening the zip and finding the part only that
kind of document has, and MP4 video by its leading `ftyp` box and an MP4 brand. The
name's extension must then agree with the content: an HTML page renamed to .pdf is
refused. Event materials (learning_sessions) and the library (resources) share these
checks, and so do PDSA attachments (pdsa.uploads, which adds its image and PDF checks);
each keeps its own size limit and words.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile


@dataclass(frozen=True)
class FileType:
    content_type: str
    extensions: tuple[str, ...]
    label: str


PDF = FileType("application/pdf", (".pdf",), "PDF")
PNG = FileType("image/png", (".png",), "PNG image")
JPEG = FileType("image/jpeg", (".jpg", ".jpeg"), "JPEG image")
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
    "Word document",
)
PPTX = FileType(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    (".pptx",),
    "PowerPoint presentation",
)
XLSX = FileType(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
    "Excel workbook",
)
MP4 = FileType("video/mp4", (".mp4", ".m4v"), "MP4 video")

#: The documents and images every app accepts.
DOCUMENTS = (PDF, PNG, JPEG, DOCX, PPTX, XLSX)

_SIGNATURES = ((b"%PDF-", PDF), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG))
#: The part that tells an Office Open XML package's kind.
_OFFICE_PARTS = (
    ("word/document.xml", DOCX),
    ("ppt/presentation.xml", PPTX),
    ("xl/workbook.xml", XLSX),
)
#: Major brands of the ISO base media files that are MP4 video (not QuickTime, 3GP or
#: HEIF images, which share the box layout).
_MP4_BRANDS = {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V "}


#: What to do with a file too large, unless an app has better advice for its files.
LINK_ADVICE = "Share a larger file as a link."


def megabytes(size: int) -> str:
    """`size` bytes in megabytes with one decimal, as every refusal states a file's size."""
    return f"{size / (1024 * 1024):.1f}"


def too_large_message(
    size: int, *, max_bytes: int, noun: str, name: str = "", advice: str = LINK_ADVICE
) -> str:
    """Why a file of `size` bytes is refused: named when its name is known (the form's
    check), "The upload" when only the request's declared size is (the check before the
    body is read)."""
    subject = f"“{name}” is" if name else "The upload is"
    return (
        f"{subject} {megabytes(size)} MB; {noun} can be at most "
        f"{max_bytes // (1024 * 1024)} MB. {advice}"
    )


def size_limit_attrs(
    max_bytes: int, *, accept: str = "", types: Iterable[FileType] = (), advice: str = ""
) -> dict[str, str]:
    """The attributes of a file input whose uploads may be at most `max_bytes`.

    static/js/app.js reads `data-max-bytes` and refuses a larger file as soon as it is
    chosen, before the form is sent: the server refuses an oversized body before reading
    it, so the page it answers with has lost everything else that was typed. Pass the
    same constant the server's check uses, so the two cannot drift apart. `accept` (or
    the extensions of `types`) lets the browser's file picker offer the right files;
    the server still judges every file by its content. `advice` replaces the message's
    last sentence (LINK_ADVICE) where the server's own message advises otherwise.
    """
    attrs = {"data-max-bytes": str(max_bytes)}
    if advice:
        attrs["data-too-large-advice"] = advice
    extensions = [extension for kind in types for extension in kind.extensions]
    if accept or extensions:
        attrs["accept"] = accept or ",".join(extensions)
    return attrs


def file_name(upload: UploadedFile) -> str:
    """The upload's own name without any folder, cut to a length messages can show."""
    return PurePath(upload.name or "file").name[:120]


def _office_type(upload: UploadedFile) -> FileType | None:
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


def sniff(upload: UploadedFile) -> FileType | None:
    """The type the content proves, or None for anything else."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    if head.startswith(b"PK\x03\x04"):
        return _office_type(upload)
    if head[4:8] == b"ftyp" and head[8:12] in _MP4_BRANDS:
        return MP4
    return None


def check_file(
    upload: UploadedFile | None,
    *,
    max_bytes: int,
    allowed: Iterable[FileType],
    allowed_words: str,
    noun: str,
    advice: str = LINK_ADVICE,
) -> FileType:
    """The type of an acceptable upload, or a ValidationError saying what is wrong:
    missing, empty, larger than `max_bytes`, not one of `allowed` (in `allowed_words`),
    or named like another type than its content. `noun` names the files in messages
    ("materials", "library files"); `advice` ends the message of a file too large."""
    if upload is None:
        raise ValidationError("Choose a file to upload.", code="required")
    size = upload.size or 0
    if size == 0:
        raise ValidationError(f"“{file_name(upload)}” is empty.", code="empty")
    if size > max_bytes:
        raise ValidationError(
            too_large_message(
                size, max_bytes=max_bytes, noun=noun, name=file_name(upload), advice=advice
            ),
            code="too_large",
        )
    kind = sniff(upload)
    if kind is None or kind not in tuple(allowed):
        raise ValidationError(
            f"“{file_name(upload)}” is not {allowed_words}. Only those can be uploaded; "
            "share anything else as a link.",
            code="type",
        )
    extension = PurePath(upload.name or "").suffix.lower()
    if extension not in kind.extensions:
        raise ValidationError(
            f"“{file_name(upload)}” is named like a {extension or 'file without a type'} but "
            f"its content is a {kind.label}. Rename it to end in {kind.extensions[0]} if that "
            "is what it is.",
            code="disguised",
        )
    return kind
