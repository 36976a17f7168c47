"""Dashboard routes under /api/v1/."""

from django.urls import path

from .coach import CoachDashboard, CollaborativeDashboardTeams, TeamSummaryView
from .progress import CollaborativeProgress

urlpatterns: list = [
    path("dashboards/coach/", CoachDashboard.as_view(), name="dashboards-coach"),
    path(
        "collaboratives/<uuid:collaborative_id>/dashboard/teams/",
        CollaborativeDashboardTeams.as_view(),
        name="dashboards-collaborative-teams",
    ),
    path(
        "teams/<uuid:team_id>/summary/",
        TeamSummaryView.as_view(),
        name="dashboards-team-summary",
    ),
    path(
        "collaboratives/<uuid:collaborative_id>/progress/",
        CollaborativeProgress.as_view(),
        name="collaborative-progress",
    ),
]
