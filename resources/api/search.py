"""The library and the top-bar search in the API: `/resources/` (filters, ranked
full-text `q`), `/resources/<id>/`, and `/search/` (the grouped hits of the top-bar
search).

Every view is scoped (core.api.views): rows come from resources.search_scope, the
same rule as the search page (not retired; program-wide or public in the caller's
programs, or scoped to a collaborative they work in), so another program's resource
answers 404 like one that does not exist. No file bytes travel here: a resource names
its page, where people open or download it.
"""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.http import Http404
from django.utils.html import conditional_escape
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from collaboratives.models import FacilityType
from core.api.views import ScopedAPIView, UserScopedAPIView
from core.search import (
    GROUP_LIMIT,
    MAX_QUERY_LENGTH,
    MORE_LIMIT,
    clean_query,
    search_everything,
    search_providers,
    uses_postgres,
)

from ..models import Resource, ResourceKind
from ..search import search_resources
from ..search_scope import resource_searchable_or_none, resources_searchable_by
from .serializers import ResourceSerializer, SearchResultSerializer


def _for_audience(queryset, name, value):
    """Resources for this facility type, and those for everyone (no audience)."""
    if uses_postgres(queryset):
        wanted = Q(audience__contains=[value])
    else:  # SQLite has no JSON containment: the value's quoted form in the text
        wanted = Q(audience__icontains=f'"{value}"')
    return queryset.filter(wanted | Q(audience=[]))


def _matching(queryset, name, value):
    """The ranked full-text search (resources.search)."""
    return search_resources(queryset, value)


class ResourceFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ResourceKind.choices)
    focus_area = django_filters.UUIDFilter(
        field_name="focus_areas__public_id", help_text="Only resources of this focus area."
    )
    audience = django_filters.ChoiceFilter(
        choices=FacilityType.choices,
        method=_for_audience,
        help_text="Resources for this facility type (and those for everyone).",
    )
    collaborative = django_filters.UUIDFilter(
        field_name="collaborative__public_id",
        help_text="Only the resources shared with this collaborative alone.",
    )
    q = django_filters.CharFilter(
        method=_matching,
        max_length=MAX_QUERY_LENGTH * 5,
        help_text='Words to search for, best match first: "a phrase", either or other, '
        "-left out. Stemmed: splints finds splinting.",
    )

    class Meta:
        model = Resource
        fields = ["kind", "focus_area", "audience", "collaborative", "q"]


class ResourceList(UserScopedAPIView, generics.ListAPIView):
    """The library resources the caller may see: by title, or best match first with
    `q`; filter by kind, focus area, audience and collaborative."""

    serializer_class = ResourceSerializer
    queryset_model = Resource
    filterset_class = ResourceFilter
    ordering_fields = ["title", "created_at"]

    def scoped_queryset(self, user):
        return (
            resources_searchable_by(user=user)
            .select_related("collaborative")
            .prefetch_related("focus_areas")
            .order_by("title", "pk")
        )

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "query": self._query()}

    def _query(self) -> str:
        request = getattr(self, "request", None)
        return clean_query(request.query_params.get("q")) if request else ""


class ResourceDetail(ScopedAPIView, generics.RetrieveAPIView):
    """One library resource the caller may see (404 for anything else)."""

    serializer_class = ResourceSerializer
    queryset_model = Resource
    pagination_class = None
    filter_backends: list = []

    def get_scope(self) -> Resource:
        resource = resource_searchable_or_none(
            user=self.request.user, public_id=self.kwargs["resource_id"]
        )
        if resource is None:
            raise Http404("No such resource.")
        return resource

    def get_object(self) -> Resource:
        return self.scope


class SearchEverything(UserScopedAPIView):
    """The top-bar search: what the caller may see that matches `q`, grouped (the
    library, change ideas, PDSA cycles, measures, learning sessions), at most five per
    group; `group` asks one group for up to fifty."""

    queryset_model = Resource
    pagination_class = None
    filter_backends: list = []

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Words to search for.", required=True),
            OpenApiParameter(
                "group",
                str,
                description="Only this group, with up to fifty hits.",
                enum=[provider.name for provider in search_providers()],
            ),
        ],
        responses=SearchResultSerializer,
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        query = clean_query(request.query_params.get("q"))
        names = {provider.name for provider in search_providers()}
        only = request.query_params.get("group")
        if only is not None and only not in names:
            raise serializers.ValidationError({"group": ["Choose one of: " + ", ".join(names)]})
        groups = search_everything(
            user=self.scope, query=query, limit=MORE_LIMIT if only else GROUP_LIMIT, only=only
        )
        payload = {
            "query": query,
            "groups": [
                {
                    "name": group.name,
                    "label": group.label,
                    "has_more": group.has_more,
                    "hits": [
                        {
                            # HTML either way: a provider's plain text is escaped here
                            "title": str(conditional_escape(hit.title)),
                            "url": hit.url,
                            "snippet": str(conditional_escape(hit.snippet)),
                            "kind": hit.kind,
                            "context": hit.context,
                        }
                        for hit in group.hits
                    ],
                }
                for group in groups
            ],
        }
        return Response(SearchResultSerializer(payload).data)
