"""Routes of the learning-sessions API under /api/v1/."""

from django.urls import path

from .attendance import EventAttendanceList, MyAttendanceList

urlpatterns = [
    path(
        "events/<uuid:event_id>/attendance/",
        EventAttendanceList.as_view(),
        name="event-attendance",
    ),
    path("me/attendance/", MyAttendanceList.as_view(), name="my-attendance"),
]
