"""A program's certificate design: the draft staff edit, and publishing it.

Versions are rows (CertificateTemplate): the published version with the highest
number is the one certificates are issued with; at most one newer, unpublished row is
the draft. Saving edits the draft (made on first save as a copy of the published
version, keeping its logo and signature unless new ones are uploaded); publishing
stamps it, so past certificates, which point to their own version, never change.

Logo and signature uploads are judged by their content with Pillow, not their name:
PNG or JPEG only, at most 1 MB and 3000 x 3000 pixels; a decompression bomb (a small
file declaring a huge image) is refused before its pixels are decoded. A refused file
is not stored, and nothing else of the form is saved with it.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max

from accounts.models import Program, User
from core import clock
from core.audit import audit_record

from ..models import CertificateTemplate

MAX_IMAGE_BYTES = 1024 * 1024
MAX_IMAGE_SIDE = 3000
#: Header bytes of the two accepted formats.
_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}
DESIGN_FIELDS = (
    "signer_name",
    "signer_title",
    "primary_colour",
    "accent_colour",
    "heading",
    "body",
    "footer",
)


def check_image(upload: UploadedFile, what: str) -> None:
    """ValidationError unless `upload` is a PNG or JPEG of acceptable size."""
    from PIL import Image, UnidentifiedImageError

    if upload.size > MAX_IMAGE_BYTES:
        raise ValidationError(
            f"The {what} is {upload.size / (1024 * 1024):.1f} MB; it can be at most 1 MB. "
            "Export it smaller."
        )
    upload.seek(0)
    head = upload.read(8)
    expected = next((fmt for sig, fmt in _SIGNATURES.items() if head.startswith(sig)), None)
    if expected is None:
        raise ValidationError(f"The {what} must be a PNG or JPEG image; this file is not one.")
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                # The size comes from the header: checked before any pixel is decoded.
                width, height = image.size
                if image.format != expected:
                    raise ValidationError(f"The {what} cannot be read as a {expected} image.")
                if width > MAX_IMAGE_SIDE or height > MAX_IMAGE_SIDE:
                    raise ValidationError(
                        f"The {what} is {width} x {height} pixels; it can be at most "
                        f"{MAX_IMAGE_SIDE} x {MAX_IMAGE_SIDE}."
                    )
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            f"The {what} declares an image far too large to open. Export it smaller."
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            f"The {what} cannot be read as a {expected} image; it may be damaged."
        ) from exc
    finally:
        upload.seek(0)


def published_version(program: Program) -> CertificateTemplate | None:
    return (
        CertificateTemplate.objects.filter(program=program, published_at__isnull=False)
        .order_by("-version")
        .first()
    )


def draft_version(program: Program) -> CertificateTemplate | None:
    """The unpublished version newer than every published one, if staff started one."""
    latest = CertificateTemplate.objects.filter(program=program).order_by("-version").first()
    return latest if latest is not None and latest.published_at is None else None


@dataclass(frozen=True)
class DesignChange:
    values: dict  # DESIGN_FIELDS, cleaned by the form
    logo: UploadedFile | None = None
    signature: UploadedFile | None = None
    remove_logo: bool = False
    remove_signature: bool = False


@transaction.atomic
def save_draft(*, program: Program, actor: User, change: DesignChange) -> CertificateTemplate:
    """Write `change` into the program's draft (made now if there is none)."""
    problems = {}
    for upload, what, field in (
        (change.logo, "logo", "logo_upload"),
        (change.signature, "signature image", "signature_upload"),
    ):
        if upload is not None:
            try:
                check_image(upload, what)
            except ValidationError as exc:
                problems[field] = exc.messages
    if problems:
        raise ValidationError(problems)
    # Serialise concurrent saves of one program: the draft is made at most once.
    Program.objects.select_for_update().filter(pk=program.pk).first()
    draft = draft_version(program)
    if draft is None:
        base = published_version(program)
        top = CertificateTemplate.objects.filter(program=program).aggregate(m=Max("version"))["m"]
        draft = CertificateTemplate(program=program, version=(top or 0) + 1, created_by=actor)
        if base is not None:
            for field in DESIGN_FIELDS:
                setattr(draft, field, getattr(base, field))
            draft.logo.name = base.logo.name
            draft.signature.name = base.signature.name
    for field in DESIGN_FIELDS:
        setattr(draft, field, change.values[field])
    draft.full_clean(exclude=["logo", "signature", "created_by"])
    if change.remove_logo:
        draft.logo.name = ""
    if change.remove_signature:
        draft.signature.name = ""
    if change.logo is not None:
        draft.logo.save("logo", change.logo, save=False)
    if change.signature is not None:
        draft.signature.save("signature", change.signature, save=False)
    draft.save()
    audit_record(
        actor=actor,
        verb="certificate_template.saved",
        target=draft,
        program=program,
        data={"version": draft.version},
    )
    return draft


@transaction.atomic
def publish_draft(*, program: Program, actor: User) -> CertificateTemplate:
    """Make the draft the version certificates are issued with from now on."""
    Program.objects.select_for_update().filter(pk=program.pk).first()
    draft = draft_version(program)
    if draft is None:
        raise ValidationError("There is no draft to publish: save your changes first.")
    draft.published_at = clock.now()
    draft.save(update_fields=["published_at"])
    audit_record(
        actor=actor,
        verb="certificate_template.published",
        target=draft,
        program=program,
        data={"version": draft.version},
    )
    return draft
