"""Files attached to a cycle: checked by their content, stored under random names,
removed and restored without losing anything."""

import errno
import logging
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from accounts.models import User
from core import clock
from core.audit import audit_record
from core.bulk_changes import bulk_data_changed

from ..models import Attachment, Cycle
from ..uploads import check_attachment

logger = logging.getLogger(__name__)

#: "No space left on device" and "disk quota exceeded": the disk is full, not the file bad.
_DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT})

DISK_FULL_MESSAGE = (
    "The server has no room to store this file right now, so nothing was attached. "
    "Try again later; the site's operators have been told."
)


@transaction.atomic
def attachment_add(
    *, cycle: Cycle, actor: User, upload: UploadedFile, caption: str = ""
) -> Attachment:
    """Check the file by its content, store it through the storage API under a
    random name, and attach it to the cycle."""
    if cycle.deleted_at is not None:
        raise ValidationError("This cycle was deleted; restore it before attaching files.")
    try:
        kind = check_attachment(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    caption = (caption or "").strip()[:200]
    attachment = Attachment(
        program_id=cycle.program_id,
        team_id=cycle.team_id,
        cycle=cycle,
        original_name=PurePath(upload.name or "file").name[:200],
        content_type=kind.content_type,
        size=upload.size,
        caption=caption,
        uploaded_by=actor,
    )
    attachment.program = cycle.program
    attachment.team = cycle.team
    stored_name = _store(attachment, f"upload{kind.extensions[0]}", upload)
    try:
        attachment.save()
    except Exception:
        attachment.file.storage.delete(stored_name)
        raise
    Cycle.objects.filter(pk=cycle.pk).update(updated_at=clock.now(), updated_by=actor)
    bulk_data_changed(team_ids=[cycle.team_id])  # no longer stalled (no signal from update)
    audit_record(
        actor=actor,
        verb="pdsa_attachment.added",
        target=attachment,
        data={"cycle": str(cycle.public_id), "type": kind.content_type, "size": upload.size},
    )
    return attachment


def _store(attachment: Attachment, filename: str, upload: UploadedFile) -> str:
    """Write the upload to storage under the attachment's random name and return it.

    A write that fails half-way (a full disk) leaves nothing behind: the partial file
    is deleted, and a full disk becomes a form error instead of a server error (the
    caller's transaction then rolls back, so no row points at a missing file). The
    name is random (attachment_path), so the name written is the name chosen here.
    """
    name = attachment.file.field.generate_filename(attachment, filename)
    storage = attachment.file.storage
    try:
        stored_name = storage.save(name, upload, max_length=attachment.file.field.max_length)
    except OSError as error:
        if storage.exists(name):
            storage.delete(name)
        if error.errno in _DISK_FULL:
            logger.error("Attachment not stored, the media disk is full: %s", error)
            raise ValidationError({"file": [DISK_FULL_MESSAGE]}) from error
        raise
    attachment.file = stored_name
    return stored_name


@transaction.atomic
def attachment_remove(*, attachment: Attachment, actor: User) -> Attachment:
    """Hide an attachment from the cycle. The file is kept, like the cycle's history,
    and program staff can put it back (attachment_restore)."""
    if attachment.deleted_at is None:
        attachment.deleted_at = clock.now()
        attachment.save(update_fields=["deleted_at"])
        audit_record(
            actor=actor,
            verb="pdsa_attachment.removed",
            target=attachment,
            data={"cycle": str(attachment.cycle.public_id)},
        )
    return attachment


@transaction.atomic
def attachment_restore(*, attachment: Attachment, actor: User) -> Attachment:
    """Put a removed file back on its cycle (program staff undo a removal)."""
    if attachment.deleted_at is not None:
        removed_at = attachment.deleted_at
        attachment.deleted_at = None
        attachment.save(update_fields=["deleted_at"])
        audit_record(
            actor=actor,
            verb="pdsa_attachment.restored",
            target=attachment,
            data={"cycle": str(attachment.cycle.public_id), "removed_at": removed_at.isoformat()},
        )
    return attachment
