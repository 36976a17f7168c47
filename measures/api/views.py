"""Measures API: definitions, a team's series with its analysis, the collaborative's
pooled series, submissions and their status; writes for data points and submissions.

Every view is scoped (core.api.views.ScopedAPIView). Nested views inherit the base of
what the URL names (teams.api.base.TeamScopedAPIView,
collaboratives.api.base.CollaborativeScopedAPIView), which finds it through the user's
selectors before any handler runs (404 when it is not visible); rows are then read
through measures.selectors. Writes take the team and program from the URL, never from
the body; the measure and period named in a body must be the team's own (else 400),
and go through the same services as the pages (whose Django ValidationErrors become
400s in core.api.exceptions).
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models.functions import Length
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from collaboratives.api.base import CollaborativeScopedAPIView
from core import clock
from core.api.pagination import PageNumberPagination
from core.api.views import UserScopedAPIView
from teams.api.base import TeamScopedAPIView

from .. import services
from ..analysis import RULE_SETS, Settings, analyse_series
from ..models import (
    ChartType,
    CollaborativeMeasure,
    DataPoint,
    Measure,
    ReportingPeriod,
    Submission,
)
from ..periods import has_ended, has_started, not_ended_message, not_started_message
from ..selectors import (
    collaborative_access,
    collaborative_teams_query_for,
    data_points_of_team,
    measure_in_set,
    measure_set_of,
    measures_visible_to,
    period_get,
    pooled_left_out,
    pooled_series,
    submission_grid,
    team_measure_get,
    team_measure_rows,
    team_period_statuses,
    team_series,
)
from ..validation import Entry
from .serializers import (
    DataPointSerializer,
    DataPointUpdateSerializer,
    DataPointWriteSerializer,
    MeasureSerializer,
    PeriodSerializer,
    PeriodStatusSerializer,
    ReviewSerializer,
    SeriesSerializer,
    SetEntrySerializer,
    SubmissionDetailSerializer,
    TeamMeasureSerializer,
    TeamStatusSerializer,
    series_payload,
)

SERIES_PARAMETERS = [
    OpenApiParameter(
        "chart",
        OpenApiTypes.STR,
        description="run (default) or control (p, u, c or i chart by the kind of data).",
        enum=["run", "control"],
    ),
    OpenApiParameter(
        "rollup",
        OpenApiTypes.STR,
        description="month (default) or quarter (monthly data added up).",
        enum=["month", "quarter"],
    ),
    OpenApiParameter(
        "rules",
        OpenApiTypes.STR,
        description="The rules that find signals: anhoej (default, qicharts2) or ihi.",
        enum=sorted(RULE_SETS),
    ),
]


def _series_settings(request: Request, tm=None) -> Settings:
    chart = request.query_params.get("chart")
    rollup = request.query_params.get("rollup")
    if chart not in (None, ChartType.RUN, ChartType.CONTROL):
        raise ValidationError({"chart": ["Choose run or control."]})
    if rollup not in (None, "month", "quarter"):
        raise ValidationError({"rollup": ["Choose month or quarter."]})
    rules = request.query_params.get("rules")
    if rules is not None and rules not in RULE_SETS:
        raise ValidationError({"rules": [f"Choose {' or '.join(sorted(RULE_SETS))}."]})
    return Settings.from_team_measure(tm, chart_type=chart, rollup=rollup, rules=rules)


# --- definitions -------------------------------------------------------------------------


class MeasureFilter(django_filters.FilterSet):
    collaborative = django_filters.UUIDFilter(
        field_name="set_entries__collaborative__public_id",
        help_text="Only the measure set of this collaborative.",
    )

    class Meta:
        model = Measure
        fields = ["collaborative"]


class MeasureList(UserScopedAPIView, generics.ListAPIView):
    """Measure definitions the caller may read: the library of their programs (staff,
    coaches), their collaboratives' measure sets, and their teams' own measures."""

    serializer_class = MeasureSerializer
    queryset_model = Measure
    filterset_class = MeasureFilter
    ordering_fields = ["code", "name"]

    def scoped_queryset(self, user):
        return measures_visible_to(user=user).order_by(Length("code"), "code", "name")


class MeasureDetail(UserScopedAPIView, generics.RetrieveAPIView):
    """One measure definition the caller may read."""

    serializer_class = MeasureSerializer
    queryset_model = Measure
    lookup_url_kwarg = "measure_id"

    def scoped_queryset(self, user):
        return measures_visible_to(user=user)


# --- the collaborative -------------------------------------------------------------------


class CollaborativeMeasureSet(CollaborativeScopedAPIView, generics.ListAPIView):
    """The collaborative's measure set (required and optional measures), in order."""

    serializer_class = SetEntrySerializer
    queryset_model = CollaborativeMeasure
    pagination_class = None

    def scoped_queryset(self, collaborative):
        return (
            CollaborativeMeasure.objects.filter(
                pk__in=[e.pk for e in measure_set_of(collaborative=collaborative)]
            )
            .select_related("measure")
            .order_by("position", "measure__code")
        )


