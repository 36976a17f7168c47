"""Pages of the coach and staff dashboards."""

from django.urls import path

from . import views_coach, views_progress

app_name = "dashboards"

C = "collaboratives/<uuid:collaborative_id>"

urlpatterns: list = [
    # The coach's home (it replaced teams' coach_home at the same address).
    path("coach/", views_coach.coach_dashboard, name="coach"),
    path(f"{C}/dashboard/", views_coach.collaborative_dashboard, name="collaborative"),
    path("teams/<uuid:team_id>/dashboard/rate/", views_coach.action_rate, name="rate"),
    path("teams/<uuid:team_id>/dashboard/comment/", views_coach.action_comment, name="comment"),
    path("teams/<uuid:team_id>/dashboard/review/", views_coach.action_review, name="review"),
    path("teams/<uuid:team_id>/dashboard/nudge/", views_coach.action_nudge, name="nudge"),
    # The staff progress dashboard and its sponsor report.
    path(f"{C}/progress/", views_progress.progress_page, name="progress"),
    path(
        f"{C}/progress/reports/",
        views_progress.progress_report_create,
        name="progress_report_create",
    ),
    path(
        f"{C}/progress/reports/<uuid:report_id>/status/",
        views_progress.progress_report_status,
        name="progress_report_status",
    ),
    path(
        f"{C}/progress/reports/<uuid:report_id>/download/",
        views_progress.progress_report_download,
        name="progress_report_download",
    ),
]
