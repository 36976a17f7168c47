"""API routes of the search part of resources: the library's list and detail, and the
top-bar search."""

from django.urls import path

from .search import ResourceDetail, ResourceList, SearchEverything

urlpatterns: list = [
    path("resources/", ResourceList.as_view(), name="resource-list"),
    path("resources/<uuid:resource_id>/", ResourceDetail.as_view(), name="resource-detail"),
    path("search/", SearchEverything.as_view(), name="search"),
]
