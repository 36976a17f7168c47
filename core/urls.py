from django.urls import path

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    path("csp-report/", views.csp_report, name="csp_report"),
    # One-click unsubscribe (RFC 8058): a signed token, no sign-in.
    path("unsubscribe/<str:token>/", views.unsubscribe_link, name="unsubscribe"),
]
