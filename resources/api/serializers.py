"""What the library and the top-bar search look like in the API (resources/api/search.py)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from collaboratives.models import FacilityType

from ..models import Resource, ResourceKind
from ..search import summary_shown, title_shown
from ..services.links import resource_page_path

MARKED = "HTML: the text escaped, with the words that matched in <mark>; null without `q`."


class FocusAreaSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    name = serializers.CharField(read_only=True)


class ResourceSerializer(serializers.Serializer):
    """A resource of the library, without its file's bytes."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    kind = serializers.ChoiceField(choices=ResourceKind.choices, read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    title = serializers.CharField(read_only=True)
    summary = serializers.CharField(read_only=True)
    visibility = serializers.CharField(read_only=True)
    collaborative = serializers.UUIDField(
        source="collaborative.public_id",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="The collaborative it is shared with, when only with one.",
    )
    focus_areas = FocusAreaSerializer(many=True, read_only=True)
    tags = serializers.ListField(child=serializers.CharField(), read_only=True)
    audience = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Facility types it is for (" + ", ".join(FacilityType.values) + "); "
        "empty means everyone.",
    )
    source = serializers.CharField(read_only=True)
    source_date = serializers.DateField(read_only=True, allow_null=True)
    is_file = serializers.BooleanField(read_only=True)
    link = serializers.SerializerMethodField(help_text="The address of a link resource.")
    file_name = serializers.SerializerMethodField(help_text="A file resource's name.")
    file_type = serializers.SerializerMethodField(help_text="A file resource's media type.")
    file_size = serializers.SerializerMethodField(help_text="A file resource's size in bytes.")
    page_url = serializers.SerializerMethodField(
        help_text="The resource's page on this site, where it is opened or downloaded."
    )
    created_at = serializers.DateTimeField(read_only=True)
    title_marked = serializers.SerializerMethodField(help_text=MARKED)
    summary_marked = serializers.SerializerMethodField(help_text=MARKED)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_link(self, resource: Resource) -> str | None:
        return None if resource.is_file else resource.url

    def get_file_name(self, resource: Resource) -> str | None:
        return resource.original_name if resource.is_file else None

    def get_file_type(self, resource: Resource) -> str | None:
        return resource.content_type if resource.is_file else None

    def get_file_size(self, resource: Resource) -> int | None:
        return resource.size if resource.is_file else None

    def get_page_url(self, resource: Resource) -> str:
        return resource_page_path(resource)

    def get_title_marked(self, resource: Resource) -> str | None:
        query = self.context.get("query")
        return str(title_shown(resource, query)) if query else None

    def get_summary_marked(self, resource: Resource) -> str | None:
        query = self.context.get("query")
        return str(summary_shown(resource, query)) if query else None


class HitSerializer(serializers.Serializer):
    title = serializers.CharField(help_text="HTML: escaped, the matched words in <mark>.")
    url = serializers.CharField(help_text="The path on this site of what was found.")
    snippet = serializers.CharField(help_text="HTML: escaped words around the match.")
    kind = serializers.CharField(help_text="What it is, in words (Toolkit, PDSA cycle ...).")
    context = serializers.CharField(help_text="The team or collaborative it belongs to.")


class GroupSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="resources, change_ideas, pdsa_cycles, ...")
    label = serializers.CharField()
    hits = HitSerializer(many=True)
    has_more = serializers.BooleanField(help_text="More hits than shown: ask with `group`.")


class SearchResultSerializer(serializers.Serializer):
    query = serializers.CharField(help_text="The words searched for, cleaned.")
    groups = GroupSerializer(many=True)
