"""API routes of the search part of resources."""

urlpatterns: list = []
