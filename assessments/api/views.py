"""Gap-analysis API: templates, waves, responses and the latest score per team.

Read-only and scoped to the caller (core.api.views.UserScopedReadOnlyViewSet):
templates for the program's staff and coaches (and the published versions a team's
waves use), waves for everyone in the collaborative, responses and scores for the
team's members, its assigned coaches and program staff. Another program's ids
answer 404.
"""

import django_filters
from rest_framework.response import Response

from assessments.models import (
    ResponseStatus,
    SurveyResponse,
    SurveyTemplate,
    SurveyWave,
    TemplateStatus,
    WaveKind,
)
from assessments.selectors import (
    answer_rows,
    latest_scores_visible_to,
    response_result,
    responses_visible_to,
    templates_visible_to,
    waves_visible_to,
)
from core.api.views import UserScopedReadOnlyViewSet

from .serializers import (
    ResponseDetailSerializer,
    ResponseSerializer,
    TemplateBriefSerializer,
    TemplateSerializer,
    WaveSerializer,
)


class TemplateFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=TemplateStatus.choices)
    lineage = django_filters.UUIDFilter()

    class Meta:
        model = SurveyTemplate
        fields = ["status", "lineage"]


class TemplateViewSet(UserScopedReadOnlyViewSet):
    """Survey template versions; the detail includes every section and question."""

    queryset_model = SurveyTemplate
    lookup_url_kwarg = "template_id"
    filterset_class = TemplateFilter
    ordering_fields = ["name", "version", "published_at"]

    def get_serializer_class(self):
        return TemplateSerializer if self.action == "retrieve" else TemplateBriefSerializer

    def scoped_queryset(self, user):
        return templates_visible_to(user=user).order_by("name", "-version")


class WaveFilter(django_filters.FilterSet):
    collaborative = django_filters.UUIDFilter(field_name="collaborative__public_id")
    kind = django_filters.ChoiceFilter(choices=WaveKind.choices)

    class Meta:
        model = SurveyWave
        fields = ["collaborative", "kind"]


class WaveViewSet(UserScopedReadOnlyViewSet):
    """Survey waves of the collaboratives the caller works in."""

    serializer_class = WaveSerializer
    queryset_model = SurveyWave
    lookup_url_kwarg = "wave_id"
    filterset_class = WaveFilter
    ordering_fields = ["opens_on", "due_on"]

    def scoped_queryset(self, user):
        return waves_visible_to(user=user).order_by("opens_on", "pk")


class ResponseFilter(django_filters.FilterSet):
    wave = django_filters.UUIDFilter(field_name="wave__public_id")
    team = django_filters.UUIDFilter(field_name="team__public_id")
    collaborative = django_filters.UUIDFilter(field_name="collaborative__public_id")
    status = django_filters.ChoiceFilter(choices=ResponseStatus.choices)

    class Meta:
        model = SurveyResponse
        fields = ["wave", "team", "collaborative", "status"]


class ResponseViewSet(UserScopedReadOnlyViewSet):
    """Teams' responses: a team sees its own, coaches their teams', staff all of the
    program's. The detail lists every answer with its last editor."""

    queryset_model = SurveyResponse
    lookup_url_kwarg = "response_id"
    filterset_class = ResponseFilter
    ordering_fields = ["submitted_at", "score"]

    def get_serializer_class(self):
        return ResponseDetailSerializer if self.action == "retrieve" else ResponseSerializer

    def scoped_queryset(self, user):
        return responses_visible_to(user=user).order_by("-created_at", "pk")

    def retrieve(self, request, *args, **kwargs) -> Response:
        response = self.get_object()
        result, _ = response_result(response=response)
        context = {
            **self.get_serializer_context(),
            "answer_rows": answer_rows(response=response),
            "result": result,
        }
        return Response(ResponseDetailSerializer(response, context=context).data)


class ScoreFilter(django_filters.FilterSet):
    collaborative = django_filters.UUIDFilter(field_name="collaborative__public_id")
    team = django_filters.UUIDFilter(field_name="team__public_id")

    class Meta:
        model = SurveyResponse
        fields = ["collaborative", "team"]


class LatestScoreViewSet(UserScopedReadOnlyViewSet):
    """Each visible team's most recently submitted survey and its score (for the coach
    dashboard: one row per team)."""

    serializer_class = ResponseSerializer
    queryset_model = SurveyResponse
    lookup_url_kwarg = "response_id"
    filterset_class = ScoreFilter
    ordering_fields = ["submitted_at", "score"]

    def scoped_queryset(self, user):
        return latest_scores_visible_to(user=user).order_by("team__name", "pk")
