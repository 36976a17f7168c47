"""GET /api/v1/collaboratives/<uuid>/progress/: the staff progress figures as JSON,
cached per caller for a short time and recomputed after any write to the
collaborative's data (dashboards.progress_cache)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from collaboratives.models import Collaborative
from core.api.views import ScopedAPIView

from ..progress import cached_progress_figures, progress_scope_or_404


class _Ref(serializers.Serializer):
    id = serializers.UUIDField()
    title = serializers.CharField()


class _MeasureRef(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    short_name = serializers.CharField()


class _MonthShare(serializers.Serializer):
    month = serializers.DateField(help_text="First day of the month.")
    has_period = serializers.BooleanField(help_text="The month has a reporting period.")
    due_date = serializers.DateField(allow_null=True, help_text="When the month's report is due.")
    is_due = serializers.BooleanField(help_text="The due date has passed.")
    handed_in = serializers.IntegerField(help_text="Active teams that submitted the month.")
    share = serializers.FloatField(allow_null=True, help_text="Percent of the active teams.")


class _MonthRatings(serializers.Serializer):
    month = serializers.DateField()
    counts = serializers.DictField(
        child=serializers.IntegerField(),
        help_text='Teams at each IHI score ("0.5" .. "5.0"): the coach\'s current rating.',
    )
    rated = serializers.IntegerField(help_text="Teams with a coach's rating that month.")


class _Section(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    baseline = serializers.FloatField(allow_null=True, help_text="Mean percent at baseline.")
    latest = serializers.FloatField(
        allow_null=True, help_text="Mean percent of the teams' latest later survey."
    )
    change = serializers.FloatField(
        allow_null=True, help_text="Mean change of the teams with both (points)."
    )
    teams_at_baseline = serializers.IntegerField()
    teams_with_later_survey = serializers.IntegerField()
    teams_with_both = serializers.IntegerField()


class _Signals(serializers.Serializer):
    measure = _MeasureRef()
    teams_improvement = serializers.IntegerField(
        help_text="Teams whose run chart has a signal in the better direction at its latest point."
    )
    teams_concern = serializers.IntegerField(help_text="The same, in the worse direction.")
    teams_with_data = serializers.IntegerField()


class _Cycles(serializers.Serializer):
    month = serializers.DateField()
    started = serializers.IntegerField()
    completed = serializers.IntegerField()


class ProgressFiguresSerializer(serializers.Serializer):
    collaborative = _Ref()
    as_of = serializers.DateField()
    active_teams = serializers.IntegerField()
    months = serializers.ListField(child=serializers.DateField())
    scores = serializers.ListField(child=serializers.CharField())
    submissions = _MonthShare(many=True)
    ratings = _MonthRatings(many=True)
    sections = _Section(many=True)
    signals = _Signals(many=True)
    cycles = _Cycles(many=True)


class CollaborativeProgress(ScopedAPIView, generics.GenericAPIView):
    """The progress of a whole collaborative, for its program staff (others: 404): the
    share of teams that reported each month, the coaches' IHI progress scores per month,
    the gap-analysis change from baseline per section, signals across teams per
    measure, and PDSA cycles started and completed per month."""

    serializer_class = ProgressFiguresSerializer
    queryset_model = Collaborative
    pagination_class = None

    def get_scope(self) -> Collaborative:
        # The active teams' ids come with the collaborative (one query): kept for `get`.
        collaborative, self.active_team_ids = progress_scope_or_404(
            user=self.request.user, collaborative_id=self.kwargs["collaborative_id"]
        )
        return collaborative

    @extend_schema(responses=ProgressFiguresSerializer)
    def get(self, request: Request, *args, **kwargs) -> Response:
        return Response(
            cached_progress_figures(
                user=request.user, collaborative=self.scope, team_ids=self.active_team_ids
            )
        )
