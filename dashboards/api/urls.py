"""Dashboard routes under /api/v1/."""

from django.urls import path

from .progress import CollaborativeProgress

urlpatterns: list = [
    path(
        "collaboratives/<uuid:collaborative_id>/progress/",
        CollaborativeProgress.as_view(),
        name="collaborative-progress",
    ),
]
