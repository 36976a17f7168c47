"""Facilities, teams and who belongs to them."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower


class FacilityType(models.TextChoices):
    COMMUNITY_ED = "community_ed", "Community emergency department"
    CRITICAL_ACCESS = "critical_access", "Critical access hospital"
    TRIBAL_IHS = "tribal_ihs", "Tribal / IHS hospital"
    ACADEMIC = "academic", "Academic or children's centre"
    FREESTANDING_ED = "freestanding_ed", "Freestanding emergency department"
    EMS_AGENCY = "ems_agency", "EMS agency"


class VolumeBand(models.TextChoices):
    LOW = "low", "Low (under 1,800 pediatric visits a year)"
    MEDIUM = "medium", "Medium (1,800 to 4,999)"
    MEDIUM_HIGH = "medium_high", "Medium-high (5,000 to 9,999)"
    HIGH = "high", "High (10,000 or more)"


class Facility(models.Model):
    """A hospital ED or EMS agency, registered once per program."""

    program = models.ForeignKey(
        "accounts.Program", on_delete=models.CASCADE, related_name="facilities"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    facility_type = models.CharField(max_length=20, choices=FacilityType.choices)
    state = models.CharField(max_length=2, help_text="Two-letter state code, e.g. OH.")
    city = models.CharField(max_length=100, blank=True)
    volume_band = models.CharField(max_length=12, choices=VolumeBand.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "facilities"
        constraints = [
            # De-duplicated by name and state inside a program, ignoring case.
            models.UniqueConstraint(
                "program", Lower("name"), "state", name="teams_facility_unique_name_state"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.state})"


class TeamStatus(models.TextChoices):
    APPLIED = "applied", "Applied"
    ACTIVE = "active", "Active"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Team(models.Model):
    """A facility's team taking part in one collaborative."""

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="teams")
    collaborative = models.ForeignKey(
        "collaboratives.Collaborative", on_delete=models.CASCADE, related_name="teams"
    )
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="teams")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    goals = models.TextField(blank=True, help_text="What the team wants to achieve.")
    status = models.CharField(max_length=10, choices=TeamStatus.choices, default=TeamStatus.APPLIED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "collaborative", "facility"],
                name="teams_one_team_per_facility_and_collaborative",
            ),
        ]
        indexes = [models.Index(fields=["program", "collaborative", "status"])]

    def __str__(self) -> str:
        return self.name


class TeamRole(models.TextChoices):
    LEAD = "lead", "Team lead"
    MEMBER = "member", "Team member"
    SPONSOR = "sponsor", "Executive sponsor"
    DATA_CONTACT = "data_contact", "Data contact"


class TeamMembership(models.Model):
    """A person's place in a team. A person may be in teams of several collaboratives."""

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    role = models.CharField(max_length=12, choices=TeamRole.choices, default=TeamRole.MEMBER)
    is_active = models.BooleanField(default=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["team", "role", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="teams_membership_unique"),
        ]
        indexes = [models.Index(fields=["user", "is_active"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} of {self.team}"


class CoachAssignment(models.Model):
    """A coach serving a team. A coach may serve several teams, a team several coaches."""

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="coach_assignments")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach_assignments"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "coach"], name="teams_coach_assignment_unique"),
        ]
        indexes = [models.Index(fields=["coach"])]

    def __str__(self) -> str:
        return f"{self.coach} coaches {self.team}"
