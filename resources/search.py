"""Full-text search of the library: ranked, weighted, stemmed and highlighted.

On PostgreSQL each resource keeps a tsvector (`Resource.search_vector`, GIN-indexed
by migration 0002) built by `index_resources` from the title (weight A), the summary
(B), and the body and tags (C), with the English configuration so that "splints"
finds "splinting". The user's words go through `websearch_to_tsquery`: quotes, `or`
and `-` work and nothing they type can break the query (it is a bound parameter,
never SQL built from strings). SQLite (`make run` without PostgreSQL) has no
tsvector: there every word must appear in the title, summary, body or tags, and
title matches come first, then summary matches.

Highlights are computed by the database with control characters as markers (removed
from the resource's own text first), then escaped in Python and only then wrapped in
<mark> (core.search.highlighted): a resource's text can never inject markup through a
highlight.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Cast
from django.utils.safestring import SafeString

from core.search import (
    CONFIG,
    START,
    STOP,
    clean_query,
    highlighted,
    marked_terms,
    search_terms,
    unmarked,
    uses_postgres,
    uses_postgres_row,
)

from .models import Resource

__all__ = [
    "clean_query",
    "highlighted",
    "index_resources",
    "search_resources",
    "summary_shown",
    "title_shown",
]


def index_resources(resource_ids: Iterable[int]) -> None:
    """Rebuild the search vectors of these resources (call after every write that
    changes their words). Nothing to do on SQLite."""
    ids = list(resource_ids)
    if not ids or connection.vendor != "postgresql":
        return
    vector = (
        SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("summary", weight="B", config=CONFIG)
        + SearchVector("body", weight="C", config=CONFIG)
        + SearchVector(Cast("tags", TextField()), weight="C", config=CONFIG)
    )
    Resource.objects.filter(pk__in=ids).update(search_vector=vector)


def search_resources(queryset: QuerySet[Resource], query: str | None) -> QuerySet[Resource]:
    """`queryset` narrowed to the resources matching `query`, best first, each annotated
    with `rank`, `title_marked` and `summary_marked` (show them through `title_shown` and
    `summary_shown`). An empty query returns `queryset` unchanged."""
    words = clean_query(query)
    if not words:
        return queryset
    if uses_postgres(queryset):
        search = SearchQuery(words, search_type="websearch", config=CONFIG)
        options = {"start_sel": START, "stop_sel": STOP, "config": CONFIG}
        return (
            queryset.filter(search_vector=search)
            .annotate(
                rank=SearchRank(F("search_vector"), search),
                title_marked=SearchHeadline(
                    unmarked(F("title")), search, highlight_all=True, **options
                ),
                summary_marked=SearchHeadline(
                    unmarked(F("summary")), search, max_words=35, min_words=15, **options
                ),
            )
            .order_by("-rank", "title", "pk")
        )
    return _search_plainly(queryset, words)


def _search_plainly(queryset: QuerySet[Resource], words: str) -> QuerySet[Resource]:
    """The SQLite fallback: every word somewhere; title matches first, then summary
    matches, then the rest."""
    terms = search_terms(words)
    if not terms:
        return queryset.none()
    in_title, in_summary = Q(), Q()
    for term in terms:
        queryset = queryset.filter(
            Q(title__icontains=term)
            | Q(summary__icontains=term)
            | Q(body__icontains=term)
            | Q(tags__icontains=term)
        )
        in_title |= Q(title__icontains=term)
        in_summary |= Q(summary__icontains=term)
    return queryset.annotate(
        rank=Case(
            When(in_title, then=Value(3)),
            When(in_summary, then=Value(2)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        title_marked=F("title"),
        summary_marked=F("summary"),
    ).order_by("-rank", "title", "pk")


def title_shown(resource: Resource, query: str | None) -> SafeString:
    """A found resource's title, escaped, its matches in <mark> (either database)."""
    if uses_postgres_row(resource):
        return highlighted(resource.title_marked)
    return marked_terms(resource.title_marked, search_terms(clean_query(query)))


def summary_shown(resource: Resource, query: str | None) -> SafeString:
    """A found resource's summary (the part around its matches on PostgreSQL), escaped,
    its matches in <mark>."""
    if uses_postgres_row(resource):
        return highlighted(resource.summary_marked)
    return marked_terms(resource.summary_marked, search_terms(clean_query(query)))
