"""Attendance: one record per person and event, saying how we know they were there.

Continuing-education credit (issue 15) is built on these rows, so each keeps its
source (a code entered during the event, staff's roster, the person's own
attestation, a meeting platform's report) and, for recordings and imports, the
minutes. A later, stronger source replaces a weaker one on the same row; the audit
trail keeps the history.
"""

import uuid

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
    #: False only for staff's "absent" mark on the roster (source roster): a record that
    #: the person was not there, which a weaker source (their own attestation) cannot
    #: overturn. Credit and "who attended" read present rows only
    #: (learning_sessions.attendance.selectors.attended).
    present = models.BooleanField(default=True)
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


class AttendanceCode(models.Model):
    """The short code staff show during an event; entering it records attendance.

    One per event, created when staff first open the check-in display and replaced
    when they regenerate it (the old code stops working at once). Codes are unique
    across events, so a code typed on the wrong event's page is recognised as
    another event's and refused with a clear message.
    """

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    event = models.OneToOneField(
        "learning_sessions.Event", on_delete=models.CASCADE, related_name="attendance_code"
    )
    code = models.CharField(max_length=12, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Check-in code of {self.event}"


class ImportPlatform(models.TextChoices):
    ZOOM = "zoom", "Zoom"
    TEAMS = "teams", "Microsoft Teams"


class ImportStatus(models.TextChoices):
    STAGED = "staged", "Waiting for review"
    COMMITTED = "committed", "Recorded"
    DISCARDED = "discarded", "Discarded"


class AttendanceImport(models.Model):
    """A meeting platform's participant report, parsed and waiting for staff's review.

    The parsed, matched rows are kept here (JSON) so that the review screen and the
    commit read the same thing and nothing is uploaded twice; the status moves from
    staged to committed (or discarded) exactly once, under a row lock, so a second
    click on "Record attendance" does nothing.
    """

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(
        "learning_sessions.Event", on_delete=models.CASCADE, related_name="attendance_imports"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    platform = models.CharField(max_length=8, choices=ImportPlatform.choices)
    filename = models.CharField(max_length=255, blank=True)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.STAGED
    )
    #: {"matched": [...], "unmatched": [...], "ambiguous": [...], "refused": [...],
    #: "notes": [...]} as built by learning_sessions.attendance.imports.stage_import.
    result = models.JSONField(default=dict)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["program", "event", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} report for {self.event}"
