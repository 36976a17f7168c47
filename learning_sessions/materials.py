"""Checks of an event's uploaded materials: size, and type judged by the content.

The type is read from the file itself (core.filetypes, shared with the library): PDF,
PNG and JPEG by their signatures, Word, PowerPoint and Excel documents by the part
only that kind of package has, and the name's extension must agree with the content:
an HTML page renamed to .pdf is refused. Whatever passes is still only ever served as
a download (views), never shown inline.
"""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile

from core.filetypes import DOCUMENTS, DOCX, PPTX, XLSX, FileType, check_file

__all__ = ["DOCX", "MAX_MATERIAL_BYTES", "PPTX", "XLSX", "check_material"]

#: Slide decks with images are the largest materials; 25 MB holds a long one.
MAX_MATERIAL_BYTES = 25 * 1024 * 1024

ALLOWED_WORDS = "a PDF, a Word, PowerPoint or Excel document, or a PNG or JPEG image"


def check_material(upload: UploadedFile | None) -> FileType:
    """The type of an acceptable upload, or a ValidationError saying what is wrong."""
    return check_file(
        upload,
        max_bytes=MAX_MATERIAL_BYTES,
        allowed=DOCUMENTS,
        allowed_words=ALLOWED_WORDS,
        noun="materials",
    )
