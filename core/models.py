"""Shared records: the audit trail and the outbound e-mail queue."""

import uuid

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """Who did what to which object, written in the same transaction as the change.

    `program` is null only for platform-level events (sign-ups, operator actions).
    """

    program = models.ForeignKey(
        "accounts.Program", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=80, help_text="e.g. collaborative.status_changed")
    target_type = models.CharField(max_length=80)
    target_id = models.CharField(max_length=64)
    target_repr = models.CharField(max_length=255, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["program", "-created_at"]),
            models.Index(fields=["target_type", "target_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.verb} {self.target_repr}"


class EmailStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class OutboundEmail(models.Model):
    """An e-mail to send, rendered at enqueue time and sent by a Celery task.

    Storing the message first makes sending idempotent (the task claims the row
    with a conditional UPDATE), retryable, and visible to staff when it fails.
    """

    program = models.ForeignKey(
        "accounts.Program", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    to_email = models.EmailField(max_length=254)
    subject = models.CharField(max_length=255)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    status = models.CharField(max_length=8, choices=EmailStatus.choices, default=EmailStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    #: What sort of message this is (a `core.emails` kind such as "session_reminder"),
    #: which people's notification preferences and one-click unsubscribe refer to.
    #: Blank for account and security e-mails, which cannot be turned off.
    kind = models.CharField(max_length=40, blank=True, default="")
    dedupe_key = models.CharField(
        max_length=200,
        null=True,
        blank=True,
        unique=True,
        help_text="Producers pass a key so that the same notice is never queued twice.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to_email} ({self.status})"
