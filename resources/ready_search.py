"""What the search part of resources wires up when the app is ready: the library's
group of the top-bar search (core.search)."""

from __future__ import annotations

from accounts.models import User
from core.search import SearchHit, register_search_provider

from .search import search_resources, summary_shown, title_shown
from .search_scope import resources_searchable_by
from .services.links import resource_page_path


def library_hits(user: User, query: str, limit: int) -> list[SearchHit]:
    """Library resources `user` may find, best first (ranked full-text search)."""
    found = search_resources(resources_searchable_by(user=user), query)[:limit]
    return [
        SearchHit(
            title=title_shown(resource, query),
            url=resource_page_path(resource),
            snippet=summary_shown(resource, query),
            kind=resource.get_kind_display(),
        )
        for resource in found
    ]


register_search_provider("resources", "Library", library_hits, order=10)
