"""Attendance API: an event's attendance (program staff; coaches for the teams they
coach) with staff's roster mark, and the caller's own attendance.

Scoped like every API view (core.api.views.ScopedAPIView): the event is found through
learning_sessions.selectors.events_visible_to before any handler runs, so an event of
another program, or of a collaborative the caller does not work in, answers 404; a
team member who may see the event but not others' attendance gets 403.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import ProgramRole
from accounts.selectors import program_roles
from core.api.views import UserScopedAPIView

from ..attendance import services
from ..attendance.selectors import (
    attendance_of,
    attendance_visible_to,
    event_attendance_for,
    user_may_attend_or_404,
)
from ..models import Attendance, Event
from ..selectors import can_manage
from .base import EventScopedAPIView
from .serializers_attendance import AttendanceSerializer, RosterMarkSerializer


class EventAttendanceList(EventScopedAPIView, generics.ListAPIView):
    """Attendance at the event. Program staff see everyone's; a coach sees the members
    of the teams they coach; POST (program staff) marks a person present or absent,
    as the roster page does, outranking every other source."""

    serializer_class = AttendanceSerializer
    queryset_model = Attendance

    def scoped_queryset(self, event: Event):
        user = self.request.user
        is_staff = can_manage(user=user, collaborative=event.collaborative)
        if not is_staff and ProgramRole.COACH not in program_roles(
            user=user, program=event.program
        ):
            raise PermissionDenied("Only program staff and coaches read an event's attendance.")
        return event_attendance_for(user=user, event=event, is_staff=is_staff)

    @extend_schema(request=RosterMarkSerializer, responses={200: AttendanceSerializer})
    def post(self, request: Request, *args, **kwargs) -> Response:
        event = self.scope
        if not can_manage(user=request.user, collaborative=event.collaborative):
            raise PermissionDenied("Program staff keep attendance.")
        body = RosterMarkSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            person = user_may_attend_or_404(event=event, user_id=data["user"])
        except Http404:
            raise ValidationError({"user": ["Not a person who may attend this event."]}) from None
        try:
            services.roster_mark(
                event=event,
                actor=request.user,
                person=person,
                present=data["present"],
                minutes=data.get("minutes"),
            )
        except DjangoValidationError as error:
            raise ValidationError(
                error.message_dict if hasattr(error, "error_dict") else error.messages
            ) from None
        record = attendance_of(event=event, user=person)
        return Response(AttendanceSerializer(record).data, status=status.HTTP_200_OK)


class MyAttendanceList(UserScopedAPIView, generics.ListAPIView):
    """The caller's own attendance at the events they may see, latest first."""

    serializer_class = AttendanceSerializer
    queryset_model = Attendance

    def scoped_queryset(self, user):
        return attendance_visible_to(user=user)
