"""Evaluation summaries in the API: one event's, and a collaborative's across its events.

For program staff and the program's coaches (what the coach dashboard and integrations
read); coaches get counts, means and distributions but not the written answers
(`comments` is null and `comments_included` false), exactly as on the pages. Nobody gets
names. Everyone else who may see the event gets 403; other programs 404 (the scope).
"""

from __future__ import annotations

from django.db.models import Model
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from collaboratives.api.base import CollaborativeScopedAPIView

from ..evaluation_results import (
    CollaborativeEvaluationSummary,
    EvaluationSummary,
    collaborative_evaluation_summary,
    evaluation_summary,
)
from ..evaluations import can_read_comments, can_read_results
from ..models import EvaluationResponse
from .base import EventScopedAPIView

RESULTS_REFUSED = "Evaluation results are for program staff and coaches."


@extend_schema_field(
    {
        "type": "object",
        "nullable": True,
        "description": "Rating questions: how many answers gave each score, keys '1' to '5'. "
        "Null for free-text questions.",
        "additionalProperties": {"type": "integer"},
    }
)
class DistributionField(serializers.Field):
    def to_representation(self, value):
        return {str(score): n for score, n in value.items()}


class QuestionResultSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="question.public_id", read_only=True)
    prompt = serializers.CharField(source="question.prompt", read_only=True)
    kind = serializers.CharField(
        source="question.kind", read_only=True, help_text="rating (1 to 5) or text."
    )
    is_active = serializers.BooleanField(
        source="question.is_active",
        read_only=True,
        help_text="False for a retired question (no longer asked, kept in past results).",
    )
    count = serializers.IntegerField(read_only=True, help_text="Answers to the question.")
    mean = serializers.DecimalField(max_digits=3, decimal_places=2, read_only=True, allow_null=True)
    distribution = serializers.SerializerMethodField()
    comments = serializers.SerializerMethodField()

    @extend_schema_field(DistributionField(allow_null=True))
    def get_distribution(self, result):
        return (
            DistributionField().to_representation(result.distribution) if result.is_rating else None
        )

    @extend_schema_field(serializers.ListField(child=serializers.CharField(), allow_null=True))
    def get_comments(self, result):
        if result.is_rating or not self.context.get("show_comments"):
            return None
        return result.comments


class CommentsIncludedField(serializers.BooleanField):
    """Whether the caller reads the written answers (from the view's context)."""

    def to_representation(self, value) -> bool:
        return bool(self.context.get("show_comments"))


class EvaluationSummarySerializer(serializers.Serializer):
    asked = serializers.IntegerField(
        read_only=True, help_text="People who attended (or answered): those asked."
    )
    answered = serializers.IntegerField(read_only=True)
    response_rate = serializers.DecimalField(
        max_digits=5,
        decimal_places=4,
        read_only=True,
        allow_null=True,
        help_text="answered / asked, 0 to 1; null when nobody was asked.",
    )
    comments_included = CommentsIncludedField(
        source="*",
        read_only=True,
        help_text="True for program staff; coaches get no written answers (comments null).",
    )
    questions = QuestionResultSerializer(many=True, read_only=True)


class EventRowSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="event.public_id", read_only=True)
    title = serializers.CharField(source="event.title", read_only=True)
    starts_at = serializers.DateTimeField(source="event.starts_at", read_only=True)
    asked = serializers.IntegerField(read_only=True)
    answered = serializers.IntegerField(read_only=True)


class CollaborativeEvaluationSummarySerializer(serializers.Serializer):
    overall = EvaluationSummarySerializer(read_only=True)
    events = EventRowSerializer(many=True, read_only=True)


def _check(request: Request, collaborative) -> dict:
    if not can_read_results(user=request.user, collaborative=collaborative):
        raise PermissionDenied(RESULTS_REFUSED)
    return {"show_comments": can_read_comments(user=request.user, collaborative=collaborative)}


class EventEvaluationSummary(EventScopedAPIView):
    """An event's evaluation results: asked, answered, response rate, and per question
    the count, mean and distribution (ratings) or the written answers (staff only)."""

    serializer_class = EvaluationSummarySerializer
    queryset_model: type[Model] = EvaluationResponse
    pagination_class = None

    @extend_schema(responses=EvaluationSummarySerializer)
    def get(self, request: Request, *args, **kwargs) -> Response:
        context = _check(request, self.scope.collaborative)
        summary: EvaluationSummary = evaluation_summary(event=self.scope)
        return Response(EvaluationSummarySerializer(summary, context=context).data)


class CollaborativeEvaluationSummaryView(CollaborativeScopedAPIView):
    """The collaborative's evaluation results pooled across its events, and each event's
    counts."""

    serializer_class = CollaborativeEvaluationSummarySerializer
    queryset_model: type[Model] = EvaluationResponse
    pagination_class = None

    @extend_schema(responses=CollaborativeEvaluationSummarySerializer)
    def get(self, request: Request, *args, **kwargs) -> Response:
        context = _check(request, self.collaborative)
        summary: CollaborativeEvaluationSummary = collaborative_evaluation_summary(
            collaborative=self.collaborative
        )
        return Response(CollaborativeEvaluationSummarySerializer(summary, context=context).data)
