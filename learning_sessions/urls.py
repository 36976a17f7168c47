"""Event pages: the calendar under its collaborative, each event under /events/."""

from django.urls import path

from . import views

app_name = "learning_sessions"

E = "events/<uuid:event_id>"

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
    path(f"{E}/materials/", views.material_add, name="material_add"),
    path(f"{E}/materials/<uuid:material_id>/", views.material_download, name="material_download"),
    path(
        f"{E}/materials/<uuid:material_id>/remove/",
        views.material_remove,
        name="material_remove",
    ),
]
