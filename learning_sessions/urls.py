"""Event pages: the calendar (list and month) under its collaborative, each event under
/events/, series under /series/, the personal feed under /calendar/feed/."""

from django.urls import path

from . import calendar_views, views
from . import evaluation_views as ev_views
from .attendance import views as attendance

app_name = "learning_sessions"

E = "events/<uuid:event_id>"
C = "collaboratives/<uuid:collaborative_id>"
Q = f"{C}/evaluation/questions/<uuid:question_id>"
IMP = f"{E}/attendance/import/<uuid:import_id>"

urlpatterns = [
    path("collaboratives/<uuid:collaborative_id>/events/", views.event_list, name="event_list"),
    path(
        "collaboratives/<uuid:collaborative_id>/events/month/",
        calendar_views.event_month,
        name="event_month",
    ),
    path(
        "collaboratives/<uuid:collaborative_id>/events/series/new/",
        calendar_views.series_create_view,
        name="series_create",
    ),
    path("series/<uuid:series_id>/", calendar_views.series_detail, name="series_detail"),
    # The person's own subscription address, and the feed behind it (no login: the
    # secret token in the path is the credential).
    path("calendar/feed/", calendar_views.feed_manage, name="feed_manage"),
    path("calendar/feed/<str:token>.ics", calendar_views.calendar_feed, name="calendar_feed"),
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
    # Evaluations: staff's form, the participant's page, results and exports.
    path(f"{C}/evaluation/", ev_views.evaluation_form, name="evaluation_form"),
    path(f"{C}/evaluation/defaults/", ev_views.evaluation_defaults, name="evaluation_defaults"),
    path(
        f"{C}/evaluation/questions/new/",
        ev_views.evaluation_question_add,
        name="evaluation_question_add",
    ),
    path(f"{Q}/", ev_views.evaluation_question_edit, name="evaluation_question_edit"),
    path(f"{Q}/move/", ev_views.evaluation_question_move, name="evaluation_question_move"),
    path(f"{Q}/remove/", ev_views.evaluation_question_remove, name="evaluation_question_remove"),
    path(f"{Q}/restore/", ev_views.evaluation_question_restore, name="evaluation_question_restore"),
    path(
        f"{C}/evaluation/results/",
        ev_views.collaborative_evaluation_results,
        name="collaborative_evaluation_results",
    ),
    path(
        f"{C}/evaluation/results.csv",
        ev_views.collaborative_evaluation_csv,
        name="collaborative_evaluation_csv",
    ),
    path(
        f"{C}/evaluation/results.xlsx",
        ev_views.collaborative_evaluation_xlsx,
        name="collaborative_evaluation_xlsx",
    ),
    path(f"{E}/evaluation/", ev_views.event_evaluation, name="event_evaluation"),
    path(
        f"{E}/evaluation/results/",
        ev_views.event_evaluation_results,
        name="event_evaluation_results",
    ),
    path(f"{E}/evaluation/results.csv", ev_views.event_evaluation_csv, name="event_evaluation_csv"),
    path(
        f"{E}/evaluation/results.xlsx", ev_views.event_evaluation_xlsx, name="event_evaluation_xlsx"
    ),
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
    path(f"{E}/materials/", views.material_add, name="material_add"),
    path(f"{E}/materials/<uuid:material_id>/", views.material_download, name="material_download"),
    path(
        f"{E}/materials/<uuid:material_id>/remove/",
        views.material_remove,
        name="material_remove",
    ),
]
