"""Nested team routes under /api/v1/ (memberships, coach assignments, progress ratings)."""

from django.urls import path

from .views import (
    TeamCoachList,
    TeamMemberList,
    TeamRatingDetail,
    TeamRatingDue,
    TeamRatingList,
)

T = "teams/<uuid:team_id>"

urlpatterns = [
    path(f"{T}/members/", TeamMemberList.as_view(), name="team-members"),
    path(f"{T}/coaches/", TeamCoachList.as_view(), name="team-coaches"),
    path(f"{T}/ratings/", TeamRatingList.as_view(), name="team-ratings"),
    path(f"{T}/ratings/due/", TeamRatingDue.as_view(), name="team-rating-due"),
    path(f"{T}/ratings/<uuid:rating_id>/", TeamRatingDetail.as_view(), name="team-rating-detail"),
]
