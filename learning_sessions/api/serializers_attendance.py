"""Explicit shapes of attendance in the API (people by public id, never the pk)."""

from __future__ import annotations

from rest_framework import serializers

from ..attendance.services import MINUTES_CEILING
from ..models import Attendance, AttendanceMode, AttendanceSource


class AttendanceSerializer(serializers.ModelSerializer):
    """One person's attendance at one event."""

    event = serializers.UUIDField(source="event.public_id", read_only=True)
    event_title = serializers.CharField(source="event.title", read_only=True)
    user = serializers.UUIDField(source="user.public_id", read_only=True)
    name = serializers.CharField(source="user.display_name", read_only=True)
    source = serializers.ChoiceField(choices=AttendanceSource.choices, read_only=True)
    mode = serializers.ChoiceField(choices=AttendanceMode.choices, read_only=True)
    present = serializers.BooleanField(
        read_only=True, help_text="False is staff's 'absent' mark on the roster."
    )
    minutes = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Minutes present or watched, when known."
    )

    class Meta:
        model = Attendance
        fields = [
            "event",
            "event_title",
            "user",
            "name",
            "present",
            "source",
            "mode",
            "minutes",
            "updated_at",
        ]
        read_only_fields = fields


class RosterMarkSerializer(serializers.Serializer):
    """Staff's mark for one person, as on the roster page."""

    user = serializers.UUIDField(help_text="The person's public id.")
    present = serializers.BooleanField()
    minutes = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=MINUTES_CEILING,
        help_text="Optional; at most three times the event's length (and 1,000).",
    )
