from django.urls import path

from . import views

app_name = "collaboratives"

C = "collaboratives/<uuid:collaborative_id>"

urlpatterns = [
    path("collaboratives/", views.collaborative_list, name="staff_list"),
    path("collaboratives/new/", views.collaborative_create, name="create"),
    path(f"{C}/", views.collaborative_detail, name="detail"),
    path(f"{C}/edit/", views.collaborative_edit, name="edit"),
    path(f"{C}/phases/", views.collaborative_phases, name="phases"),
    path(f"{C}/copy/", views.collaborative_copy, name="copy"),
    path(f"{C}/status/", views.collaborative_transition, name="transition"),
    path("join/<uuid:collaborative_id>/", views.collaborative_public, name="public"),
]
