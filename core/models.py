"""Shared records: the audit trail, the outbound e-mail queue and people's choices of
which e-mails they receive."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from .notification_kinds import kind_label


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
    #: Not sent: the recipient turned this kind off. The row keeps the dedupe key, so
    #: a producer that runs again (a reminder's catch-up) does not queue it again.
    SUPPRESSED = "suppressed", "Not sent (turned off)"
    #: Waiting for the recipient's weekly digest (core.digest); never sent on its own.
    HELD = "held", "Held for the weekly digest"
    #: Included in a weekly digest (`OutboundEmail.digest`).
    DIGESTED = "digested", "Sent in the weekly digest"


class Delivery(models.TextChoices):
    """How a person receives one kind of e-mail."""

    IMMEDIATELY = "immediately", "Immediately"
    DIGEST = "digest", "In a weekly digest"
    OFF = "off", "Off"


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
    #: The person the address belongs to, when it is a user's (their preferences apply).
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=12, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    #: What sort of message this is (a `core.emails` kind such as "session_reminder"),
    #: which people's notification preferences and one-click unsubscribe refer to.
    #: "account" (blank on rows from before kinds) for account and security e-mails,
    #: which cannot be turned off.
    kind = models.CharField(max_length=40, blank=True, default="")
    dedupe_key = models.CharField(
        max_length=200,
        null=True,
        blank=True,
        unique=True,
        help_text="Producers pass a key so that the same notice is never queued twice.",
    )
    #: Extra message headers (List-Unsubscribe and List-Unsubscribe-Post, RFC 8058).
    headers = models.JSONField(default=dict, blank=True)
    #: The weekly digest that carried this held message.
    digest = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="digested"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            # A program's outbox page, newest first.
            models.Index(fields=["program", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to_email} ({self.status})"


class NotificationPreference(models.Model):
    """How one person receives one kind of e-mail (core.notification_kinds).

    No row means IMMEDIATELY. Personal, not a tenant's: one choice covers every
    program the person works with. Read and written by core.notifications only.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    delivery = models.CharField(max_length=12, choices=Delivery.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="core_notification_pref_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.delivery}"


class Notification(models.Model):
    """One notice in a person's in-app inbox: the other channel of an e-mail.

    Created by `core.emails.email_enqueue_message` in the same transaction as the
    e-mail it goes with (one producer, two channels), whatever the person chose for
    the e-mail: the inbox is where a notice they turned off or hold for the digest
    still reaches them. Read and written through core.inbox only.
    """

    #: The program the notice is about; null only for notices of no program.
    program = models.ForeignKey(
        "accounts.Program", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    #: A core.notification_kinds key, like the e-mail's.
    kind = models.CharField(max_length=40)
    #: Short plain text (the e-mail's subject unless the producer gave another).
    title = models.CharField(max_length=255)
    #: The site-relative path the notice opens ("/teams/…/"); never another site.
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    #: The producer's key, so that a notice is never created twice for one person.
    dedupe_key = models.CharField(max_length=200, null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The bell's unread count and the inbox, newest first.
            models.Index(
                fields=["recipient", "read_at", "-created_at"], name="core_notice_inbox_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], name="core_notification_dedupe_unique"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def kind_label(self) -> str:
        """The kind in words ("Comments on PDSA cycles")."""
        return kind_label(self.kind)
