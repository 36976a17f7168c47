"""Pages of the coach and staff dashboards."""

from django.urls import path

from . import views_progress

app_name = "dashboards"

C = "collaboratives/<uuid:collaborative_id>"

urlpatterns: list = [
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
