"""Explicit output shapes of the gap-analysis API (read-only)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assessments.models import (
    ResponseStatus,
    SurveyResponse,
    SurveyTemplate,
    SurveyWave,
    TemplateStatus,
    WaveKind,
)
from assessments.selectors import cached_sections


def _pattern_field(choices, description: str):
    """A choice documented as a pattern: drf-spectacular names enums after the field,
    and other apps' `kind`/`status` enums would collide with ours (a schema warning)."""

    @extend_schema_field(
        {
            "type": "string",
            "pattern": "^(" + "|".join(value for value, _ in choices) + ")$",
            "description": description,
        }
    )
    class PatternChoiceField(serializers.ChoiceField):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(choices=choices, **kwargs)

    return PatternChoiceField


TemplateStatusField = _pattern_field(
    TemplateStatus.choices, "draft (being built) or published (immutable)."
)
WaveKindField = _pattern_field(WaveKind.choices, "baseline, midpoint or follow_up.")
ResponseStatusField = _pattern_field(
    ResponseStatus.choices, "draft (being filled in) or submitted (read-only)."
)


class TemplateSerializer(serializers.ModelSerializer):
    """One version of an instrument. `definition` holds its sections and questions."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    program = serializers.UUIDField(source="program.public_id", read_only=True)
    lineage = serializers.UUIDField(
        read_only=True, help_text="Shared by every version of the same instrument."
    )
    status = TemplateStatusField(read_only=True)
    max_points = serializers.DecimalField(max_digits=7, decimal_places=2, read_only=True)
    definition = serializers.JSONField(
        read_only=True,
        help_text="{sections: [{key, title, description, questions: [{key, text, help, type, "
        "points, options, bands, required, allow_na, profile, show_if, impact}]}]}",
    )

    class Meta:
        model = SurveyTemplate
        fields = [
            "id",
            "program",
            "lineage",
            "version",
            "status",
            "name",
            "description",
            "max_points",
            "published_at",
            "definition",
        ]
        read_only_fields = fields


class TemplateBriefSerializer(TemplateSerializer):
    class Meta(TemplateSerializer.Meta):
        fields = [f for f in TemplateSerializer.Meta.fields if f != "definition"]
        read_only_fields = fields


class WaveSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    collaborative = serializers.UUIDField(source="collaborative.public_id", read_only=True)
    template = serializers.UUIDField(source="template.public_id", read_only=True)
    kind = WaveKindField(read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = SurveyWave
        fields = ["id", "collaborative", "template", "kind", "kind_display", "opens_on", "due_on"]
        read_only_fields = fields


class SectionScoreSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    earned = serializers.DecimalField(max_digits=7, decimal_places=2)
    possible = serializers.DecimalField(max_digits=7, decimal_places=2)
    score = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        allow_null=True,
        help_text="Percent of the points that apply; null when none apply.",
    )


class ResponseSerializer(serializers.ModelSerializer):
    """A team's response. Scores are those cached at submission (null for drafts)."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    wave = serializers.UUIDField(source="wave.public_id", read_only=True)
    wave_kind = WaveKindField(source="wave.kind", read_only=True)
    collaborative = serializers.UUIDField(source="collaborative.public_id", read_only=True)
    team = serializers.UUIDField(source="team.public_id", read_only=True)
    team_name = serializers.CharField(source="team.name", read_only=True)
    template = serializers.UUIDField(source="template.public_id", read_only=True)
    status = ResponseStatusField(read_only=True)
    score = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        read_only=True,
        allow_null=True,
        help_text="Out of 100, after removing not-applicable items.",
    )
    sections = SectionScoreSerializer(source="section_scores", many=True, read_only=True)

    class Meta:
        model = SurveyResponse
        fields = [
            "id",
            "wave",
            "wave_kind",
            "collaborative",
            "team",
            "team_name",
            "template",
            "status",
            "submitted_at",
            "score",
            "earned",
            "possible",
            "sections",
        ]
        read_only_fields = fields


class AnswerSerializer(serializers.Serializer):
    question = serializers.CharField(help_text="The question key, e.g. A1.")
    value = serializers.JSONField(
        allow_null=True,
        help_text="yes/no, an option key, a list of option keys, a number as text, or text.",
    )
    not_applicable = serializers.BooleanField()
    updated_by = serializers.CharField(allow_null=True, help_text="Who changed it last.")
    updated_at = serializers.DateTimeField()


class ResponseDetailSerializer(ResponseSerializer):
    """The response with every answer and its last editor, and the score as it stands."""

    answers = serializers.SerializerMethodField()
    current = serializers.SerializerMethodField()

    class Meta(ResponseSerializer.Meta):
        fields = [*ResponseSerializer.Meta.fields, "answers", "current"]
        read_only_fields = fields

    @extend_schema_field(AnswerSerializer(many=True))
    def get_answers(self, response: SurveyResponse) -> list[dict]:
        return [
            {
                "question": row.question_key,
                "value": row.value,
                "not_applicable": row.not_applicable,
                "updated_by": row.updated_by.display_name if row.updated_by else None,
                "updated_at": row.updated_at,
            }
            for row in self.context["answer_rows"].values()
        ]

    @extend_schema_field(
        {
            "type": "object",
            "description": "The score computed from the answers now (drafts included): "
            "score, earned, possible and sections.",
            "properties": {
                "score": {"type": "string", "nullable": True},
                "earned": {"type": "string"},
                "possible": {"type": "string"},
                "sections": {"type": "array", "items": {"type": "object"}},
            },
        }
    )
    def get_current(self, response: SurveyResponse) -> dict:
        result = self.context["result"]
        return {
            "score": str(result.score) if result.score is not None else None,
            "earned": str(result.earned),
            "possible": str(result.possible),
            "sections": cached_sections(result),
        }
