"""Background work of the measures feature.

`send_measure_reminders` runs every hour (beat): a day's reminders become due at
REMINDER_HOUR (UTC), so on a normal day the first run after that hour sends them and the
later ones find nothing new; a run missed while beat or the workers were down is made
up by the next one (measures.reminders catches up on missed days). It is idempotent
through the e-mails' dedupe keys, so a retry or a second run queues nothing new.
Submission and review notices are queued by the services themselves (core.emails, sent
after commit).
"""

from datetime import UTC, date, datetime, timedelta

from celery import shared_task

from core import clock

from .reminders import send_data_reminders

#: The hour of the day (UTC) from which a day's reminders are sent: midday in the
#: Americas, not the evening before.
REMINDER_HOUR = 12


def reminder_day(moment: datetime) -> date:
    """The latest day whose reminders are due at `moment`: today from REMINDER_HOUR
    (UTC), yesterday before it."""
    return (moment - timedelta(hours=REMINDER_HOUR)).astimezone(UTC).date()


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540, max_retries=3)
def send_measure_reminders(day: str | None = None) -> int:
    """Queue the monthly-data reminders of `day` (ISO date; default: `reminder_day(now)`)."""
    today = date.fromisoformat(day) if day else reminder_day(clock.now())
    return send_data_reminders(today=today)


#: Attempts at building a whole-collaborative export before it is marked failed.
EXPORT_ATTEMPTS = 3


@shared_task(
    bind=True, acks_late=True, max_retries=EXPORT_ATTEMPTS, time_limit=900, soft_time_limit=840
)
def build_collaborative_export(self, export_id: int) -> str:
    """Build and store the file of a queued CollaborativeExport; returns its status.

    Safe to run twice (acks_late redelivers a task whose worker died): only an export
    still queued is built, and the file is stored and the export marked ready under a
    row lock. A build that keeps failing is retried with a growing delay, then marked
    failed (staff see it and ask again)."""
    from django.core.files.base import ContentFile
    from django.db import transaction

    from .background_exports import export_file_bytes
    from .models import CollaborativeExport, ExportStatus

    export = (
        CollaborativeExport.objects.select_related("collaborative__program", "requested_by")
        .filter(pk=export_id)
        .first()
    )
    if export is None or export.status != ExportStatus.QUEUED:
        return export.status if export else "missing"
    mine = CollaborativeExport.objects.filter(pk=export_id, status=ExportStatus.QUEUED)
    try:
        if export.requested_by is None or not export.requested_by.is_active:
            raise PermissionError("The person who asked for this file no longer has an account.")
        data = export_file_bytes(export, on_progress=lambda percent: mine.update(progress=percent))
    except Exception as exc:
        attempts = export.attempts + 1  # counted on the row: a redelivery continues it
        mine.update(attempts=attempts, last_error=f"{type(exc).__name__}: {exc}"[:500])
        if attempts >= EXPORT_ATTEMPTS or isinstance(exc, PermissionError):
            mine.update(status=ExportStatus.FAILED, finished_at=clock.now())
            return ExportStatus.FAILED
        raise self.retry(exc=exc, countdown=2**attempts) from exc
    with transaction.atomic():
        locked = CollaborativeExport.objects.select_for_update().get(pk=export_id)
        if locked.status != ExportStatus.QUEUED:
            return locked.status
        locked.file.save(f"{locked.filename}.{locked.file_format}", ContentFile(data), save=False)
        locked.status = ExportStatus.READY
        locked.progress = 100
        locked.finished_at = clock.now()
        locked.attempts += 1
        locked.save(update_fields=["file", "status", "progress", "finished_at", "attempts"])
    return ExportStatus.READY
