"""API routes of the library part of resources."""

urlpatterns: list = []
