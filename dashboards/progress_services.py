"""Writes of the progress dashboard: asking for a sponsor report."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from accounts.models import User
from collaboratives.models import Collaborative
from core import clock
from core.audit import audit_record

from .models import ProgressReport, ProgressReportStatus
from .tasks import render_progress_report

#: A report still being prepared is reused instead of queueing another (a double click,
#: a second staff member) unless it has been waiting this long (a lost task).
REUSE_QUEUED_FOR = timedelta(minutes=10)


def progress_report_request(*, collaborative: Collaborative, actor: User) -> ProgressReport:
    """Queue the rendering of the collaborative's progress report (the caller checked
    that `actor` is the program's staff), or return the one already being prepared.
    The task is queued once the row is committed."""
    with transaction.atomic():
        waiting = (
            ProgressReport.objects.filter(
                program_id=collaborative.program_id,
                collaborative=collaborative,
                status=ProgressReportStatus.QUEUED,
                requested_at__gte=clock.now() - REUSE_QUEUED_FOR,
            )
            .order_by("-requested_at")
            .first()
        )
        if waiting is not None:
            return waiting
        report = ProgressReport.objects.create(
            program_id=collaborative.program_id,
            collaborative=collaborative,
            requested_by=actor,
            requested_at=clock.now(),
        )
        audit_record(
            actor=actor,
            verb="progress_report.requested",
            target=report,
            data={"collaborative": collaborative.title},
        )
        transaction.on_commit(lambda: render_progress_report.delay(report.pk))
    return report
