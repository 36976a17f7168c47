"""The credit a collaborative offers, one row per credit type (DOMAIN.md section 7).

An offer says who designates the credit (the accredited provider and its statements,
printed verbatim on the certificate), the most a participant may claim, and the rules
that make a participant eligible. Two bases exist:

- per event: each event with credit of this type (learning_sessions EventCredit) earns
  its amount when the participant attended live, or watched the recording, for at least
  `min_minutes_per_event`, and (when `requires_evaluation`) evaluated the event;
- whole collaborative: the participant earns `max_amount` once every threshold is met
  (share of events attended, months active on a team, PDSA cycles contributed to, data
  periods submitted by their team and, for MOC Part 4, an approved attestation).

Hours are claimed in quarter hours and never more than offered; MOC Part 4 points come
in 25-point units.
"""

import uuid
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from learning_sessions.public import CREDIT_MAX, CreditType


class CreditBasis(models.TextChoices):
    PER_EVENT = "per_event", "Per event attended (and evaluated)"
    COLLABORATIVE = "collaborative", "Whole collaborative (participation thresholds)"


class IssueMode(models.TextChoices):
    ON_CLAIM = "on_claim", "Issue the certificate as soon as the participant claims"
    BY_STAFF = "by_staff", "Staff issue certificates (one by one or in bulk)"


class CreditOffer(models.Model):
    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    collaborative = models.ForeignKey(
        "collaboratives.Collaborative", on_delete=models.CASCADE, related_name="credit_offers"
    )
    #: The offer's id in URLs.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    credit_type = models.CharField(max_length=16, choices=CreditType.choices)
    basis = models.CharField(
        max_length=16, choices=CreditBasis.choices, default=CreditBasis.PER_EVENT
    )
    issue_mode = models.CharField(
        max_length=10, choices=IssueMode.choices, default=IssueMode.ON_CLAIM
    )
    #: The activity's title as printed (defaults to the collaborative's name).
    activity_title = models.CharField(max_length=250, blank=True)
    #: Accreditors' activity identifiers, needed by their batch uploads (PARS activity
    #: ID for AMA PRA and MOC; CAPCE course number for EMS).
    accreditor_activity_id = models.CharField(max_length=40, blank=True)
    provider_name = models.CharField("Accredited provider", max_length=250)
    provider_address = models.TextField(
        blank=True, help_text="Printed on nursing certificates (a web address is accepted)."
    )
    accreditation_statement = models.TextField(
        blank=True, help_text="Printed verbatim, as the accreditor words it."
    )
    designation_statement = models.TextField(
        blank=True, help_text="Printed verbatim, as the accreditor words it."
    )
    max_amount = models.DecimalField(
        "Most a participant may claim",
        max_digits=6,
        decimal_places=2,
        help_text="Hours (quarter-hour steps) or, for MOC Part 4, points (25-point units).",
    )
    # Per-event rules
    min_minutes_per_event = models.PositiveSmallIntegerField(
        default=45, validators=[MaxValueValidator(24 * 60)]
    )
    requires_evaluation = models.BooleanField(default=True)
    # Whole-collaborative rules (0 = no threshold)
    min_share_events_attended = models.PositiveSmallIntegerField(
        "Minimum share of events attended (%)",
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    min_months_active = models.PositiveSmallIntegerField(default=0)
    min_pdsa_cycles = models.PositiveSmallIntegerField(default=0)
    min_data_periods = models.PositiveSmallIntegerField(default=0)
    requires_attestation = models.BooleanField(
        default=False, help_text="MOC Part 4: attestation co-signed by the lead, approved by staff."
    )
    is_published = models.BooleanField(
        default=False, help_text="Participants see and claim published offers only."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["collaborative", "credit_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["collaborative", "credit_type"], name="certificates_offer_once_per_type"
            ),
            models.CheckConstraint(
                condition=Q(max_amount__gt=0, max_amount__lte=CREDIT_MAX),
                name="certificates_offer_max_bounded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_credit_type_display()} for {self.collaborative}"

    @property
    def unit(self) -> str:
        return "points" if self.credit_type == CreditType.MOC_PART_4 else "hours"

    @property
    def step(self) -> Decimal:
        return Decimal(25) if self.credit_type == CreditType.MOC_PART_4 else Decimal("0.25")
