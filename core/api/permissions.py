"""The default API permission: authenticated, and the view must be scoped."""

from rest_framework.permissions import BasePermission


class IsAuthenticatedAndScoped(BasePermission):
    """Refuse anonymous users, and refuse any view that is not a scoped view.

    A new API view that forgot to inherit from core.api.views.ScopedAPIView (which
    sets the `is_scoped_view` marker) answers 403 to everyone instead of leaking data;
    tests/core/test_api.py, which checks every API route's class, flags it too.
    """

    message = "Authentication credentials were not provided or are not valid."

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return bool(getattr(view, "is_scoped_view", False))
