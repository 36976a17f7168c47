"""Routes of the learning-sessions API under /api/v1/."""

from django.urls import path

from .attendance import EventAttendanceList, MyAttendanceList
from .evaluations import CollaborativeEvaluationSummaryView, EventEvaluationSummary

urlpatterns = [
    path(
        "events/<uuid:event_id>/attendance/",
        EventAttendanceList.as_view(),
        name="event-attendance",
    ),
    path("me/attendance/", MyAttendanceList.as_view(), name="my-attendance"),
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
