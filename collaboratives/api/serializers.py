from rest_framework import serializers

from collaboratives.models import Collaborative


class CollaborativeSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    program = serializers.UUIDField(source="program.public_id", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Collaborative
        fields = [
            "id",
            "program",
            "title",
            "slug",
            "summary",
            "status",
            "status_display",
            "start_date",
            "end_date",
            "timezone",
        ]
        read_only_fields = fields
