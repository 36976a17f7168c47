"""Pages of the coach and staff dashboards."""

from django.urls import path

from . import views_coach

app_name = "dashboards"

urlpatterns: list = [
    # The coach's home (it replaced teams' coach_home at the same address).
    path("coach/", views_coach.coach_dashboard, name="coach"),
    path(
        "collaboratives/<uuid:collaborative_id>/dashboard/",
        views_coach.collaborative_dashboard,
        name="collaborative",
    ),
    path("teams/<uuid:team_id>/dashboard/rate/", views_coach.action_rate, name="rate"),
    path("teams/<uuid:team_id>/dashboard/comment/", views_coach.action_comment, name="comment"),
    path("teams/<uuid:team_id>/dashboard/review/", views_coach.action_review, name="review"),
    path("teams/<uuid:team_id>/dashboard/nudge/", views_coach.action_nudge, name="nudge"),
]
