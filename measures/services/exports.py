"""Asking for a whole-collaborative file (every value, or the import template) to be
built in the background: at 300 teams it takes seconds, too long for a request."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from accounts.models import User
from collaboratives.models import Collaborative
from core import clock
from core.audit import audit_record

from ..exports import export_filename
from ..models import CollaborativeExport, ExportKind, ExportStatus

#: An export of the same kind and format still being prepared is reused instead of
#: queueing another (a double click, a second staff member), unless it has waited
#: this long (its task was lost).
REUSE_QUEUED_FOR = timedelta(minutes=15)


def collaborative_export_request(
    *, collaborative: Collaborative, actor: User, kind: str, file_format: str
) -> CollaborativeExport:
    """Queue the building of the file (the caller checked that `actor` is the program's
    staff), or return the same file already being prepared. The collaborative's row is
    locked while looking, so that two requests at once make one export; the task is
    queued once the row is committed."""
    from ..tasks import build_collaborative_export

    if kind not in ExportKind.values or file_format not in ("csv", "xlsx"):
        raise ValueError(f"No such export: {kind} {file_format}")
    with transaction.atomic():
        Collaborative.objects.select_for_update().filter(pk=collaborative.pk).first()
        waiting = (
            CollaborativeExport.objects.filter(
                program_id=collaborative.program_id,
                collaborative=collaborative,
                kind=kind,
                file_format=file_format,
                status=ExportStatus.QUEUED,
                requested_at__gte=clock.now() - REUSE_QUEUED_FOR,
            )
            .order_by("-requested_at")
            .first()
        )
        if waiting is not None:
            return waiting
        prefix = "measures" if kind == ExportKind.VALUES else "template"
        export = CollaborativeExport.objects.create(
            program_id=collaborative.program_id,
            collaborative=collaborative,
            kind=kind,
            file_format=file_format,
            requested_by=actor,
            requested_at=clock.now(),
            filename=export_filename(prefix, collaborative.slug),
        )
        audit_record(
            actor=actor,
            verb="measures_export.requested",
            target=export,
            data={"collaborative": collaborative.title, "kind": kind, "format": file_format},
        )
        transaction.on_commit(lambda: build_collaborative_export.delay(export.pk))
    return export
