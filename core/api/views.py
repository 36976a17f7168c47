"""The one base class of every API view: its scope is the object the URL names.

A scoped view resolves its *scope* (the caller themself, or the object a URL keyword
names) once per request, in `initial()`, after authentication and permissions and
before any handler runs: an object the caller may not see answers 404 there, so no
handler can forget the check. Rows come from `scoped_queryset(scope)` only; subclasses
cannot override `get_queryset` or `initial` (checked when the class is created).

Core does not know the domain: it holds the machinery and the flavour whose scope is
the caller (`UserScopedAPIView`). The flavours that read a URL keyword live with the
selector that decides visibility, in the app's layer: `collaboratives.api.base` (a
collaborative), `teams.api.base` (a team, with the caller's `TeamAccess` for 403s);
a feature narrows a team's scope to one of its objects the same way (a PDSA cycle,
a reporting period).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import Model, QuerySet
from rest_framework import generics, viewsets
from rest_framework.request import Request

#: Methods a scoped view may not override: they are where the scoping happens.
SEALED = ("get_queryset", "initial")


class ScopedAPIView(generics.GenericAPIView):
    """Resolve the scope before any handler runs; derive every queryset from it.

    Subclasses (the flavours) implement `get_scope()`, which reads `self.request.user`
    and `self.kwargs` through the app's selector and raises Http404 when the caller
    may not see the object. Views implement `scoped_queryset(scope)` when they serve
    rows (list, retrieve, get_object); `queryset_model` names the model for the
    schema and for views that answer from a selector instead of rows.
    """

    #: Read by the default permission (core.api.permissions), which refuses other views.
    is_scoped_view: ClassVar[bool] = True
    lookup_field = "public_id"
    queryset_model: ClassVar[type[Model] | None] = None
    scope: Any

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in SEALED:
            if name in cls.__dict__:
                raise TypeError(
                    f"{cls.__name__} overrides {name}; implement get_scope() in a base and "
                    "scoped_queryset(scope) in the view, so that scoping cannot be bypassed."
                )

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)  # authentication, permissions, throttles
        method = request.method.lower()
        # A method the view does not handle still answers 405, whatever the URL names.
        if method in self.http_method_names and hasattr(self, method):
            self.scope = self.get_scope()

    def get_scope(self) -> Any:  # pragma: no cover - abstract
        """The object the URL names, if the caller may see it; else raise Http404."""
        raise NotImplementedError

    def scoped_queryset(self, scope) -> QuerySet:
        """The rows of `scope` this view serves. By default none: views that answer
        from a selector (series, statuses) serve no rows of their own."""
        return self.queryset_model._default_manager.none()

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):
            # Schema generation: no request, no scope, no rows; the model is known.
            return self.queryset_model._default_manager.none()
        return self.scoped_queryset(self.scope)


class UserScopedAPIView(ScopedAPIView):
    """Scope: the caller themself (`/me/`, and lists of everything the caller may see,
    whose rows come from a selector that takes the user)."""

    def get_scope(self):
        return self.request.user


class UserScopedReadOnlyViewSet(UserScopedAPIView, viewsets.ReadOnlyModelViewSet):
    """List and retrieve what the caller may see (router-registered resources)."""
