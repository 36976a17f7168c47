"""Events API: a collaborative's calendar, an event, registering and cancelling, the
caller's registrations; staff create and change events.

Every view is scoped (core.api.views.ScopedAPIView): the collaborative through
collaboratives.api.base, an event through `EventScopedAPIView` (the same selector as the
pages, learning_sessions.selectors.event_or_404), so what the caller may not see answers
404 before any handler runs. Writes go through the pages' services
(learning_sessions.services): the same rules, the same waiting list under the same row
lock, the same audit trail; their Django ValidationErrors become 400s in
core.api.exceptions. The join link is only in the detail, for someone holding a seat;
the recording link only once the event has started.
"""

from __future__ import annotations

from datetime import UTC

import django_filters
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from collaboratives.api.base import CollaborativeScopedAPIView
from collaboratives.models import Collaborative
from core.api.views import UserScopedAPIView
from core.clock import now

from .. import services
from ..models import Event, EventKind, Registration, RegistrationStatus
from ..selectors import (
    can_manage,
    events_visible_to,
    materials_of,
    place_of,
    tracks_of,
    with_seats,
)
from .base import EventScopedAPIView
from .serializers import (
    EventDetailSerializer,
    EventSerializer,
    EventWriteSerializer,
    MaterialSerializer,
    RegistrationSerializer,
)

MANAGE_REFUSED = "Program staff keep the collaborative's calendar."


def _context(request: Request) -> dict:
    def material_url(material) -> str:
        return request.build_absolute_uri(
            reverse(
                "learning_sessions:material_download",
                kwargs={"event_id": material.event.public_id, "material_id": material.public_id},
            )
        )

    return {"request": request, "now": now(), "material_url": material_url}


def _detail(request: Request, event: Event) -> dict:
    """The detail's payload for the caller: their place, the materials, and the join
    link only if they hold a seat (and the event is not cancelled)."""
    event = with_seats(Event.objects.filter(pk=event.pk)).select_related("collaborative").get()
    context = _context(request)
    place = place_of(event=event, user=request.user)
    seated = place.is_registered and not event.is_cancelled
    return {
        **EventSerializer(event, context=context).data,
        "join_url": (event.join_url or None) if seated else None,
        "my_registration": {"status": place.status, "position": place.position},
        "materials": MaterialSerializer(
            materials_of(event=event).select_related("event"), many=True, context=context
        ).data,
    }


def _service_data(collaborative: Collaborative, data: dict) -> dict:
    """The serializer's validated data in the services' terms: focus-area ids become
    the program's focus areas (another program's or an unknown id: 400), credit rows a
    {type: amount} mapping."""
    data = dict(data)
    if "tracks" in data:
        wanted = set(data["tracks"])
        areas = list(tracks_of(collaborative=collaborative).filter(public_id__in=wanted))
        if len(areas) != len(wanted):
            raise ValidationError({"tracks": ["Choose tracks among the program's focus areas."]})
        data["tracks"] = areas
    if "credits" in data:
        data["credits"] = {row["credit_type"]: row["amount"] for row in data["credits"]}
    return data


class UTCDateTimeFilter(django_filters.IsoDateTimeFilter):
    """An ISO 8601 date-time, turned into UTC before it reaches the database: Python
    accepts offsets PostgreSQL refuses (-18:22), and a date near year 1 or 9999 may not
    fit in UTC at all (400, not a 500)."""

    def filter(self, qs, value):
        if value is not None:
            try:
                value = value.astimezone(UTC)
            except OverflowError:
                raise ValidationError(
                    {self.field_name: ["Give a date and time between years 1 and 9999."]}
                ) from None
        return super().filter(qs, value)


class EventFilter(django_filters.FilterSet):
    starts_after = UTCDateTimeFilter(
        field_name="starts_at", lookup_expr="gte", help_text="Events starting at or after."
    )
    starts_before = UTCDateTimeFilter(
        field_name="starts_at", lookup_expr="lt", help_text="Events starting before."
    )
    kind = django_filters.ChoiceFilter(choices=EventKind.choices)
    track = django_filters.UUIDFilter(
        field_name="tracks__public_id", help_text="Only the events of this focus-area track."
    )

    class Meta:
        model = Event
        fields = ["starts_after", "starts_before", "kind", "track"]


