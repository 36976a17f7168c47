"""PDSA API: read the team's aim, drivers, change ideas and cycles; write cycles and comments.

Every view is scoped (core.api.views.ScopedAPIView) and nested under the team: the
base (teams.api.base.TeamScopedAPIView) finds it through `team_or_404` before any
handler runs (another team's or tenant's id answers 404); comments are scoped to the
team's cycle in the URL (CycleScopedAPIView). Writes take the team and program from
the URL, never from the body, and check that related ids in the body are the team's
own. A service's Django ValidationError becomes a 400 in core.api.exceptions.
"""

import django_filters
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.views import UserScopedAPIView
from teams.api.base import TeamScopedAPIView

from .. import services
from ..models import Aim, ChangeIdea, Comment, Cycle, Driver, Stage
from ..selectors import (
    aim_of,
    change_ideas_of,
    cycle_comments,
    cycle_get,
    cycles_of_team,
    cycles_waiting_for_feedback,
    drivers_of,
    linkable_measures,
    stalled_cycles,
)
from .serializers import (
    AimSerializer,
    ChangeIdeaSerializer,
    CommentCreateSerializer,
    CommentSerializer,
    CycleSerializer,
    CycleWriteSerializer,
    DriverSerializer,
)


class TeamAim(TeamScopedAPIView, generics.RetrieveAPIView):
    """The team's aim statement with its SMART parts (404 until the lead writes one)."""

    serializer_class = AimSerializer
    queryset_model = Aim

    def get_object(self) -> Aim:
        aim = aim_of(team=self.team)
        if aim is None:
            raise Http404("The team has no aim yet.")
        return aim


class DriverList(TeamScopedAPIView, generics.ListAPIView):
    """The team's primary and secondary drivers, retired ones included (flagged)."""

    serializer_class = DriverSerializer
    queryset_model = Driver
    pagination_class = None

    def scoped_queryset(self, team):
        return drivers_of(team=team)


class DriverDetail(TeamScopedAPIView, generics.RetrieveAPIView):
    """One of the team's drivers."""

    serializer_class = DriverSerializer
    queryset_model = Driver
    lookup_url_kwarg = "driver_id"

    def scoped_queryset(self, team):
        return drivers_of(team=team)


class ChangeIdeaList(TeamScopedAPIView, generics.ListAPIView):
    """The team's change ideas in diagram order."""

    serializer_class = ChangeIdeaSerializer
    queryset_model = ChangeIdea
    pagination_class = None

    def scoped_queryset(self, team):
        return change_ideas_of(team=team)


class ChangeIdeaDetail(TeamScopedAPIView, generics.RetrieveAPIView):
    """One of the team's change ideas."""

    serializer_class = ChangeIdeaSerializer
    queryset_model = ChangeIdea
    lookup_url_kwarg = "change_idea_id"

    def scoped_queryset(self, team):
        return change_ideas_of(team=team)


