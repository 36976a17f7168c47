"""Event pages: the calendar under its collaborative, each event under /events/."""

from django.urls import path

from . import views
from .attendance import views as attendance

app_name = "learning_sessions"

E = "events/<uuid:event_id>"
IMP = f"{E}/attendance/import/<uuid:import_id>"

urlpatterns = [
    path("collaboratives/<uuid:collaborative_id>/events/", views.event_list, name="event_list"),
    path(
        "collaboratives/<uuid:collaborative_id>/events/new/",
        views.event_create,
        name="event_create",
    ),
    path(f"{E}/", views.event_detail, name="event_detail"),
    path(f"{E}/edit/", views.event_edit, name="event_edit"),
    path(f"{E}/cancel/", views.event_cancel, name="event_cancel"),
    path(f"{E}/register/", views.event_register, name="event_register"),
    path(f"{E}/unregister/", views.event_unregister, name="event_unregister"),
    path(f"{E}/event.ics", views.event_calendar_file, name="event_ics"),
    # attendance
    path(f"{E}/check-in/", attendance.check_in, name="check_in"),
    path(f"{E}/check-in/display/", attendance.check_in_display, name="check_in_display"),
    path(
        f"{E}/check-in/display/new-code/",
        attendance.check_in_regenerate,
        name="check_in_regenerate",
    ),
    path(f"{E}/attendance/", attendance.roster, name="attendance_roster"),
    path(f"{E}/attendance/mark/", attendance.roster_mark, name="attendance_mark"),
    path(f"{E}/attendance/attest/", attendance.attest, name="attendance_attest"),
    path(f"{E}/attendance/import/", attendance.import_upload, name="attendance_import"),
    path(f"{IMP}/", attendance.import_review, name="attendance_import_review"),
    path(f"{IMP}/commit/", attendance.import_commit, name="attendance_import_commit"),
    path(f"{IMP}/discard/", attendance.import_discard, name="attendance_import_discard"),
]