class CollaborativePeriods(CollaborativeScopedAPIView, generics.ListAPIView):
    """The collaborative's reporting periods with their due dates."""

    serializer_class = PeriodSerializer
    queryset_model = ReportingPeriod
    pagination_class = None

    def scoped_queryset(self, collaborative):
        return ReportingPeriod.objects.filter(
            program_id=collaborative.program_id, collaborative=collaborative
        ).order_by("start", "frequency")


class CollaborativePooledSeries(CollaborativeScopedAPIView, generics.GenericAPIView):
    """The collaborative's pooled series of one measure (sum of numerators over sum of
    denominators; counts added; continuous values averaged) with its analysis. Only
    periods that have ended and that the collaborative's minimum share of its teams
    reported are pooled; each point says how many teams it covers, and `left_out`
    lists the other periods with the reason."""

    serializer_class = SeriesSerializer
    queryset_model = CollaborativeMeasure

    @extend_schema(parameters=SERIES_PARAMETERS, responses=SeriesSerializer)
    def get(self, request: Request, *args, **kwargs) -> Response:
        collaborative = self.collaborative
        try:
            entry = measure_in_set(
                collaborative=collaborative, measure_id=self.kwargs["measure_id"]
            )
        except ObjectDoesNotExist:
            raise Http404("No such measure in this collaborative.") from None
        settings = _series_settings(request)
        settings.baseline_end, settings.phase_starts = None, []
        pooled = pooled_series(collaborative=collaborative, measure=entry.measure)
        analysis = analyse_series(pooled, settings)
        return Response(SeriesSerializer(series_payload(analysis, pooled_left_out(pooled))).data)


#: Periods per team in a submission-status answer: the latest 12 unless `periods` asks
#: for more, at most 36 (three years of months). Every team carrying all 36 made a page
#: of 25 teams slow under load (900 cells).
STATUS_PERIODS_DEFAULT = 12
STATUS_PERIODS_MAX = 36
STATUS_PERIODS_PARAMETER = OpenApiParameter(
    "periods",
    {
        "type": "integer",
        "minimum": 1,
        "maximum": STATUS_PERIODS_MAX,
        "default": STATUS_PERIODS_DEFAULT,
    },
    description=f"How many of the latest started periods each team carries (default "
    f"{STATUS_PERIODS_DEFAULT}, at most {STATUS_PERIODS_MAX}); the answer's `periods` "
    "lists them, oldest first.",
)


def _status_periods(request: Request) -> int:
    """The `periods` query parameter, checked (400 with the rule in words)."""
    value = request.query_params.get("periods")
    if value is None:
        return STATUS_PERIODS_DEFAULT
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= STATUS_PERIODS_MAX:
        raise ValidationError(
            {"periods": [f"Give a whole number of periods from 1 to {STATUS_PERIODS_MAX}."]}
        )
    return int(value)


class StatusPagination(PageNumberPagination):
    """25 teams a page by default, like the status page; the answer also says which
    periods each team carries (`periods`)."""

    page_size = 25

    def get_paginated_response_schema(self, schema: dict) -> dict:
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"]["periods"] = {
            "type": "array",
            "items": {"$ref": "#/components/schemas/Period"},
            "description": "The periods each team's `periods` covers, oldest first (the "
            "latest `periods` started ones).",
        }
        paginated["required"] = [*paginated.get("required", []), "periods"]
        return paginated


class CollaborativeSubmissionStatus(CollaborativeScopedAPIView, generics.GenericAPIView):
    """Every visible team's status for the latest started periods (`periods`: 12 by
    default, at most 36), with the number of those periods that are late (program
    staff: every team; coaches: their teams). For the coach dashboard. Paged by team
    (by name, `page` and `page_size`, core.api.pagination): a page costs the same
    queries (count, its teams, the periods, their submissions) whatever the number of
    teams in the collaborative."""

    serializer_class = TeamStatusSerializer
    queryset_model = Submission
    pagination_class = StatusPagination
    filter_backends: list = []  # ordered by team name; no `ordering` to document

    @extend_schema(parameters=[STATUS_PERIODS_PARAMETER], responses=TeamStatusSerializer(many=True))
    def get(self, request: Request, *args, **kwargs) -> Response:
        collaborative = self.collaborative
        access = collaborative_access(user=request.user, collaborative=collaborative)
        if not access.can_see_status:
            raise PermissionDenied("Submission status is for program staff and coaches.")
        limit = _status_periods(request)
        teams = self.paginate_queryset(
            collaborative_teams_query_for(user=request.user, collaborative=collaborative)
        )
        grid = submission_grid(collaborative=collaborative, teams=teams, limit=limit)
        rows = [
            {"team": team, "periods": cells, "late": sum(1 for c in cells if c.is_late)}
            for team, cells in grid.rows
        ]
        response = self.get_paginated_response(TeamStatusSerializer(rows, many=True).data)
        response.data["periods"] = PeriodSerializer(grid.periods, many=True).data
        return response