class CycleFilter(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(choices=Stage.choices)
    change_idea = django_filters.UUIDFilter(field_name="change_idea__public_id")
    updated_after = django_filters.DateFilter(field_name="updated_at", lookup_expr="date__gte")

    class Meta:
        model = Cycle
        fields = ["stage", "change_idea", "updated_after"]


class CycleWriteMixin:
    """Turn the body's ids into the team's own objects (or a 400 naming the field)."""

    def resolve_related(self, data: dict) -> dict:
        team = self.team
        values = dict(data)
        values.pop("stage", None)
        if "change_idea" in values:
            idea = change_ideas_of(team=team).filter(public_id=values["change_idea"]).first()
            if idea is None:
                raise ValidationError({"change_idea": ["Choose one of your team's change ideas."]})
            values["change_idea"] = idea
        if values.get("builds_on") is not None:
            previous = cycles_of_team(team=team).filter(public_id=values["builds_on"]).first()
            if previous is None:
                raise ValidationError({"builds_on": ["Choose one of your team's cycles."]})
            values["builds_on"] = previous
        if "linked_measures" in values:
            values["linked_measures"] = self.resolve_measures(team, values["linked_measures"])
        return values

    def resolve_measures(self, team, ids: list) -> list:
        cycle = self.get_object() if "cycle_id" in self.kwargs else None
        found = {
            m.public_id: m
            for m in linkable_measures(team=team, cycle=cycle).filter(public_id__in=ids)
        }
        unknown = [str(i) for i in ids if i not in found]
        if unknown:
            raise ValidationError(
                {
                    "linked_measures": [
                        "Link measures your team reports; not one of them: "
                        + ", ".join(unknown)
                        + "."
                    ]
                }
            )
        return [found[i] for i in dict.fromkeys(ids)]

    def check_can_edit(self) -> None:
        if not self.access.can_edit_cycles:
            raise PermissionDenied(
                "Only the team's members log and edit its cycles; coaches and staff comment."
            )


class CycleList(CycleWriteMixin, TeamScopedAPIView, generics.ListCreateAPIView):
    """The team's cycles, newest update first; POST logs a new cycle (team members)."""

    serializer_class = CycleSerializer
    queryset_model = Cycle
    filterset_class = CycleFilter
    ordering_fields = ["updated_at", "created_at", "plan_date"]

    def scoped_queryset(self, team):
        return (
            cycles_of_team(team=team)
            .prefetch_related("linked_measures")
            .order_by("-updated_at", "-id")
        )

    @extend_schema(request=CycleWriteSerializer, responses={201: CycleSerializer})
    def post(self, request: Request, *args, **kwargs) -> Response:
        self.check_can_edit()
        body = CycleWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = self.resolve_related(body.validated_data)
        cycle = services.cycle_create(
            team=self.team,
            actor=request.user,
            values=values,
            advance_to=body.validated_data.get("stage"),
        )
        return Response(CycleSerializer(cycle).data, status=status.HTTP_201_CREATED)


class CycleDetail(CycleWriteMixin, TeamScopedAPIView, generics.RetrieveAPIView):
    """One cycle; PATCH edits the stages it reached and may move it on (team members)."""

    serializer_class = CycleSerializer
    queryset_model = Cycle
    lookup_url_kwarg = "cycle_id"

    def scoped_queryset(self, team):
        return cycles_of_team(team=team).prefetch_related("linked_measures")

    @extend_schema(request=CycleWriteSerializer, responses={200: CycleSerializer})
    def patch(self, request: Request, *args, **kwargs) -> Response:
        cycle = self.get_object()
        self.check_can_edit()
        body = CycleWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        values = self.resolve_related(body.validated_data)
        cycle = services.cycle_update(
            cycle=cycle,
            actor=request.user,
            values=values,
            advance_to=body.validated_data.get("stage"),
        )
        return Response(CycleSerializer(cycle).data)


class CycleScopedAPIView(TeamScopedAPIView):
    """Scope: the cycle named by `cycle_id`, one of the team's (else 404)."""

    scope: Cycle

    def get_scope(self) -> Cycle:
        team = super().get_scope()
        try:
            return cycle_get(team=team, public_id=self.kwargs["cycle_id"])
        except Cycle.DoesNotExist:
            raise Http404("No such cycle.") from None

    @property
    def cycle(self) -> Cycle:
        return self.scope


class CommentList(CycleScopedAPIView, generics.ListCreateAPIView):
    """Comments on a cycle, oldest first; POST adds one and e-mails the conversation:
    the team's lead, members and data contacts and its assigned coaches, except the
    author (nobody, when the team has none of them yet)."""

    serializer_class = CommentSerializer
    queryset_model = Comment
    pagination_class = None

    def scoped_queryset(self, cycle):
        return cycle_comments(cycle=cycle)

    @extend_schema(request=CommentCreateSerializer, responses={201: CommentSerializer})
    def post(self, request: Request, *args, **kwargs) -> Response:
        access = self.access
        if not access.can_comment:
            raise PermissionDenied("Sponsors read the team's cycles; they do not comment.")
        body = CommentCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        comment = services.comment_create(
            cycle=self.cycle,
            actor=request.user,
            body=body.validated_data["body"],
            stage=body.validated_data.get("stage", ""),
            by_coach=access.is_reviewer,
        )
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class CommentDetail(CycleScopedAPIView, generics.RetrieveAPIView):
    """One comment on the cycle."""

    serializer_class = CommentSerializer
    queryset_model = Comment
    lookup_url_kwarg = "comment_id"

    def scoped_queryset(self, cycle):
        return cycle_comments(cycle=cycle)


class ReviewCycleList(UserScopedAPIView, generics.ListAPIView):
    """For the coach dashboard: cycles of the teams the caller coaches (or whose program
    they run) that wait for feedback (`list=waiting`, the default) or stalled with no
    update in 30 days (`list=stalled`)."""

    serializer_class = CycleSerializer
    queryset_model = Cycle

    def scoped_queryset(self, user):
        if self.request.query_params.get("list") == "stalled":
            return stalled_cycles(user=user).prefetch_related("linked_measures")
        return cycles_waiting_for_feedback(user=user).prefetch_related("linked_measures")

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "list",
                str,
                enum=["waiting", "stalled"],
                description="waiting (default) or stalled",
            )
        ]
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)
