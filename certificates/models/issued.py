"""Issued certificates and bulk-issue runs.

A certificate is issued once per person, offer (activity) and credit type: the offer
fixes the activity and the type, and a partial unique constraint allows one *current*
certificate per (offer, user). A correction (a corrected name) revokes nothing: the
current certificate is superseded by a new one that points back to it, so the
history stays. Revocation keeps the row with its reason; /verify/<code> then says
"revoked".

The row is created first (status pending, with its public code) and the PDF is
rendered by a Celery task that retries; `pdf` is stored through Django's storage API.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

#: Unambiguous upper-case letters and digits (no 0/O, 1/I/L) for the public code.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


def new_code() -> str:
    """A random public code (about 59 bits), grouped for reading: XXXX-XXXX-XXXX."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def certificate_path(instance: "Certificate", filename: str) -> str:
    return f"certificates/{instance.program_id}/issued/{uuid.uuid4().hex}.pdf"


class CertificateStatus(models.TextChoices):
    PENDING = "pending", "Being prepared"
    ISSUED = "issued", "Issued"
    FAILED = "failed", "Rendering failed"


class Certificate(models.Model):
    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    offer = models.ForeignKey(
        "certificates.CreditOffer", on_delete=models.PROTECT, related_name="certificates"
    )
    claim = models.ForeignKey(
        "certificates.CreditClaim", on_delete=models.PROTECT, related_name="certificates"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=14, unique=True, default=new_code, editable=False)
    status = models.CharField(
        max_length=8, choices=CertificateStatus.choices, default=CertificateStatus.PENDING
    )
    # What is printed, fixed at issue time (a correction issues a new certificate).
    recipient_name = models.CharField(max_length=150)
    activity_title = models.CharField(max_length=250)
    credit_type = models.CharField(max_length=16)
    amount = models.DecimalField(max_digits=6, decimal_places=2)
    completion_date = models.DateField()
    template = models.ForeignKey(
        "certificates.CertificateTemplate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    pdf = models.FileField(upload_to=certificate_path, blank=True)
    render_attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    issued_at = models.DateTimeField()
    rendered_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    bulk_issue = models.ForeignKey(
        "certificates.BulkIssue",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    #: False once superseded by a corrected certificate (which points back via `replaces`).
    is_current = models.BooleanField(default=True)
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    correction_reason = models.CharField(max_length=500, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "user"],
                condition=Q(is_current=True),
                name="certificates_one_current_per_person_offer",
            ),
        ]
        indexes = [models.Index(fields=["program", "offer", "status"])]

    def __str__(self) -> str:
        return f"Certificate {self.code}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class BulkIssueStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Stopped with errors"


class BulkIssue(models.Model):
    """Staff's "issue every certificate of this collaborative" run, whose progress the
    browser polls. Resumable: the task walks the open claims and skips any that already
    have a current certificate, so a worker restart never issues twice."""

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    collaborative = models.ForeignKey(
        "collaboratives.Collaborative", on_delete=models.CASCADE, related_name="+"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        max_length=8, choices=BulkIssueStatus.choices, default=BulkIssueStatus.QUEUED
    )
    total = models.PositiveIntegerField(default=0)
    issued = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    #: When the run last moved (started, or finished a claim): a run still "running"
    #: with no progress for a while lost its worker, and staff may resume it.
    progress_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["collaborative"],
                condition=Q(status__in=["queued", "running"]),
                name="certificates_one_active_bulk_per_collaborative",
            ),
        ]

    def __str__(self) -> str:
        return f"Bulk issue {self.public_id} ({self.status})"
