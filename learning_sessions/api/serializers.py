"""Input and output shapes of the learning-sessions API (events: learning_sessions.api.events)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import CREDIT_MAX, CreditType, EventKind, MaterialKind, RegistrationStatus


def _pattern(choices, description: str) -> dict:
    """A choice documented as a pattern, not an enum (drf-spectacular names enums after
    the field, and other apps' `kind` and `status` fields would collide)."""
    return {
        "type": "string",
        "pattern": "^(" + "|".join(value for value, _ in choices) + ")$",
        "description": description,
    }


@extend_schema_field(_pattern(EventKind.choices, "The kind of event."))
class EventKindField(serializers.ChoiceField):
    def __init__(self, **kwargs) -> None:
        super().__init__(choices=EventKind.choices, **kwargs)


@extend_schema_field(_pattern(CreditType.choices, "The kind of continuing-education credit."))
class CreditTypeField(serializers.ChoiceField):
    def __init__(self, **kwargs) -> None:
        super().__init__(choices=CreditType.choices, **kwargs)


@extend_schema_field(
    _pattern(RegistrationStatus.choices, "registered (a seat), waitlisted, or cancelled.")
)
class RegistrationStatusField(serializers.CharField):
    pass


@extend_schema_field(_pattern(MaterialKind.choices, "file (download it) or link."))
class MaterialKindField(serializers.CharField):
    pass


class TrackSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    name = serializers.CharField(read_only=True)


class CreditSerializer(serializers.Serializer):
    credit_type = CreditTypeField()
    label = serializers.CharField(source="get_credit_type_display", read_only=True)
    amount = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        min_value=0,
        max_value=CREDIT_MAX,
        coerce_to_string=False,
        help_text="Hours in 0.25 steps (a live event: at most 1 per 60 minutes), or MOC "
        "Part 4 points in units of 25.",
    )
    unit = serializers.CharField(read_only=True, help_text="hours or points.")


class MaterialSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    kind = MaterialKindField(read_only=True)
    title = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField(
        help_text="The link, or the file's download address (a signed-in session)."
    )
    file_name = serializers.CharField(source="original_name", read_only=True)
    content_type = serializers.CharField(read_only=True)
    size = serializers.IntegerField(read_only=True, allow_null=True)

    def get_url(self, material) -> str:
        return self.context["material_url"](material) if material.file else material.url


class EventSerializer(serializers.Serializer):
    """An event as every person who sees the collaborative sees it; the join link is in
    the detail, for people holding a seat."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    collaborative = serializers.UUIDField(source="collaborative.public_id", read_only=True)
    kind = EventKindField(read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    title = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    agenda = serializers.CharField(read_only=True)
    starts_at = serializers.DateTimeField(read_only=True)
    ends_at = serializers.DateTimeField(read_only=True)
    location = serializers.CharField(read_only=True)
    capacity = serializers.IntegerField(read_only=True, allow_null=True)
    seats_taken = serializers.SerializerMethodField()
    is_cancelled = serializers.BooleanField(read_only=True)
    tracks = TrackSerializer(many=True, read_only=True)
    credits = CreditSerializer(many=True, read_only=True)
    recording_url = serializers.SerializerMethodField(
        help_text="Empty until the event has started."
    )

    def get_seats_taken(self, event) -> int:
        taken = getattr(event, "seats_taken", None)  # annotated by selectors.with_seats
        if taken is None:
            taken = event.registrations.filter(status=RegistrationStatus.REGISTERED).count()
        return taken

    def get_recording_url(self, event) -> str:
        return event.recording_url if event.starts_at <= self.context["now"] else ""


class MyPlaceSerializer(serializers.Serializer):
    status = RegistrationStatusField(allow_null=True, read_only=True)
    position = serializers.IntegerField(
        allow_null=True, read_only=True, help_text="On the waiting list: 1 = next in line."
    )


class EventDetailSerializer(EventSerializer):
    join_url = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text="Only for someone holding a seat (else null), and not once cancelled.",
    )
    my_registration = MyPlaceSerializer(read_only=True)
    materials = MaterialSerializer(many=True, read_only=True)


class EventWriteSerializer(serializers.Serializer):
    """Staff's fields of an event; times with their offset (or UTC)."""

    kind = EventKindField()
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    agenda = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    location = serializers.CharField(max_length=300, required=False, allow_blank=True)
    join_url = serializers.CharField(max_length=500, required=False, allow_blank=True)
    capacity = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=100_000
    )
    recording_url = serializers.CharField(max_length=500, required=False, allow_blank=True)
    tracks = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        max_length=50,
        help_text="Ids of the program's focus areas.",
    )
    credits = CreditSerializer(many=True, required=False, max_length=len(CreditType.values))

    def validate_starts_at(self, value):
        return _bounded_year(value)

    def validate_ends_at(self, value):
        return _bounded_year(value)

    def validate_credits(self, value: list[dict]) -> list[dict]:
        types = [row["credit_type"] for row in value]
        if len(set(types)) != len(types):
            raise serializers.ValidationError("Give each credit type once.")
        return value


def _bounded_year(value):
    if not 2000 <= value.year <= 2200:
        raise serializers.ValidationError("Give a date between 2000 and 2200.")
    return value


class RegistrationSerializer(serializers.Serializer):
    event = EventSerializer(read_only=True)
    status = RegistrationStatusField(read_only=True)
    position = serializers.IntegerField(
        allow_null=True, read_only=True, help_text="On the waiting list: 1 = next in line."
    )
    registered_at = serializers.DateTimeField(source="created_at", read_only=True)