# --- the team ----------------------------------------------------------------------------


class TeamMeasureList(TeamScopedAPIView, generics.GenericAPIView):
    """The team's measure set (required, selected optional and the team's own) with the
    team's chart settings."""

    serializer_class = TeamMeasureSerializer
    queryset_model = Measure
    pagination_class = None

    @extend_schema(responses=TeamMeasureSerializer(many=True))
    def get(self, request: Request, *args, **kwargs) -> Response:
        rows = team_measure_rows(team=self.team)
        return Response(TeamMeasureSerializer(rows, many=True).data)


class TeamSeries(TeamScopedAPIView, generics.GenericAPIView):
    """The team's series of one measure with the analysis from analyze(): values,
    centre line and limits, signals explained in words, warnings. The team's baseline
    and phases apply; `chart` and `rollup` choose the view."""

    serializer_class = SeriesSerializer
    queryset_model = DataPoint

    @extend_schema(parameters=SERIES_PARAMETERS, responses=SeriesSerializer)
    def get(self, request: Request, *args, **kwargs) -> Response:
        team = self.team
        try:
            row = team_measure_get(team=team, measure_id=self.kwargs["measure_id"])
        except ObjectDoesNotExist:
            raise Http404("No such measure for this team.") from None
        analysis = analyse_series(
            team_series(team=team, measure=row.measure), _series_settings(request, row.settings)
        )
        return Response(SeriesSerializer(series_payload(analysis)).data)


class DataPointFilter(django_filters.FilterSet):
    measure = django_filters.UUIDFilter(field_name="measure__public_id")
    period = django_filters.UUIDFilter(field_name="period__public_id")

    class Meta:
        model = DataPoint
        fields = ["measure", "period"]


class DataPointList(TeamScopedAPIView, generics.ListCreateAPIView):
    """The team's current values; POST enters (or changes) the value of a measure of the
    team's set for a period (the team's members and program staff)."""

    serializer_class = DataPointSerializer
    queryset_model = DataPoint
    filterset_class = DataPointFilter
    ordering_fields = ["updated_at"]

    def scoped_queryset(self, team):
        return data_points_of_team(team=team)

    @extend_schema(request=DataPointWriteSerializer, responses={201: DataPointSerializer})
    def post(self, request: Request, *args, **kwargs) -> Response:
        team = self.team
        if not self.access.can_enter_data:
            raise PermissionDenied("Only the team's members and program staff enter its data.")
        body = DataPointWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            row = team_measure_get(team=team, measure_id=data["measure"])
        except ObjectDoesNotExist:
            raise ValidationError({"measure": ["Not a measure of this team's set."]}) from None
        try:
            period = period_get(collaborative=team.collaborative, period_id=data["period"])
        except ObjectDoesNotExist:
            raise ValidationError({"period": ["Not a period of this collaborative."]}) from None
        entry = Entry(
            data.get("numerator"), data.get("denominator"), data.get("value"), data.get("note", "")
        )
        if entry.is_blank and not entry.note:
            raise ValidationError({"non_field_errors": ["Give the numbers (or a note)."]})
        point = services.data_point_upsert(
            team=team, measure=row.measure, period=period, entry=entry, actor=request.user
        )
        point = data_points_of_team(team=team).get(pk=point.pk)
        return Response(DataPointSerializer(point).data, status=status.HTTP_201_CREATED)


