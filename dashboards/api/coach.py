"""The coach dashboard in the API: the same rows, ranking, sorting and filters as the page.

* GET /api/v1/dashboards/coach/: the caller's assigned teams, ranked by need;
* GET /api/v1/collaboratives/<id>/dashboard/teams/: a collaborative's teams (its
  program's staff: all; a coach: their own; anyone else 404);
* GET /api/v1/teams/<id>/summary/: one team's summary (its coach or program staff;
  others who may see the team 403, the rest 404).

Answers are cached per user for CACHE_SECONDS under a key that includes every listed
team's version (dashboards.summary_versions), so a change to a team's data shows at
once; listing the teams and reading their versions is what a cached answer costs.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.views import ScopedAPIView, UserScopedAPIView
from core.http import require
from teams.api.base import TeamScopedAPIView
from teams.models import Team

from ..ranking import REASONS, Ranked, filter_rows, parse_sort, rank, reasons_for, sort_rows
from ..summary import (
    cached_team_summaries,
    coach_dashboard_teams,
    collaborative_dashboard_scope,
    sees_team_summary,
    team_summaries,
)
from ..summary_versions import team_versions

#: How long an answer is reused for the same user and question (team changes bypass it).
CACHE_SECONDS = 60


class DashboardReasonSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=list(REASONS))
    text = serializers.CharField(help_text="The reason in words, e.g. 'no data for 2 months'.")
    weight = serializers.IntegerField()


class DashboardMeasureSerializer(serializers.Serializer):
    name = serializers.CharField()
    unit = serializers.CharField()
    is_balancing = serializers.BooleanField()
    values = serializers.ListField(
        child=serializers.FloatField(allow_null=True), help_text="The last 12 periods."
    )
    labels = serializers.ListField(child=serializers.CharField())
    signal = serializers.CharField(
        source="signal_tone", help_text="'improvement', 'concern' or '' (no new signal)."
    )
    signal_text = serializers.CharField()
    words = serializers.CharField(help_text="The sparkline's text alternative.")


class DashboardDataSerializer(serializers.Serializer):
    period = serializers.CharField(source="period_label")
    status = serializers.CharField()
    status_label = serializers.CharField()
    is_late = serializers.BooleanField()
    days_late = serializers.IntegerField()
    last_handed_in = serializers.DateField(allow_null=True)
    waiting_for_review = serializers.UUIDField(source="review_submission", allow_null=True)


class DashboardCyclesSerializer(serializers.Serializer):
    started_30 = serializers.IntegerField()
    completed_30 = serializers.IntegerField()
    started_90 = serializers.IntegerField()
    completed_90 = serializers.IntegerField()
    stalled = serializers.IntegerField()
    waiting_feedback = serializers.IntegerField()
    last_started = serializers.DateTimeField(allow_null=True)


class DashboardScoreSerializer(serializers.Serializer):
    month = serializers.DateField()
    score = serializers.DecimalField(max_digits=2, decimal_places=1)


class DashboardRatingsSerializer(serializers.Serializer):
    coach = DashboardScoreSerializer(allow_null=True)
    self = DashboardScoreSerializer(source="self_rating", allow_null=True)
    gap = serializers.DecimalField(max_digits=2, decimal_places=1, allow_null=True)
    needs_talk = serializers.BooleanField(help_text="Coach and team are 1.0 or more apart.")
    rating_due = serializers.BooleanField()


class DashboardGapSerializer(serializers.Serializer):
    score = serializers.DecimalField(max_digits=4, decimal_places=1)
    wave = serializers.CharField(source="wave_label")
    change = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)


class DashboardTeamSerializer(serializers.Serializer):
    team = serializers.UUIDField(source="summary.team.public_id")
    name = serializers.CharField(source="summary.team.name")
    collaborative = serializers.UUIDField(source="summary.team.collaborative.public_id")
    collaborative_title = serializers.CharField(source="summary.team.collaborative.title")
    score = serializers.IntegerField(help_text="Needs-attention score: higher, look first.")
    reasons = DashboardReasonSerializer(many=True)
    data = DashboardDataSerializer(source="summary.data")
    measures = DashboardMeasureSerializer(source="summary.measures", many=True)
    cycles = DashboardCyclesSerializer(source="summary.cycles")
    ratings = DashboardRatingsSerializer(source="summary.ratings")
    gap_analysis = DashboardGapSerializer(source="summary.gap", allow_null=True)
    unread_comments = serializers.IntegerField(source="summary.unread_comments")
    events_attended = serializers.IntegerField(source="summary.events_attended")


FILTERS = [
    OpenApiParameter(
        "sort",
        OpenApiTypes.STR,
        description="need, name, collaborative, "
        "data, pdsa, rating or gap; '-' in front reverses it.",
    ),
    OpenApiParameter("reason", OpenApiTypes.STR, enum=list(REASONS)),
    OpenApiParameter("q", OpenApiTypes.STR, description="Part of the team's name."),
    OpenApiParameter("collaborative", OpenApiTypes.UUID),
]


def _cache_key(request: Request, teams: list[Team]) -> str:
    versions = team_versions([t.pk for t in teams])
    digest = hashlib.sha256(
        (
            request.path
            + "?"
            + "&".join(f"{k}={v}" for k, v in sorted(request.query_params.items()))
            + "|"
            + ",".join(f"{t.pk}:{versions[t.pk]}" for t in teams)
        ).encode()
    ).hexdigest()[:24]
    return f"dashboards:api:1:{request.user.pk}:{digest}"


class _DashboardList(ScopedAPIView):
    """Rows of a set of teams, ranked, filtered, sorted and paginated; cached."""

    queryset_model = Team
    filter_backends: list = []
    serializer_class = DashboardTeamSerializer

    def dashboard_teams(self) -> list[Team]:  # pragma: no cover - abstract
        raise NotImplementedError

    @extend_schema(parameters=FILTERS, responses=DashboardTeamSerializer(many=True))
    def get(self, request: Request, *args, **kwargs) -> Response:
        teams = self.dashboard_teams()
        key = _cache_key(request, teams)
        data = cache.get(key)
        if data is None:
            params = request.query_params
            reason = params.get("reason", "")
            column, descending = parse_sort(params.get("sort"))
            rows = sort_rows(
                filter_rows(
                    rank(cached_team_summaries(teams=teams, viewer=request.user)),
                    reason=reason if reason in REASONS else "",
                    query=params.get("q", "")[:100],
                    collaborative=params.get("collaborative", ""),
                ),
                column=column,
                descending=descending,
            )
            page = self.paginate_queryset(rows)
            data = self.get_paginated_response(DashboardTeamSerializer(page, many=True).data).data
            cache.set(key, data, timeout=CACHE_SECONDS)
        return Response(data)


class CoachDashboard(_DashboardList, UserScopedAPIView):
    """The caller's assigned teams across collaboratives, ranked by need."""

    def dashboard_teams(self) -> list[Team]:
        return coach_dashboard_teams(user=self.scope)


