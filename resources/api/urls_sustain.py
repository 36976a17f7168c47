"""API routes of the sustain part of resources."""

urlpatterns: list = []
