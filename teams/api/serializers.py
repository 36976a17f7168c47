"""Explicit input and output shapes of the team API."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from teams.models import (
    CoachAssignment,
    Facility,
    ProgressRating,
    RatingKind,
    Team,
    TeamMembership,
    VolumeBand,
)
from teams.selectors import score_definition
from teams.services import RATIONALE_MAX_LENGTH


class FacilitySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    # Declared: a read-only model field loses `allow_blank`, and the schema's enum then
    # leaves out the "" of a facility that gave no volume.
    volume_band = serializers.ChoiceField(
        choices=VolumeBand.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Facility
        fields = ["id", "name", "facility_type", "state", "city", "volume_band"]
        read_only_fields = fields


class TeamSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    collaborative = serializers.UUIDField(source="collaborative.public_id", read_only=True)
    facility = FacilitySerializer(read_only=True)

    class Meta:
        model = Team
        fields = ["id", "name", "collaborative", "facility", "status", "goals"]
        read_only_fields = fields
        extra_kwargs = {
            "goals": {
                "help_text": "What the team wrote it wants to achieve when it applied; its "
                "SMART aim, once written, is at /api/v1/teams/{id}/aim/."
            }
        }


@extend_schema_field(
    {
        "type": "string",
        "pattern": "^(" + "|".join(RatingKind.values) + ")$",
        "description": "One of: coach (by an assigned coach or program staff), "
        "self (the team's self-rating).",
    }
)
class RatingKindField(serializers.ChoiceField):
    """The rating kind, documented as a pattern rather than an enum: drf-spectacular
    names enums after the field, and another app's `kind` enum (phases) would collide
    with this one (a warning that fails the schema check)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(choices=RatingKind.choices, **kwargs)


class PersonSerializer(serializers.Serializer):
    """A person as teammates see them. `email` is null unless the caller is a member of
    the team, one of its assigned coaches or program staff (context `show_emails`)."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    full_name = serializers.CharField(read_only=True)
    credentials = serializers.CharField(read_only=True)
    display_name = serializers.CharField(read_only=True)
    email = serializers.SerializerMethodField()

    @extend_schema_field(
        serializers.EmailField(
            allow_null=True,
            help_text="Only for the team's members, its assigned coaches and program staff.",
        )
    )
    def get_email(self, person) -> str | None:
        return person.email if self.context.get("show_emails") else None


class PersonBriefSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    display_name = serializers.CharField(read_only=True)


class MembershipSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    person = PersonSerializer(source="user", read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = TeamMembership
        fields = ["id", "person", "role", "role_display", "joined_at"]
        read_only_fields = fields


class CoachAssignmentSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    coach = PersonSerializer(read_only=True)

    class Meta:
        model = CoachAssignment
        fields = ["id", "coach", "assigned_at"]
        read_only_fields = fields


class RatingSerializer(serializers.ModelSerializer):
    """A progress rating as stored. `is_current` is false for rows replaced by a newer
    rating of the same month and kind (they are kept as history)."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    team = serializers.UUIDField(source="team.public_id", read_only=True)
    month_label = serializers.SerializerMethodField()
    kind = RatingKindField(read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    score = serializers.DecimalField(max_digits=2, decimal_places=1, read_only=True)
    score_definition = serializers.SerializerMethodField()
    rated_by = PersonBriefSerializer(read_only=True, allow_null=True)
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = ProgressRating
        fields = [
            "id",
            "team",
            "month",
            "month_label",
            "kind",
            "kind_display",
            "score",
            "score_definition",
            "rationale",
            "rated_by",
            "created_at",
            "is_current",
        ]
        read_only_fields = fields

    def get_month_label(self, rating) -> str:
        return rating.month.strftime("%B %Y")

    def get_score_definition(self, rating) -> str:
        return score_definition(rating.score)


class RatingCreateSerializer(serializers.Serializer):
    """Input of a new rating. The team comes from the URL; the kind must be one the
    caller may give (coach: assigned coaches and staff; self: the team lead)."""

    kind = RatingKindField(
        required=False,
        help_text="Defaults to the one kind the caller may give; required when they may give both.",
    )
    month = serializers.DateField(
        required=False,
        help_text="Any day of the month rated (stored as its first day); defaults to the "
        "current month. Future months are refused.",
    )
    score = serializers.DecimalField(
        max_digits=2,
        decimal_places=1,
        min_value=Decimal("0.5"),
        max_value=Decimal("5.0"),
        help_text="IHI scale: 0.5 to 5.0 in steps of 0.5.",
    )
    rationale = serializers.CharField(max_length=RATIONALE_MAX_LENGTH, allow_blank=False)


class RatingDueSerializer(serializers.Serializer):
    """This month's progress ratings as the caller sees them: whether they are expected
    (the rule the pages share: teams.selectors.rating_rule), which kinds were given,
    and which the caller still owes (the lead the self-rating, an assigned coach the
    coach rating)."""

    month = serializers.DateField(source="expectation.month", help_text="First day of the month.")
    expected = serializers.BooleanField(
        source="expectation.expected",
        help_text="False for applications, declined or withdrawn teams, collaboratives "
        "not started or ended, and months before the team joined.",
    )
    reason = serializers.CharField(
        source="expectation.reason", help_text="Why no rating is expected (empty when one is)."
    )
    due = serializers.DateField(
        source="expectation.due", allow_null=True, help_text="The last day to rate the month."
    )
    given = serializers.SerializerMethodField()
    owed_by_you = serializers.SerializerMethodField()

    def get_given(self, status) -> list[str]:
        return sorted(status.given)

    def get_owed_by_you(self, status) -> list[str]:
        return list(status.owed)
