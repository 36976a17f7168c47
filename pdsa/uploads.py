"""Checks of uploaded attachments: size, and type judged by the content.

The shared check (core.filetypes, as the library and event materials use it) reads
the type from the content and refuses a name that disagrees with it: an HTML page
renamed to .jpg, or a PDF renamed to .png. PDSA attachments are photos taken on a
phone and scanned checklists, so they accept only JPEG, PNG and PDF, and check more
than the signature: images are opened and verified with Pillow, a PDF must be whole.
"""

import warnings

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from core import filetypes
from core.filetypes import JPEG, PDF, PNG, FileType, check_file, file_name

#: Photos from a phone are 2-6 MB; scanned checklists rarely more.
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024

ALLOWED = (JPEG, PNG, PDF)
ALLOWED_WORDS = "a photo (JPEG or PNG) or a PDF"
NOUN = "attachments"
#: A link is no use on a cycle: a photo can be sent smaller, a document in parts.
TOO_LARGE_ADVICE = "Send a smaller photo or split the document."


def too_large_message(size: int, name: str = "") -> str:
    """Why a file of `size` bytes (named, when its name is known) is refused."""
    return filetypes.too_large_message(
        size, max_bytes=MAX_ATTACHMENT_BYTES, noun=NOUN, name=name, advice=TOO_LARGE_ADVICE
    )


def _verify_image(upload: UploadedFile, kind: FileType) -> None:
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
            f"“{file_name(upload)}” declares an image too large to open "
            f"(more than {Image.MAX_IMAGE_PIXELS:,} pixels). Take the photo again or "
            "export it at a smaller size.",
            code="too_many_pixels",
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            f"“{file_name(upload)}” looks like a {kind.label} but cannot be read as one. "
            "Take the photo again or export it once more.",
            code="corrupt",
        ) from exc
    finally:
        upload.seek(0)
    if detected != expected:
        raise ValidationError(
            f"“{file_name(upload)}” is not a real {kind.label}.", code="disguised"
        )


def _verify_pdf(upload: UploadedFile) -> None:
    """A PDF ends with an %%EOF marker near its end; a renamed text file does not."""
    size = upload.size or 0
    upload.seek(max(0, size - 2048))
    tail = upload.read()
    upload.seek(0)
    if b"%%EOF" not in tail:
        raise ValidationError(
            f"“{file_name(upload)}” starts like a PDF but is not a complete PDF file.",
            code="corrupt",
        )


def check_attachment(upload: UploadedFile) -> FileType:
    """The type of an acceptable upload, or a ValidationError saying what is wrong."""
    kind = check_file(
        upload,
        max_bytes=MAX_ATTACHMENT_BYTES,
        allowed=ALLOWED,
        allowed_words=ALLOWED_WORDS,
        noun=NOUN,
        advice=TOO_LARGE_ADVICE,
    )
    if kind is PDF:
        _verify_pdf(upload)
    else:
        _verify_image(upload, kind)
    return kind
