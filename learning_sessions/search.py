"""Learning sessions' group of the top-bar search (core.search): the events of the
collaboratives the person may see (events_visible_to), soonest-matching first."""

from __future__ import annotations

from django.urls import reverse

from accounts.models import User
from core.search import SearchHit, matched_hit, register_search_provider, text_matches
from core.timezones import format_local

from .selectors import events_visible_to


def event_hits(user: User, query: str, limit: int) -> list[SearchHit]:
    """Events whose title, description, agenda or place match."""
    found = text_matches(
        events_visible_to(user=user),
        query,
        title="title",
        weighted={"A": ["title"], "B": ["description"], "C": ["agenda", "location"]},
        snippet=["description", "agenda", "location"],
    )[:limit]
    return [
        matched_hit(
            event,
            query,
            url=reverse("learning_sessions:event_detail", kwargs={"event_id": event.public_id}),
            kind=event.get_kind_display() + (" · cancelled" if event.is_cancelled else ""),
            context=f"{event.collaborative.title} · {format_local(event.starts_at)}",
        )
        for event in found
    ]


register_search_provider("events", "Learning sessions", event_hits, order=50)