class CollaborativeDashboardTeams(_DashboardList):
    """A collaborative's teams ranked by need: every team for its program's staff,
    the caller's own for a coach; anyone else 404."""

    _teams: list[Team]

    def get_scope(self):
        # The scope and its teams in one query (summary.collaborative_dashboard_scope).
        collaborative, self._teams = collaborative_dashboard_scope(
            user=self.request.user, collaborative_id=self.kwargs["collaborative_id"]
        )
        return collaborative

    def dashboard_teams(self) -> list[Team]:
        return self._teams


class TeamSummaryView(TeamScopedAPIView):
    """One team's summary and needs-attention reasons (its coach or program staff)."""

    queryset_model = Team
    pagination_class = None
    filter_backends: list = []

    @extend_schema(responses=DashboardTeamSerializer)
    def get(self, request: Request, *args, **kwargs) -> Response:
        # Not self.access: its team role, not needed here, would cost a query.
        require(
            sees_team_summary(user=request.user, team=self.team),
            "Only the team's coach or program staff see its dashboard summary.",
        )
        key = _cache_key(request, [self.team])
        data = cache.get(key)
        if data is None:
            (summary,) = team_summaries(teams=[self.team], viewer=request.user)
            ranked = Ranked(summary=summary, reasons=reasons_for(summary))
            data = DashboardTeamSerializer(ranked).data
            cache.set(key, data, timeout=CACHE_SECONDS)
        return Response(data)
