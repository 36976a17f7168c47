from django.urls import path

from . import views, views_inbox

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    path("csp-report/", views.csp_report, name="csp_report"),
    # One-click unsubscribe (RFC 8058): a signed token, no sign-in.
    path("unsubscribe/<str:token>/", views.unsubscribe_link, name="unsubscribe"),
    # The in-app inbox (the bell in the top bar): the signed-in person's own notices.
    path("notifications/", views_inbox.inbox, name="notifications"),
    path(
        "notifications/read-all/",
        views_inbox.notifications_read_all,
        name="notifications_read_all",
    ),
    path(
        "notifications/<uuid:notification_id>/open/",
        views_inbox.notification_open,
        name="notification_open",
    ),
]
