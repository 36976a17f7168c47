"""Routes of the assessments API under /api/v1/ (read-only)."""

from django.urls import path

from .views import LatestScoreViewSet, ResponseViewSet, TemplateViewSet, WaveViewSet

LIST = {"get": "list"}
DETAIL = {"get": "retrieve"}

urlpatterns = [
    path("survey-templates/", TemplateViewSet.as_view(LIST), name="survey-template-list"),
    path(
        "survey-templates/<uuid:template_id>/",
        TemplateViewSet.as_view(DETAIL),
        name="survey-template-detail",
    ),
    path("survey-waves/", WaveViewSet.as_view(LIST), name="survey-wave-list"),
    path("survey-waves/<uuid:wave_id>/", WaveViewSet.as_view(DETAIL), name="survey-wave-detail"),
    path("survey-responses/", ResponseViewSet.as_view(LIST), name="survey-response-list"),
    path(
        "survey-responses/<uuid:response_id>/",
        ResponseViewSet.as_view(DETAIL),
        name="survey-response-detail",
    ),
    path("survey-scores/", LatestScoreViewSet.as_view(LIST), name="survey-score-list"),
]
