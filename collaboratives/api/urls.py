"""Nested collaborative routes under /api/v1/."""

from django.urls import path

from .views import PhaseList

urlpatterns = [
    path(
        "collaboratives/<uuid:collaborative_id>/phases/",
        PhaseList.as_view(),
        name="collaborative-phases",
    ),
]
