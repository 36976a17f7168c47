"""Pages of the search part of resources: the results of the top-bar search."""

from django.urls import path

from . import views_search

urlpatterns: list = [
    path("search/", views_search.search_page, name="search"),
]
