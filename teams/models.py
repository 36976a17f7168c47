"""Facilities, teams and who belongs to them."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from accounts.models import ProgramRole
from collaboratives.models import FacilityType


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
            # Two facilities may share a name and state (two towns' "Mercy Hospital"),
            # not also a city. Registration shows applicants the facilities whose name
            # and state match theirs to confirm (teams.services.facility_find_or_create).
            models.UniqueConstraint(
                "program",
                Lower("name"),
                "state",
                Lower("city"),
                name="teams_facility_unique_name_city_state",
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
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(
        blank=True, help_text="Why the application was declined or the team withdrawn."
    )
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


#: An invitation not yet accepted or withdrawn (an expired one is still open: it can be
#: sent again).
OPEN_INVITATION = models.Q(accepted_at__isnull=True, revoked_at__isnull=True)


class InvitationBase(models.Model):
    """What every e-mailed invitation has, to a team or to a program's staff.

    Only a hash of the token is stored: the link in the e-mail is the secret. An
    invitation is usable once, until it expires or is revoked; resending replaces
    the token. The services in teams.services treat both kinds alike.
    """

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(max_length=254)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_sent_at = models.DateTimeField(null=True, blank=True)
    send_count = models.PositiveSmallIntegerField(default=0)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]


class Invitation(InvitationBase):
    """An e-mailed invitation to join a team."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=12, choices=TeamRole.choices, default=TeamRole.MEMBER)

    class Meta(InvitationBase.Meta):
        constraints = [
            # One open invitation per person and team.
            models.UniqueConstraint(
                "team",
                Lower("email"),
                condition=OPEN_INVITATION,
                name="teams_one_open_invitation_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation of {self.email} to {self.team}"


class ProgramInvitation(InvitationBase):
    """An e-mailed invitation to work for a program as program staff or coach.

    Accepting it grants the role (accounts.ProgramMembership). It lives here, beside
    team invitations, so that both kinds share one invitation flow.
    """

    role = models.CharField(max_length=10, choices=ProgramRole.choices)

    class Meta(InvitationBase.Meta):
        constraints = [
            # One open invitation per person and program.
            models.UniqueConstraint(
                "program",
                Lower("email"),
                condition=OPEN_INVITATION,
                name="teams_one_open_program_invitation_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation of {self.email} to {self.program} as {self.get_role_display()}"


#: The IHI assessment scale for collaboratives, 0.5 to 5.0 in half steps, with
#: paraphrased definitions (DOMAIN.md section 2).
IHI_SCALE: dict[Decimal, str] = {
    Decimal("0.5"): "Intent to participate: the organisation has said it will join.",
    Decimal("1.0"): "Team formed: a team and charter exist; no further work yet.",
    Decimal("1.5"): "Planning for the project has begun: meetings, aim, measures chosen.",
    Decimal("2.0"): "Activity, but no changes: baseline data collected, changes not yet tested.",
    Decimal("2.5"): "Changes tested, but no improvement yet.",
    Decimal("3.0"): "Modest improvement: about 20% of the expected results.",
    Decimal("3.5"): "Improvement: further gains, measures moving toward the goals.",
    Decimal("4.0"): "Significant improvement: half or more of the goals met; implementation begun.",
    Decimal("4.5"): "Sustainable improvement: data show the gains are holding.",
    Decimal("5.0"): "Outstanding sustainable results: all goals met.",
}


class RatingKind(models.TextChoices):
    COACH = "coach", "Coach rating"
    SELF = "self", "Team self-rating"


class ProgressRating(models.Model):
    """A monthly progress score on the IHI scale, by a coach (or staff) or by the team.

    Rows are never edited: rating the same month again adds a row, and the newest
    row is the current score, so the history is kept.
    """

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="progress_ratings")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    month = models.DateField(help_text="First day of the month rated.")
    kind = models.CharField(max_length=5, choices=RatingKind.choices)
    score = models.DecimalField(
        max_digits=2,
        decimal_places=1,
        choices=[(value, f"{value} – {text}") for value, text in IHI_SCALE.items()],
    )
    rationale = models.TextField()
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-month", "-created_at"]
        indexes = [models.Index(fields=["program", "team", "month", "kind", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=Decimal("0.5"), score__lte=Decimal("5.0")),
                name="teams_rating_score_on_ihi_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.month:%B %Y} {self.kind}: {self.score}"
