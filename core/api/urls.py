"""API routes of core: the caller's in-app inbox."""

from django.urls import path

from .notifications import MyNotifications, NotificationRead, NotificationsReadAll

urlpatterns = [
    path("me/notifications/", MyNotifications.as_view(), name="my-notifications"),
    path(
        "me/notifications/read-all/",
        NotificationsReadAll.as_view(),
        name="my-notifications-read-all",
    ),
    path(
        "me/notifications/<uuid:notification_id>/read/",
        NotificationRead.as_view(),
        name="my-notification-read",
    ),
]
