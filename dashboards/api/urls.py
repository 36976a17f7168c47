"""Dashboard routes under /api/v1/."""

from django.urls import path

from .coach import CoachDashboard, CollaborativeDashboardTeams, TeamSummary

urlpatterns: list = [
    path("dashboards/coach/", CoachDashboard.as_view(), name="dashboards-coach"),
    path(
        "collaboratives/<uuid:collaborative_id>/dashboard/teams/",
        CollaborativeDashboardTeams.as_view(),
        name="dashboards-collaborative-teams",
    ),
    path("teams/<uuid:team_id>/summary/", TeamSummary.as_view(), name="dashboards-team-summary"),
]
