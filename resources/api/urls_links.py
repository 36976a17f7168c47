"""API routes of the links part of resources."""

urlpatterns: list = []
