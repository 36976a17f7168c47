"""API routes of the community part of resources."""

urlpatterns: list = []
