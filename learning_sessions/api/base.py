"""The base of every learning-sessions endpoint under an event."""

from __future__ import annotations

from core.api.views import ScopedAPIView

from ..models import Event
from ..selectors import event_or_404


class EventScopedAPIView(ScopedAPIView):
    """Scope: the event named by `event_id`, if the caller sees its collaborative
    (learning_sessions.selectors.event_or_404); else 404."""

    scope: Event
    queryset_model = Event

    def get_scope(self) -> Event:
        return event_or_404(user=self.request.user, event_id=self.kwargs["event_id"])

    @property
    def event(self) -> Event:
        return self.scope
