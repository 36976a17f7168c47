"""Routes of the measures API under /api/v1/, nested under the scope they belong to."""

from django.urls import path

from .views import (
    CollaborativeMeasureSet,
    CollaborativePeriods,
    CollaborativePooledSeries,
    CollaborativeSubmissionStatus,
    DataPointDetail,
    DataPointList,
    MeasureDetail,
    MeasureList,
    TeamMeasureList,
    TeamSeries,
    TeamSubmissionDetail,
    TeamSubmissionList,
    TeamSubmissionReview,
    TeamSubmissionSubmit,
)

T = "teams/<uuid:team_id>"
C = "collaboratives/<uuid:collaborative_id>"
S = f"{T}/submissions/<uuid:period_id>"

urlpatterns = [
    path("measures/", MeasureList.as_view(), name="measure-list"),
    path("measures/<uuid:measure_id>/", MeasureDetail.as_view(), name="measure-detail"),
    path(f"{C}/measures/", CollaborativeMeasureSet.as_view(), name="collaborative-measure-set"),
    path(
        f"{C}/measures/<uuid:measure_id>/pooled/",
        CollaborativePooledSeries.as_view(),
        name="collaborative-pooled-series",
    ),
    path(f"{C}/periods/", CollaborativePeriods.as_view(), name="collaborative-periods"),
    path(
        f"{C}/submission-status/",
        CollaborativeSubmissionStatus.as_view(),
        name="collaborative-submission-status",
    ),
    path(f"{T}/measures/", TeamMeasureList.as_view(), name="team-measures"),
    path(
        f"{T}/measures/<uuid:measure_id>/series/", TeamSeries.as_view(), name="team-measure-series"
    ),
    path(f"{T}/data-points/", DataPointList.as_view(), name="team-data-points"),
    path(
        f"{T}/data-points/<uuid:data_point_id>/",
        DataPointDetail.as_view(),
        name="team-data-point-detail",
    ),
    path(f"{T}/submissions/", TeamSubmissionList.as_view(), name="team-submissions"),
    path(f"{S}/", TeamSubmissionDetail.as_view(), name="team-submission-detail"),
    path(f"{S}/submit/", TeamSubmissionSubmit.as_view(), name="team-submission-submit"),
    path(f"{S}/review/", TeamSubmissionReview.as_view(), name="team-submission-review"),
]
