"""Routes of the learning-sessions API under /api/v1/: events and registrations,
attendance, evaluation summaries."""

from django.urls import path

from .attendance import EventAttendanceList, MyAttendanceList
from .evaluations import CollaborativeEvaluationSummaryView, EventEvaluationSummary
from .events import CollaborativeEventList, EventDetail, EventRegistration, MyRegistrationList

C = "collaboratives/<uuid:collaborative_id>"
E = "events/<uuid:event_id>"

urlpatterns = [
    path(f"{C}/events/", CollaborativeEventList.as_view(), name="collaborative-events"),
    path(f"{E}/", EventDetail.as_view(), name="event-detail"),
    path(f"{E}/registration/", EventRegistration.as_view(), name="event-registration"),
    path("me/event-registrations/", MyRegistrationList.as_view(), name="my-event-registrations"),
    path(f"{E}/attendance/", EventAttendanceList.as_view(), name="event-attendance"),
    path("me/attendance/", MyAttendanceList.as_view(), name="my-attendance"),
    path(
        f"{E}/evaluation-summary/",
        EventEvaluationSummary.as_view(),
        name="event-evaluation-summary",
    ),
    path(
        f"{C}/evaluation-summary/",
        CollaborativeEvaluationSummaryView.as_view(),
        name="collaborative-evaluation-summary",
    ),
]
