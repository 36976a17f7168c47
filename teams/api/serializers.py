from rest_framework import serializers

from teams.models import Facility, Team


class FacilitySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = Facility
        fields = ["id", "name", "facility_type", "state", "city", "volume_band"]
        read_only_fields = fields


class TeamSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    collaborative = serializers.UUIDField(source="collaborative.public_id", read_only=True)
    facility = FacilitySerializer(read_only=True)

    class Meta:
        model = Team
        fields = ["id", "name", "collaborative", "facility", "status", "goals"]
        read_only_fields = fields
