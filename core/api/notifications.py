"""The caller's in-app inbox in the API: the same notices as /notifications/.

Scoped to the caller only (core.inbox reads and writes nothing but the person's own
notices): a notice of anyone else answers 404, like one that does not exist. The
list carries the unread count, so that an integration (or the bell's script) needs
one request.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from ..inbox import (
    notification_get_or_404,
    notification_mark_read,
    notifications_for,
    notifications_mark_all_read,
    unread_count,
)
from ..models import Notification
from .pagination import PageNumberPagination
from .views import ScopedAPIView, UserScopedAPIView


class NotificationSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    kind_label = serializers.CharField(read_only=True, help_text="The kind, in words.")
    url = serializers.CharField(help_text="The path on this site the notice is about.")
    read = serializers.BooleanField(source="is_read", help_text="Whether it was opened.")

    class Meta:
        model = Notification
        fields = ["id", "kind", "kind_label", "title", "url", "created_at", "read", "read_at"]


class InboxPagination(PageNumberPagination):
    """Pages of notices, with the caller's unread count next to them."""

    page_size = 25

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["unread_count"] = unread_count(user=self.request.user)
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["unread_count"] = {
            "type": "integer",
            "example": 3,
            "description": "How many of the caller's notices are unread (all pages).",
        }
        schema["required"] = [*schema.get("required", []), "unread_count"]
        return schema


class MyNotifications(UserScopedAPIView, generics.ListAPIView):
    """The caller's notices, newest first, with their unread count; `?unread=1` lists
    the unread ones only."""

    serializer_class = NotificationSerializer
    queryset_model = Notification
    pagination_class = InboxPagination
    filter_backends: list = []

    def scoped_queryset(self, user):
        return notifications_for(
            user=user, unread_only=self.request.query_params.get("unread") == "1"
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("unread", str, enum=["1"], description="1: unread notices only")
        ]
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class NotificationScopedAPIView(ScopedAPIView):
    """Scope: one of the caller's own notices, named by `notification_id`; 404 else."""

    queryset_model = Notification
    serializer_class = NotificationSerializer

    def get_scope(self):
        return notification_get_or_404(
            user=self.request.user, public_id=self.kwargs["notification_id"]
        )


class NotificationRead(NotificationScopedAPIView):
    """Mark one notice read (as opening it on the site does)."""

    @extend_schema(request=None, responses={200: NotificationSerializer})
    def post(self, request: Request, *args, **kwargs) -> Response:
        notice = notification_mark_read(notification=self.scope)
        return Response(NotificationSerializer(notice).data)


class NotificationsReadAll(UserScopedAPIView):
    """Mark every unread notice of the caller read."""

    queryset_model = Notification

    @extend_schema(
        request=None,
        responses={
            200: inline_serializer(
                "NotificationsReadAll",
                {
                    "marked_read": serializers.IntegerField(),
                    "unread_count": serializers.IntegerField(),
                },
            )
        },
    )
    def post(self, request: Request, *args, **kwargs) -> Response:
        marked = notifications_mark_all_read(user=self.scope)
        return Response({"marked_read": marked, "unread_count": 0})
