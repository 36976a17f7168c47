"""The base of API views nested under a collaborative (`collaboratives/<collaborative_id>/`)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from collaboratives.models import Collaborative
from collaboratives.selectors import collaboratives_visible_to
from core.api.views import ScopedAPIView


class CollaborativeScopedAPIView(ScopedAPIView):
    """Scope: the collaborative named by `collaborative_id`, if the caller works in it
    (`collaboratives_visible_to`); another program's or an unknown id answers 404."""

    scope: Collaborative

    def get_scope(self) -> Collaborative:
        return get_object_or_404(
            collaboratives_visible_to(user=self.request.user),
            public_id=self.kwargs["collaborative_id"],
        )

    @property
    def collaborative(self) -> Collaborative:
        return self.scope
