"""What the dashboards keep: the sponsor progress reports that staff asked for."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


def progress_report_path(instance: ProgressReport, filename: str) -> str:
    return f"dashboards/{instance.program_id}/progress/{uuid.uuid4().hex}.pdf"


class ProgressReportStatus(models.TextChoices):
    QUEUED = "queued", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Could not be prepared"


class ProgressReport(models.Model):
    """A PDF of a collaborative's progress for sponsors and funders, rendered by a
    Celery task (dashboards.tasks) from the figures of the moment it runs and stored
    through Django's storage; downloaded by the program's staff only."""

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    collaborative = models.ForeignKey(
        "collaboratives.Collaborative", on_delete=models.CASCADE, related_name="+"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        max_length=10, choices=ProgressReportStatus.choices, default=ProgressReportStatus.QUEUED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    pdf = models.FileField(upload_to=progress_report_path, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["program", "collaborative", "-requested_at"])]

    def __str__(self) -> str:
        return f"Progress report of {self.collaborative} ({self.get_status_display()})"