class DataPointDetail(TeamScopedAPIView, generics.RetrieveAPIView):
    """One value; PATCH changes it (its history is kept), DELETE deletes it softly
    (program staff can restore it)."""

    serializer_class = DataPointSerializer
    queryset_model = DataPoint
    lookup_url_kwarg = "data_point_id"

    def scoped_queryset(self, team):
        return data_points_of_team(team=team)

    @extend_schema(request=DataPointUpdateSerializer, responses=DataPointSerializer)
    def patch(self, request: Request, *args, **kwargs) -> Response:
        point = self.get_object()
        if not self.access.can_enter_data:
            raise PermissionDenied("Only the team's members and program staff enter its data.")
        body = DataPointUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        entry = Entry(
            data.get("numerator", point.numerator),
            data.get("denominator", point.denominator),
            data.get("value", point.value),
            data.get("note", point.note),
        )
        if entry.is_blank and not entry.note:
            raise ValidationError(
                {
                    "non_field_errors": [
                        "Give the numbers (or a note); to remove the value, send DELETE."
                    ]
                }
            )
        services.data_point_upsert(
            team=self.team,
            measure=point.measure,
            period=point.period,
            entry=entry,
            actor=request.user,
        )
        point = data_points_of_team(team=self.team).get(pk=point.pk)
        return Response(DataPointSerializer(point).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, *args, **kwargs) -> Response:
        point = self.get_object()
        if not self.access.can_enter_data:
            raise PermissionDenied("Only the team's members and program staff enter its data.")
        services.data_point_delete(data_point=point, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TeamSubmissionList(TeamScopedAPIView, generics.GenericAPIView):
    """Every period of the team's collaborative with the team's status (not started,
    draft, submitted, reviewed, returned) and whether it is late."""

    serializer_class = PeriodStatusSerializer
    queryset_model = Submission
    pagination_class = None

    @extend_schema(responses=PeriodStatusSerializer(many=True))
    def get(self, request: Request, *args, **kwargs) -> Response:
        statuses = team_period_statuses(team=self.team)
        today = clock.today()
        return Response(
            PeriodStatusSerializer(
                [s for s in statuses if has_started(s.period, today)], many=True
            ).data
        )


class TeamPeriodAPIView(TeamScopedAPIView):
    """Scope: the reporting period named by `period_id`, one of the team's
    collaborative (else 404)."""

    scope: ReportingPeriod
    queryset_model = Submission

    def get_scope(self) -> ReportingPeriod:
        team = super().get_scope()
        try:
            return period_get(collaborative=team.collaborative, period_id=self.kwargs["period_id"])
        except ObjectDoesNotExist:
            raise Http404("No such period.") from None

    @property
    def period(self) -> ReportingPeriod:
        return self.scope

    def get_status(self):
        for status_ in team_period_statuses(team=self.team):
            if status_.period.pk == self.period.pk:
                return status_
        raise Http404("No such period.")


class TeamSubmissionDetail(TeamPeriodAPIView, generics.GenericAPIView):
    """The team's status and narrative for one period."""

    serializer_class = SubmissionDetailSerializer

    @extend_schema(responses=SubmissionDetailSerializer)
    def get(self, request: Request, *args, **kwargs) -> Response:
        return Response(SubmissionDetailSerializer(self.get_status()).data)


class TeamSubmissionSubmit(TeamPeriodAPIView, generics.GenericAPIView):
    """Hand in the period as it stands; the team's coaches are told by e-mail. A period
    can be submitted only once it has ended (400 before; values can be entered earlier)."""

    serializer_class = SubmissionDetailSerializer

    @extend_schema(request=None, responses=SubmissionDetailSerializer)
    def post(self, request: Request, *args, **kwargs) -> Response:
        team, period = self.team, self.period
        if not self.access.can_enter_data:
            raise PermissionDenied("Only the team's members and program staff submit its data.")
        if not has_started(period):
            raise ValidationError({"period": [not_started_message(period)]})
        if not has_ended(period):
            raise ValidationError({"period": [not_ended_message(period)]})
        rows = team_measure_rows(team=team)
        try:
            services.submission_submit(
                team=team,
                period=period,
                actor=request.user,
                team_set=[(r.measure, r.requirement) for r in rows],
            )
        except DjangoValidationError as error:
            # The problems are keyed by the measures of the period, not by fields of this
            # (empty) request: they are the request's non-field errors.
            raise DjangoValidationError(error.messages) from error
        return Response(SubmissionDetailSerializer(self.get_status()).data)


class TeamSubmissionReview(TeamPeriodAPIView, generics.GenericAPIView):
    """The coach (or staff) marks the period reviewed, or returns it with a comment."""

    serializer_class = SubmissionDetailSerializer

    @extend_schema(request=ReviewSerializer, responses=SubmissionDetailSerializer)
    def post(self, request: Request, *args, **kwargs) -> Response:
        team, period = self.team, self.period
        if not self.access.can_review:
            raise PermissionDenied("Only the team's coaches and program staff review its data.")
        body = ReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        submission = Submission.objects.filter(team=team, period=period).first()
        if submission is None:
            raise ValidationError({"non_field_errors": [f"{period.label} is not submitted."]})
        services.submission_review(
            submission=submission,
            actor=request.user,
            decision=body.validated_data["decision"],
            comment=body.validated_data.get("comment", ""),
        )
        return Response(SubmissionDetailSerializer(self.get_status()).data)
