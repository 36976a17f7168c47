"""Base classes every API view of the project inherits from.

Scoping is done here, once: a subclass says how to find what a user may see
(`get_scoped_queryset(user)`), and the base class uses it for every list,
retrieve, update and delete. Subclasses cannot override `get_queryset`, so a
view cannot accidentally serve unscoped rows.
"""

from django.db.models import QuerySet
from rest_framework import mixins, viewsets


class ScopedAPIMixin:
    """Mixin for API views whose rows come from a selector taking the user."""

    is_scoped_view = True
    lookup_field = "public_id"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "get_queryset" in cls.__dict__:
            raise TypeError(
                f"{cls.__name__} overrides get_queryset; implement get_scoped_queryset(user) "
                "so that scoping cannot be bypassed."
            )

    def get_scoped_queryset(self, user) -> QuerySet:  # pragma: no cover - abstract
        raise NotImplementedError

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):
            # Schema generation: no user, no rows, but the model is known.
            return self.queryset_model._default_manager.none()
        return self.get_scoped_queryset(self.request.user)


class ScopedReadOnlyViewSet(ScopedAPIMixin, viewsets.ReadOnlyModelViewSet):
    """List and retrieve what the user may see."""


class ScopedModelViewSet(
    ScopedAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Read plus write; subclasses route writes through services in perform_*()."""
