"""Attendance: one record per person and event, saying how we know they were there.

Continuing-education credit (issue 15) is built on these rows, so each keeps its
source (a code entered during the event, staff's roster, the person's own
attestation, a meeting platform's report) and, for recordings and imports, the
minutes. A later, stronger source replaces a weaker one on the same row; the audit
trail keeps the history.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class AttendanceSource(models.TextChoices):
    CODE = "code", "Entered the session code"
    ROSTER = "roster", "Marked by staff"
    SELF_LIVE = "self_live", "Said they attended live"
    SELF_RECORDING = "self_recording", "Said they watched the recording"
    IMPORT = "import", "Meeting platform report"


class AttendanceMode(models.TextChoices):
    """Live attendance and a watched recording earn credit under different rules
    (a recording is enduring material, DOMAIN.md section 6)."""

    LIVE = "live", "Live"
    RECORDING = "recording", "Recording"


class Attendance(models.Model):
    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(
        "learning_sessions.Event", on_delete=models.CASCADE, related_name="attendances"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_attendances"
    )
    source = models.CharField(max_length=16, choices=AttendanceSource.choices)
    mode = models.CharField(
        max_length=10, choices=AttendanceMode.choices, default=AttendanceMode.LIVE
    )
    #: Minutes present (a meeting report's sum) or watched (a recording); None when the
    #: source does not say (a code, a roster tick).
    minutes = models.PositiveIntegerField(null=True, blank=True)
    #: Who recorded it when it was not the person themselves (staff, an import).
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["event", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"], name="learning_attendance_once_per_event"
            ),
            models.CheckConstraint(
                condition=Q(minutes__isnull=True) | Q(minutes__lte=100_000),
                name="learning_attendance_minutes_bounded",
            ),
        ]
        indexes = [models.Index(fields=["program", "event"])]

    def __str__(self) -> str:
        return f"{self.user} at {self.event} ({self.get_source_display()})"
