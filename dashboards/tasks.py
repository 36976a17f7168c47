"""Background work of the dashboards: rendering the sponsor progress report, and
keeping the teams' key-measure digests ready (`refresh_dashboard_digests`, beat).

`render_progress_report` is safe to run twice (acks_late: a worker killed mid-task
makes the broker deliver it again): it renders only a report still queued, and stores
the PDF and marks it ready under a row lock. A render that keeps failing is retried
with a growing delay and, after the last attempt, marked failed (staff see it and can
ask again). `manage.py shell -c "from dashboards.tasks import render_progress_report;
render_progress_report(<id>)"` replays one.
"""

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import transaction

from core import clock

from .models import ProgressReport, ProgressReportStatus
from .report import render_progress_report as render_pdf
from .summary import team_digests_refresh

MAX_ATTEMPTS = 3


@shared_task(
    bind=True, acks_late=True, max_retries=MAX_ATTEMPTS, time_limit=300, soft_time_limit=240
)
def render_progress_report(self, report_id: int) -> str:
    """Render and store the PDF of a queued progress report; returns its status."""
    report = (
        ProgressReport.objects.select_related("collaborative__program").filter(pk=report_id).first()
    )
    if report is None or report.status != ProgressReportStatus.QUEUED:
        return report.status if report else "missing"
    try:
        pdf = render_pdf(collaborative=report.collaborative)
    except Exception as exc:
        # Counted on the row: a redelivered task continues the count.
        attempts = report.attempts + 1
        ProgressReport.objects.filter(pk=report_id).update(
            attempts=attempts, last_error=f"{type(exc).__name__}: {exc}"[:500]
        )
        if attempts >= MAX_ATTEMPTS:
            ProgressReport.objects.filter(pk=report_id).update(
                status=ProgressReportStatus.FAILED, finished_at=clock.now()
            )
            return ProgressReportStatus.FAILED
        raise self.retry(exc=exc, countdown=2**attempts) from exc
    with transaction.atomic():
        locked = ProgressReport.objects.select_for_update().get(pk=report_id)
        if locked.status != ProgressReportStatus.QUEUED:
            return locked.status
        locked.pdf.save("progress.pdf", ContentFile(pdf), save=False)
        locked.status = ProgressReportStatus.READY
        locked.finished_at = clock.now()
        locked.attempts += 1
        locked.save(update_fields=["pdf", "status", "finished_at", "attempts"])
    return ProgressReportStatus.READY


@shared_task(acks_late=True, time_limit=1800, soft_time_limit=1700)
def refresh_dashboard_digests() -> int:
    """Today's key-measure digests of every active team, computed ahead of the
    dashboards (dashboards.summary.team_digests_refresh); safe to run twice."""
    return team_digests_refresh()