class CollaborativeEventList(CollaborativeScopedAPIView, generics.ListAPIView):
    """The collaborative's events, soonest first (filter by date range, kind, track);
    POST adds one (program staff)."""

    serializer_class = EventSerializer
    queryset_model = Event
    filterset_class = EventFilter
    ordering_fields = ["starts_at", "title"]

    def scoped_queryset(self, collaborative):
        return (
            with_seats(
                Event.objects.filter(
                    program_id=collaborative.program_id, collaborative=collaborative
                )
            )
            .select_related("collaborative")
            .prefetch_related("tracks", "credits")
            .order_by("starts_at", "id")
            .distinct()
        )

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "now": now()}

    @extend_schema(request=EventWriteSerializer, responses={201: EventDetailSerializer})
    def post(self, request: Request, *args, **kwargs) -> Response:
        collaborative = self.collaborative
        if not can_manage(user=request.user, collaborative=collaborative):
            raise PermissionDenied(MANAGE_REFUSED)
        body = EventWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        event = services.event_create(
            collaborative=collaborative,
            actor=request.user,
            **_service_data(collaborative, body.validated_data),
        )
        return Response(_detail(request, event), status=status.HTTP_201_CREATED)


class EventDetail(EventScopedAPIView, generics.GenericAPIView):
    """One event with the caller's place at it and its materials; the join link only
    for someone holding a seat. PATCH changes it (program staff)."""

    serializer_class = EventDetailSerializer

    @extend_schema(responses=EventDetailSerializer)
    def get(self, request: Request, *args, **kwargs) -> Response:
        return Response(_detail(request, self.event))

    @extend_schema(request=EventWriteSerializer(partial=True), responses=EventDetailSerializer)
    def patch(self, request: Request, *args, **kwargs) -> Response:
        event = self.event
        if not can_manage(user=request.user, collaborative=event.collaborative):
            raise PermissionDenied(MANAGE_REFUSED)
        body = EventWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        event = services.event_update(
            event=event,
            actor=request.user,
            **_service_data(event.collaborative, body.validated_data),
        )
        return Response(_detail(request, event))


class EventRegistration(EventScopedAPIView, generics.GenericAPIView):
    """POST: register the caller (a seat, or the waiting list when full). DELETE: give
    the seat or the place in the queue up (the next in line gets the seat)."""

    serializer_class = RegistrationSerializer
    pagination_class = None
    filter_backends = []

    @extend_schema(request=None, responses={201: RegistrationSerializer})
    def post(self, request: Request, *args, **kwargs) -> Response:
        registration = services.register(event=self.event, user=request.user)
        return Response(
            _registration_payload(request, registration), status=status.HTTP_201_CREATED
        )

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, *args, **kwargs) -> Response:
        services.cancel_registration(event=self.event, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _registration_payload(request: Request, registration: Registration) -> dict:
    registration.position = place_of(event=registration.event, user=registration.user).position
    return RegistrationSerializer(registration, context=_context(request)).data


class MyRegistrationList(UserScopedAPIView, generics.ListAPIView):
    """The caller's seats and places on waiting lists (not the cancelled ones), in the
    order of the events, in every collaborative they still see."""

    serializer_class = RegistrationSerializer
    queryset_model = Registration
    filter_backends = []

    def scoped_queryset(self, user):
        return (
            Registration.objects.filter(
                user=user, event__in=events_visible_to(user=user).values("pk")
            )
            .exclude(status=RegistrationStatus.CANCELLED)
            .select_related("event", "event__collaborative", "user")
            .prefetch_related("event__tracks", "event__credits")
            .order_by("event__starts_at", "event__id")
        )

    def get_serializer_context(self) -> dict:
        return _context(self.request)

    def list(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        for registration in page:
            registration.position = (
                place_of(event=registration.event, user=registration.user).position
                if registration.status == RegistrationStatus.WAITLISTED
                else None
            )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
