"""The project's URLs: pages, allauth, the API and its schema."""

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from teams.views.home import home

# The admin signs in through allauth, with its failed-login rate limits and the TOTP
# step, instead of Django's bare password form (which had neither).
admin.site.login = secure_admin_login(admin.site.login)

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
    path("", include("learning_sessions.urls")),
    path("", include("certificates.urls")),
    path("", include("dashboards.urls")),
    path("", include("resources.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", include(("config.api_urls", "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start script from ?script= instead of inline,
    # which the Content-Security-Policy blocks (docs/decisions/0009).
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="schema", template_name="core/swagger_ui.html"
        ),
        name="api-docs",
    ),
    path("admin/", admin.site.urls),
]

# Under /api/ a path that matches no route answers with the API's JSON error shape.
handler404 = "core.views.page_not_found"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
