from django.urls import path

from . import enrolment_views, views

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
    path(f"{C}/enrolment/", enrolment_views.enrolment_review, name="enrolment"),
    path(
        f"{C}/teams/<uuid:team_id>/approve/",
        enrolment_views.enrolment_decide,
        {"decision": "approve"},
        name="approve",
    ),
    path(
        f"{C}/teams/<uuid:team_id>/decline/",
        enrolment_views.enrolment_decide,
        {"decision": "decline"},
        name="decline",
    ),
    path(
        f"{C}/teams/<uuid:team_id>/withdraw/",
        enrolment_views.enrolment_decide,
        {"decision": "withdraw"},
        name="withdraw",
    ),
    path(f"{C}/teams/<uuid:team_id>/coaches/", enrolment_views.team_coaches, name="coaches"),
    path(f"{C}/roster/", enrolment_views.roster, name="roster"),
    path("join/<uuid:collaborative_id>/", views.collaborative_public, name="public"),
    path("join/<uuid:collaborative_id>/register/", enrolment_views.team_register, name="register"),
]
