"""Event pages: the calendar (list and month) under its collaborative, each event under
/events/, series under /series/, the personal feed under /calendar/feed/."""

from django.urls import path

from . import calendar_views, views

app_name = "learning_sessions"

E = "events/<uuid:event_id>"

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
]
