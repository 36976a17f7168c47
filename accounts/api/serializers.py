from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Program


@extend_schema_field(
    {
        "type": "string",
        "anyOf": [{"format": "uri"}, {"maxLength": 0}],
        "description": "The program's web site, or an empty string when it gave none.",
    }
)
class OptionalURLField(serializers.CharField):
    """A read-only URL that may be blank, documented as "a URI or empty". A CharField:
    drf-spectacular gives every URLField `format: uri`, which "" does not meet."""


class ProgramSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    website = OptionalURLField(read_only=True)

    class Meta:
        model = Program
        fields = ["id", "name", "short_name", "slug", "website"]
        read_only_fields = fields


class ProgramRoleSerializer(serializers.Serializer):
    program = serializers.UUIDField()
    program_name = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())


class TeamRoleSerializer(serializers.Serializer):
    team = serializers.UUIDField()
    team_name = serializers.CharField()
    collaborative = serializers.UUIDField()
    role = serializers.CharField()


class MeSerializer(serializers.Serializer):
    """The authenticated user, with every role they hold."""

    id = serializers.UUIDField()
    email = serializers.EmailField()
    full_name = serializers.CharField()
    credentials = serializers.CharField()
    program_roles = ProgramRoleSerializer(many=True)
    team_roles = TeamRoleSerializer(many=True)
