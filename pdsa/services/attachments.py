"""Files attached to a cycle: checked by their content, stored under random names,
removed and restored without losing anything."""

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from accounts.models import User
from core import clock
from core.audit import audit_record

from ..models import Attachment, Cycle
from ..uploads import check_attachment


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
    attachment.file.save(f"upload{kind.extensions[0]}", upload, save=False)
    stored_name = attachment.file.name
    try:
        attachment.save()
    except Exception:
        attachment.file.storage.delete(stored_name)
        raise
    Cycle.objects.filter(pk=cycle.pk).update(updated_at=clock.now(), updated_by=actor)
    audit_record(
        actor=actor,
        verb="pdsa_attachment.added",
        target=attachment,
        data={"cycle": str(cycle.public_id), "type": kind.content_type, "size": upload.size},
    )
    return attachment


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
