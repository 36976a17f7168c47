"""Team API: teams, and under each team its members, coaches and progress ratings.

Every view is scoped (core.api.views.ScopedAPIView). The nested views are
TeamScopedAPIView (teams.api.base): the base finds the team in the URL through
`team_or_404` before any handler runs, so another team's or tenant's id answers 404;
rows are then read through the team's selectors.
"""

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.views import UserScopedReadOnlyViewSet
from core.clock import current_month
from teams.forms import MonthField
from teams.models import (
    CoachAssignment,
    ProgressRating,
    RatingKind,
    Team,
    TeamMembership,
    TeamStatus,
)
from teams.selectors import (
    progress_ratings_for,
    rating_status,
    team_coaches,
    team_members,
    teams_visible_to,
)
from teams.services import progress_rating_create

from .base import TeamScopedAPIView
from .serializers import (
    CoachAssignmentSerializer,
    MembershipSerializer,
    RatingCreateSerializer,
    RatingDueSerializer,
    RatingSerializer,
    TeamSerializer,
)


class TeamFilter(django_filters.FilterSet):
    collaborative = django_filters.UUIDFilter(field_name="collaborative__public_id")
    status = django_filters.ChoiceFilter(choices=TeamStatus.choices)

    class Meta:
        model = Team
        fields = ["collaborative", "status"]


class TeamViewSet(UserScopedReadOnlyViewSet):
    """Teams whose records the caller may read (own teams, coached teams, or all as staff)."""

    serializer_class = TeamSerializer
    queryset_model = Team
    lookup_url_kwarg = "team_id"
    filterset_class = TeamFilter
    ordering_fields = ["name"]

    def scoped_queryset(self, user):
        return teams_visible_to(user=user).order_by("name")


class TeamPeopleAPIView(TeamScopedAPIView):
    """Lists of the team's people: e-mail addresses only for those allowed to see them
    (PersonSerializer reads `show_emails`)."""

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["show_emails"] = self.access.can_see_emails
        return context


class TeamMemberList(TeamPeopleAPIView, generics.ListAPIView):
    """The team's active members. E-mail addresses only for the team's members, its
    assigned coaches and program staff."""

    serializer_class = MembershipSerializer
    queryset_model = TeamMembership
    ordering_fields = ["role", "joined_at"]

    def scoped_queryset(self, team):
        return team_members(team=team)


class TeamCoachList(TeamPeopleAPIView, generics.ListAPIView):
    """The coaches assigned to the team."""

    serializer_class = CoachAssignmentSerializer
    queryset_model = CoachAssignment
    ordering_fields = ["assigned_at"]

    def scoped_queryset(self, team):
        return team_coaches(team=team)


@extend_schema_field(OpenApiTypes.STR)
class MonthFilter(django_filters.Filter):
    """A month as YYYY-MM (or any date in it)."""

    field_class = MonthField


class RatingFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=RatingKind.choices)
    month = MonthFilter(
        field_name="month", help_text="The month rated, as YYYY-MM (or any date in it)."
    )

    class Meta:
        model = ProgressRating
        fields = ["kind", "month"]


class TeamRatingList(TeamScopedAPIView, generics.ListCreateAPIView):
    """The team's progress ratings, newest month first, with replaced rows kept as
    history; POST adds a rating of the month (coach: assigned coaches and program
    staff; self: the team lead)."""

    serializer_class = RatingSerializer
    queryset_model = ProgressRating
    filterset_class = RatingFilter
    ordering_fields = ["month", "created_at", "score"]

    def scoped_queryset(self, team):
        return progress_ratings_for(team=team)

    @extend_schema(request=RatingCreateSerializer, responses={201: RatingSerializer})
    def post(self, request: Request, *args, **kwargs) -> Response:
        access = self.access
        if not access.rating_kinds:
            raise PermissionDenied(
                "Only the team's assigned coaches, program staff and the team lead rate progress."
            )
        body = RatingCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        kind = body.validated_data.get("kind")
        if kind is None:
            if len(access.rating_kinds) > 1:
                raise ValidationError(
                    {"kind": ["You may give a coach rating and a self-rating: say which one."]}
                )
            kind = access.rating_kinds[0]
        elif kind not in access.rating_kinds:
            raise PermissionDenied(
                f"Your role does not allow a {RatingKind(kind).label.lower()} for this team."
            )
        rating = progress_rating_create(
            team=self.team,
            month=body.validated_data.get("month") or current_month(),
            kind=kind,
            score=body.validated_data["score"],
            rationale=body.validated_data["rationale"],
            rated_by=request.user,
        )
        rating.is_current = True
        data = RatingSerializer(rating, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)


class TeamRatingDetail(TeamScopedAPIView, generics.RetrieveAPIView):
    """One progress rating of the team."""

    serializer_class = RatingSerializer
    queryset_model = ProgressRating
    lookup_url_kwarg = "rating_id"

    def scoped_queryset(self, team):
        return progress_ratings_for(team=team)


class TeamRatingDue(TeamScopedAPIView):
    """This month's ratings of the team for the caller: expected or not (and why not),
    given, and owed by the caller. The team home and the coach's home ask the same rule."""

    queryset_model = ProgressRating
    pagination_class = None
    filter_backends = []

    @extend_schema(responses=RatingDueSerializer)
    def get(self, request: Request, *args, **kwargs) -> Response:
        month = rating_status(team=self.team, access=self.access)
        return Response(RatingDueSerializer(month).data)
