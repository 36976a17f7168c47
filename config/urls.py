"""The project's URLs: pages, allauth, the API and its schema."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from teams.views.home import home

urlpatterns = [
    # Home sends each person to their collaboratives, teams or team (teams/views/home.py).
    path("", home, name="home"),
    path("", include("core.urls")),
    path("", include("accounts.urls")),
    path("", include("collaboratives.urls")),
    path("", include("teams.urls")),
    path("", include("assessments.urls")),
    path("", include("pdsa.urls")),
    path("", include("measures.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", include(("config.api_urls", "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]

# Under /api/ a path that matches no route answers with the API's JSON error shape.
handler404 = "core.views.page_not_found"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
