"""Checks of uploaded attachments: size, and type judged by the content.

A file's name and the browser's Content-Type are whatever the sender says, so the
type is read from the first bytes (JPEG, PNG and PDF signatures), images are
opened and verified with Pillow, and the name's extension must agree with what
the content is: an HTML page renamed to .jpg, or a PDF renamed to .png, is refused.
"""

import warnings
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

#: Photos from a phone are 2-6 MB; scanned checklists rarely more.
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024

ALLOWED_WORDS = "a photo (JPEG or PNG) or a PDF"


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extensions: tuple[str, ...]
    label: str


JPEG = FileKind("image/jpeg", (".jpg", ".jpeg"), "JPEG photo")
PNG = FileKind("image/png", (".png",), "PNG image")
PDF = FileKind("application/pdf", (".pdf",), "PDF")

_SIGNATURES: tuple[tuple[bytes, FileKind], ...] = (
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"%PDF-", PDF),
)


def _sniff(head: bytes) -> FileKind | None:
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    return None


def too_large_message(size: int, name: str = "") -> str:
    """Why a file of `size` bytes (named, when its name is known) is refused."""
    subject = f"“{name}” is" if name else "The upload is"
    return (
        f"{subject} {size / (1024 * 1024):.1f} MB; attachments can be at most "
        f"{MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB. Send a smaller photo or split the "
        "document."
    )


def _verify_image(upload: UploadedFile, kind: FileKind) -> None:
    """Pillow must open the file as the same format and find it intact."""
    from PIL import Image, UnidentifiedImageError

    expected = "JPEG" if kind is JPEG else "PNG"
    upload.seek(0)
    try:
        # A few kilobytes can declare billions of pixels (a decompression bomb): Pillow
        # refuses those above its limit; those merely over it are refused here too.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                detected = image.format
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            f"“{_name(upload)}” declares an image too large to open "
            f"(more than {Image.MAX_IMAGE_PIXELS:,} pixels). Take the photo again or "
            "export it at a smaller size.",
            code="too_many_pixels",
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            f"“{_name(upload)}” looks like a {kind.label} but cannot be read as one. "
            "Take the photo again or export it once more.",
            code="corrupt",
        ) from exc
    finally:
        upload.seek(0)
    if detected != expected:
        raise ValidationError(f"“{_name(upload)}” is not a real {kind.label}.", code="disguised")


def _verify_pdf(upload: UploadedFile) -> None:
    """A PDF ends with an %%EOF marker near its end; a renamed text file does not."""
    size = upload.size or 0
    upload.seek(max(0, size - 2048))
    tail = upload.read()
    upload.seek(0)
    if b"%%EOF" not in tail:
        raise ValidationError(
            f"“{_name(upload)}” starts like a PDF but is not a complete PDF file.",
            code="corrupt",
        )


def _name(upload: UploadedFile) -> str:
    return PurePath(upload.name or "file").name[:120]


def check_attachment(upload: UploadedFile) -> FileKind:
    """The kind of an acceptable upload, or a ValidationError saying what is wrong."""
    if upload is None:
        raise ValidationError("Choose a file to attach.", code="required")
    size = upload.size or 0
    if size == 0:
        raise ValidationError(f"“{_name(upload)}” is empty.", code="empty")
    if size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(too_large_message(size, _name(upload)), code="too_large")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = _sniff(head)
    if kind is None:
        raise ValidationError(
            f"“{_name(upload)}” is not {ALLOWED_WORDS}. Only those can be attached.",
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
    if kind is PDF:
        _verify_pdf(upload)
    else:
        _verify_image(upload, kind)
    return kind
