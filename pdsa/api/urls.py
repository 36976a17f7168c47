"""Routes of the pdsa API under /api/v1/, nested under the team they belong to."""

from django.urls import path

from .views import (
    ChangeIdeaDetail,
    ChangeIdeaList,
    CommentDetail,
    CommentList,
    CycleDetail,
    CycleList,
    DriverDetail,
    DriverList,
    ReviewCycleList,
    TeamAim,
)

T = "teams/<uuid:team_id>"
C = f"{T}/cycles/<uuid:cycle_id>"

urlpatterns = [
    path(f"{T}/aim/", TeamAim.as_view(), name="pdsa-aim"),
    path(f"{T}/drivers/", DriverList.as_view(), name="pdsa-driver-list"),
    path(f"{T}/drivers/<uuid:driver_id>/", DriverDetail.as_view(), name="pdsa-driver-detail"),
    path(f"{T}/change-ideas/", ChangeIdeaList.as_view(), name="pdsa-change-idea-list"),
    path(
        f"{T}/change-ideas/<uuid:change_idea_id>/",
        ChangeIdeaDetail.as_view(),
        name="pdsa-change-idea-detail",
    ),
    path(f"{T}/cycles/", CycleList.as_view(), name="pdsa-cycle-list"),
    path(f"{C}/", CycleDetail.as_view(), name="pdsa-cycle-detail"),
    path(f"{C}/comments/", CommentList.as_view(), name="pdsa-comment-list"),
    path(f"{C}/comments/<uuid:comment_id>/", CommentDetail.as_view(), name="pdsa-comment-detail"),
    path("pdsa/review-cycles/", ReviewCycleList.as_view(), name="pdsa-review-cycles"),
]
