"""Routes of /api/v1/. Every router entry is a scoped view (core.api.views)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from collaboratives.api.views import CollaborativeViewSet
from teams.api.me import MeView, ProgramViewSet
from teams.api.views import TeamViewSet

router = DefaultRouter()
router.register("programs", ProgramViewSet, basename="program")
router.register("collaboratives", CollaborativeViewSet, basename="collaborative")
router.register("teams", TeamViewSet, basename="team")

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    *router.urls,
    path("", include("core.api.urls")),
    path("", include("collaboratives.api.urls")),
    path("", include("teams.api.urls")),
    path("", include("assessments.api.urls")),
    path("", include("pdsa.api.urls")),
    path("", include("measures.api.urls")),
    path("", include("learning_sessions.api.urls")),
    path("", include("certificates.api.urls")),
    path("", include("dashboards.api.urls")),
    path("", include("resources.api.urls")),
]
