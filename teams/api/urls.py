"""Nested team routes under /api/v1/ (memberships, coach assignments, progress ratings)."""

urlpatterns: list = []
