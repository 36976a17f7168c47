"""Collaboratives: the 6-to-18-month improvement programs a tenant runs.

A collaborative moves through an explicit lifecycle (draft -> recruiting ->
active -> closed -> community of practice, see `collaboratives.lifecycle`),
is divided into phases (prework, learning sessions with action periods between
them, closing congress, sustain) and enrols teams (teams app).
"""

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower


class FacilityType(models.TextChoices):
    """Kinds of facility that join collaboratives; a collaborative may admit only some
    (eligibility), and each team's facility has one (teams.Facility)."""

    COMMUNITY_ED = "community_ed", "Community emergency department"
    CRITICAL_ACCESS = "critical_access", "Critical access hospital"
    TRIBAL_IHS = "tribal_ihs", "Tribal / IHS hospital"
    ACADEMIC = "academic", "Academic or children's centre"
    FREESTANDING_ED = "freestanding_ed", "Freestanding emergency department"
    EMS_AGENCY = "ems_agency", "EMS agency"


class CollaborativeStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    RECRUITING = "recruiting", "Recruiting"
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"
    COMMUNITY = "community", "Community of practice"


class FocusArea(models.Model):
    """A topic a program runs collaboratives on (e.g. pediatric readiness).

    The list is per program and staff extend it.
    """

    program = models.ForeignKey(
        "accounts.Program", on_delete=models.CASCADE, related_name="focus_areas"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "program", Lower("name"), name="collaboratives_focus_area_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Collaborative(models.Model):
    """One collaborative of a program (e.g. a pediatric readiness QI collaborative)."""

    program = models.ForeignKey(
        "accounts.Program", on_delete=models.CASCADE, related_name="collaboratives"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80)
    focus_area = models.ForeignKey(
        FocusArea,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="collaboratives",
    )
    summary = models.TextField(blank=True, help_text="What the collaborative is about.")
    aims = models.TextField(blank=True, help_text="The collaborative's global aims.")
    eligible_facility_types = models.JSONField(
        default=list,
        blank=True,
        help_text="Facility types that may join; empty means every type.",
    )
    status = models.CharField(
        max_length=12, choices=CollaborativeStatus.choices, default=CollaborativeStatus.DRAFT
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    timezone = models.CharField(max_length=64, default="America/New_York")
    enrolment_opens = models.DateField(null=True, blank=True)
    enrolment_closes = models.DateField(null=True, blank=True)
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    pooled_min_share = models.PositiveSmallIntegerField(
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        verbose_name="Pooled charts: minimum share of teams (%)",
        help_text="A month enters the collaborative's pooled charts and funnel plots once it "
        "has ended and at least this share of the participating teams reported it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "slug"], name="collaboratives_slug_unique_per_program"
            ),
            models.CheckConstraint(
                condition=models.Q(pooled_min_share__gte=1, pooled_min_share__lte=100),
                name="collaboratives_pooled_min_share_1_to_100",
            ),
        ]
        indexes = [models.Index(fields=["program", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        """Recruiting collaboratives have a public page anyone may read."""
        return self.status == CollaborativeStatus.RECRUITING

    @property
    def is_read_only(self) -> bool:
        """Closed collaboratives and communities keep read access; no new data is required."""
        return self.status in (CollaborativeStatus.CLOSED, CollaborativeStatus.COMMUNITY)

    def accepts_facility_type(self, facility_type: str) -> bool:
        return not self.eligible_facility_types or facility_type in self.eligible_facility_types


class PhaseKind(models.TextChoices):
    PREWORK = "prework", "Prework"
    LEARNING_SESSION = "learning_session", "Learning session"
    ACTION_PERIOD = "action_period", "Action period"
    CONGRESS = "congress", "Closing congress"
    SUSTAIN = "sustain", "Sustain"


class Phase(models.Model):
    """A stretch of the collaborative's calendar. Phases are ordered and never overlap."""

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    collaborative = models.ForeignKey(
        Collaborative, on_delete=models.CASCADE, related_name="phases"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=PhaseKind.choices)
    name = models.CharField(max_length=120)
    start_date = models.DateField()
    end_date = models.DateField()

    class Meta:
        ordering = ["collaborative", "start_date"]
        indexes = [models.Index(fields=["program", "collaborative", "start_date"])]

    def __str__(self) -> str:
        return self.name
