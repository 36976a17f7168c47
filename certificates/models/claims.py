"""What a participant claims, and the MOC Part 4 attestation.

AMA PRA rules ask for a record of the credit actually claimed, not the maximum
(DOMAIN.md section 7), so a claim records the amount the participant chose (quarter
hours, never above what they earned or the offer's maximum). One claim per person and
offer: a correction is made by staff on the claim (and a re-issued certificate), not by
a second claim.

The MOC Part 4 attestation is the participant's statement of their role in the
project; the team lead co-signs it, staff approve it. It also carries the facts the
board needs to be told (ABP through PARS): board, board ID, birth month and day,
completion date, points, and the learner's permission to report.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q


class CreditClaim(models.Model):
    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    offer = models.ForeignKey(
        "certificates.CreditOffer", on_delete=models.PROTECT, related_name="claims"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    amount = models.DecimalField(max_digits=6, decimal_places=2)
    #: The date the participant completed the activity (printed; reported to PARS/CAPCE).
    completion_date = models.DateField()
    claimed_at = models.DateTimeField()
    # What the accreditors' uploads need to identify the learner (PARS for AMA PRA
    # credit: birth month and day; CAPCE for EMS: the NREMT or state licence number).
    # Asked on the claim of the credit types that report them; docs/decisions
    # 0015-accreditor-exports.md says why here and not on the user.
    birth_month = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    birth_day = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    ems_licence_id = models.CharField(
        "NREMT or state EMS licence number", max_length=30, blank=True
    )
    ems_licence_state = models.CharField(
        "State of the licence", max_length=2, blank=True, help_text="Two letters, e.g. NC."
    )

    class Meta:
        ordering = ["-claimed_at"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "user"], name="certificates_claim_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="certificates_claim_positive"),
            models.CheckConstraint(
                condition=Q(birth_month__isnull=True) | Q(birth_month__gte=1, birth_month__lte=12),
                name="certificates_claim_birth_month",
            ),
            models.CheckConstraint(
                condition=Q(birth_day__isnull=True) | Q(birth_day__gte=1, birth_day__lte=31),
                name="certificates_claim_birth_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} claimed by user {self.user_id} on offer {self.offer_id}"


class MocRole(models.TextChoices):
    """The roles of meaningful participation (ABP sponsors ask for 3 of 4)."""

    DESIGN = "design", "Planning and design of the project"
    IMPLEMENTATION = "implementation", "Carrying out the changes (PDSA cycles)"
    DATA = "data", "Collecting and reviewing the data"
    MEETINGS = "meetings", "Taking part in the team's meetings"


class Board(models.TextChoices):
    ABP = "abp", "American Board of Pediatrics"
    ABIM = "abim", "American Board of Internal Medicine"
    ABA = "aba", "American Board of Anesthesiology"
    ABFM = "abfm", "American Board of Family Medicine"
    ABEM = "abem", "American Board of Emergency Medicine"


class AttestationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ATTESTED = "attested", "Attested, waiting for the team lead"
    COSIGNED = "cosigned", "Co-signed, waiting for staff approval"
    APPROVED = "approved", "Approved"
    RETURNED = "returned", "Returned for changes"


class MocAttestation(models.Model):
    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    offer = models.ForeignKey(
        "certificates.CreditOffer", on_delete=models.PROTECT, related_name="attestations"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey("teams.Team", on_delete=models.PROTECT, related_name="+")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        max_length=10, choices=AttestationStatus.choices, default=AttestationStatus.DRAFT
    )
    roles = models.JSONField(default=list, help_text="MocRole values the participant took.")
    role_description = models.TextField(blank=True)
    # The board's facts (PARS learner upload)
    board = models.CharField(max_length=8, choices=Board.choices, default=Board.ABP)
    board_id = models.CharField(max_length=20, blank=True)
    birth_month = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    birth_day = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    completion_date = models.DateField(null=True, blank=True)
    points = models.PositiveSmallIntegerField(default=0)
    permission_to_report = models.BooleanField(default=False)
    attested_at = models.DateTimeField(null=True, blank=True)
    cosigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cosigned_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    returned_reason = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "user"], name="certificates_attestation_once"),
            models.CheckConstraint(
                condition=Q(birth_month__isnull=True) | Q(birth_month__gte=1, birth_month__lte=12),
                name="certificates_attestation_birth_month",
            ),
            models.CheckConstraint(
                condition=Q(birth_day__isnull=True) | Q(birth_day__gte=1, birth_day__lte=31),
                name="certificates_attestation_birth_day",
            ),
        ]

    def __str__(self) -> str:
        return f"MOC attestation of user {self.user_id} ({self.get_status_display()})"
