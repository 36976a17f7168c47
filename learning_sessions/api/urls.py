"""Routes of the learning sessions API under /api/v1/."""

from django.urls import path

from .evaluations import CollaborativeEvaluationSummaryView, EventEvaluationSummary

urlpatterns = [
    path(
        "events/<uuid:event_id>/evaluation-summary/",
        EventEvaluationSummary.as_view(),
        name="event-evaluation-summary",
    ),
    path(
        "collaboratives/<uuid:collaborative_id>/evaluation-summary/",
        CollaborativeEvaluationSummaryView.as_view(),
        name="collaborative-evaluation-summary",
    ),
]
