"""Explicit input and output shapes of the PDSA API."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core import clock
from teams.api.serializers import PersonBriefSerializer

from ..models import Aim, ChangeIdea, Comment, Cycle, Decision, Driver, Scale, Stage
from ..selectors import STALLED_AFTER
from ..services import COMMENT_MAX_LENGTH, TEXT_MAX_LENGTH
from ..stages import STAGES


def _pattern_field(choices, description: str, **kwargs) -> serializers.ChoiceField:
    """A choice documented as a pattern, not an enum: drf-spectacular names enums
    after the field, and other apps' fields of the same name would collide."""

    @extend_schema_field(
        {
            "type": "string",
            "pattern": "^(" + "|".join(value for value, _ in choices) + ")?$",
            "description": description,
        }
    )
    class PatternChoiceField(serializers.ChoiceField):
        pass

    return PatternChoiceField(choices=choices, **kwargs)


class AimSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    team = serializers.UUIDField(source="team.public_id", read_only=True)
    missing_parts = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="SMART parts still empty (what will improve, how much, by when, for whom).",
    )

    class Meta:
        model = Aim
        fields = [
            "id",
            "team",
            "statement",
            "what",
            "how_much",
            "by_when",
            "for_whom",
            "missing_parts",
            "updated_at",
        ]
        read_only_fields = fields


class DriverSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    kind = _pattern_field(
        [("primary", ""), ("secondary", "")], "primary or secondary", read_only=True
    )
    parent = serializers.UUIDField(source="parent.public_id", read_only=True, allow_null=True)
    is_retired = serializers.SerializerMethodField()

    class Meta:
        model = Driver
        fields = ["id", "kind", "parent", "title", "description", "position", "is_retired"]
        read_only_fields = fields

    def get_is_retired(self, driver) -> bool:
        return driver.retired_at is not None


class ChangeIdeaSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    driver = serializers.UUIDField(source="driver.public_id", read_only=True, allow_null=True)
    from_change_package = serializers.SerializerMethodField()
    is_retired = serializers.SerializerMethodField()
    is_shared = serializers.SerializerMethodField()

    class Meta:
        model = ChangeIdea
        fields = [
            "id",
            "driver",
            "title",
            "description",
            "gap_item",
            "from_change_package",
            "position",
            "is_retired",
            "is_shared",
            "share_notes",
        ]
        read_only_fields = fields

    def get_from_change_package(self, idea) -> bool:
        return idea.source_item_id is not None

    def get_is_retired(self, idea) -> bool:
        return idea.retired_at is not None

    def get_is_shared(self, idea) -> bool:
        return idea.shared_at is not None


STAGE_DESCRIPTION = "plan, do, study, act or complete"


class LinkedMeasureSerializer(serializers.Serializer):
    """A measure of the team's set that a cycle links as the data showing its result."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    name = serializers.CharField(read_only=True)
    short_name = serializers.CharField(read_only=True)


class CycleSerializer(serializers.ModelSerializer):
    """A cycle as stored, with its stage in words and whether it stalled."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    team = serializers.UUIDField(source="team.public_id", read_only=True)
    change_idea = serializers.UUIDField(source="change_idea.public_id", read_only=True)
    change_idea_title = serializers.CharField(source="change_idea.title", read_only=True)
    builds_on = serializers.UUIDField(source="builds_on.public_id", read_only=True, allow_null=True)
    stage = _pattern_field(Stage.choices, STAGE_DESCRIPTION, read_only=True)
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)
    scale = _pattern_field(Scale.choices, "size of the test", read_only=True)
    decision = _pattern_field(Decision.choices, "adopt, adapt or abandon", read_only=True)
    created_by = PersonBriefSerializer(read_only=True, allow_null=True)
    is_stalled = serializers.SerializerMethodField()
    linked_measures = LinkedMeasureSerializer(many=True, read_only=True)

    class Meta:
        model = Cycle
        fields = [
            "id",
            "team",
            "change_idea",
            "change_idea_title",
            "builds_on",
            "stage",
            "stage_display",
            "title",
            "scale",
            "objective",
            "questions",
            "predictions",
            "plan_details",
            "data_to_collect",
            "plan_date",
            "do_date",
            "what_happened",
            "observations",
            "problems",
            "study_date",
            "results",
            "learned",
            "linked_measures",
            "measure_notes",
            "act_date",
            "decision",
            "next_steps",
            "completed_date",
            "created_by",
            "created_at",
            "updated_at",
            "awaiting_feedback_since",
            "is_stalled",
        ]
        read_only_fields = fields

    def get_is_stalled(self, cycle) -> bool:

        return cycle.stage != Stage.COMPLETE and cycle.updated_at < clock.now() - STALLED_AFTER


def _text(**kwargs) -> serializers.CharField:
    return serializers.CharField(
        required=False, allow_blank=True, max_length=TEXT_MAX_LENGTH, **kwargs
    )


class CycleWriteSerializer(serializers.Serializer):
    """Input of a new cycle (POST) or of edits (PATCH). The team comes from the URL;
    `change_idea` and `builds_on` must be the team's own. `stage` asks to move the
    cycle on: the required fields of every earlier stage must be filled. Fields of
    a stage the cycle has not reached are refused."""

    change_idea = serializers.UUIDField(required=False)
    builds_on = serializers.UUIDField(required=False, allow_null=True)
    stage = _pattern_field(
        Stage.choices, f"Move the cycle to this stage ({STAGE_DESCRIPTION})", required=False
    )
    title = serializers.CharField(required=False, max_length=200)
    scale = _pattern_field(Scale.choices, "size of the test", required=False, allow_blank=True)
    objective = _text()
    questions = _text()
    predictions = _text()
    plan_details = _text(help_text="Who, what, when and where.")
    data_to_collect = _text()
    plan_date = serializers.DateField(required=False, allow_null=True)
    do_date = serializers.DateField(required=False, allow_null=True)
    what_happened = _text()
    observations = _text()
    problems = _text()
    study_date = serializers.DateField(required=False, allow_null=True)
    results = _text()
    learned = _text()
    linked_measures = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        max_length=50,
        help_text="Ids of measures of the team's set whose data shows the result (Study "
        "stage); the list replaces the cycle's links, an empty list removes them.",
    )
    measure_notes = _text()
    act_date = serializers.DateField(required=False, allow_null=True)
    decision = _pattern_field(
        Decision.choices, "adopt, adapt or abandon", required=False, allow_blank=True
    )
    next_steps = _text()


class CommentSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    cycle = serializers.UUIDField(source="cycle.public_id", read_only=True)
    stage = _pattern_field(
        Stage.choices, "the stage commented on (empty: the whole cycle)", read_only=True
    )
    author = PersonBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Comment
        fields = ["id", "cycle", "stage", "author", "by_coach", "body", "created_at"]
        read_only_fields = fields


class CommentCreateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=COMMENT_MAX_LENGTH)
    stage = _pattern_field(
        [(s, s) for s in STAGES if s != Stage.COMPLETE],
        "A stage the cycle has reached; empty or absent for the whole cycle.",
        required=False,
        allow_blank=True,
    )
