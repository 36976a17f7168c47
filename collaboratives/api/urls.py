"""Nested collaborative routes under /api/v1/ (phases)."""

urlpatterns: list = []
