from rest_framework import serializers

from collaboratives.models import Collaborative, Phase


class CollaborativeSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    program = serializers.UUIDField(source="program.public_id", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    # null when the collaborative has no focus area (allow_null puts that in the schema).
    focus_area = serializers.CharField(
        source="focus_area.name", default=None, allow_null=True, read_only=True
    )

    class Meta:
        model = Collaborative
        fields = [
            "id",
            "program",
            "title",
            "slug",
            "focus_area",
            "summary",
            "aims",
            "eligible_facility_types",
            "status",
            "status_display",
            "start_date",
            "end_date",
            "timezone",
            "enrolment_opens",
            "enrolment_closes",
        ]
        read_only_fields = fields


class PhaseSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Phase
        fields = ["id", "kind", "kind_display", "name", "start_date", "end_date"]
        read_only_fields = fields
