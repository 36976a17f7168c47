"""Full-text search of the library: ranked, weighted, stemmed and highlighted.

On PostgreSQL each resource keeps a tsvector (`Resource.search_vector`, GIN-indexed)
built by `index_resources` from the title (weight A), the summary (B), and the body
and tags (C), with the English configuration so that "splints" finds "splinting".
The user's words go through `websearch_to_tsquery`: quotes, `or` and `-` work and
nothing they type can break the query. SQLite (`make run` without PostgreSQL) has no
tsvector: there every word must appear in the title, summary, body or tags, and
title matches come first.

Highlights are computed by the database with control characters as markers, then
escaped in Python and only then wrapped in <mark>: a resource's own text can never
inject markup through a highlight.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Cast
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Resource

CONFIG = "english"
_START, _STOP = "\x02", "\x03"
#: Longest query kept: a pasted paragraph is cut, not refused.
MAX_QUERY_LENGTH = 200


def _uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def clean_query(query: str | None) -> str:
    """The words to search for: control characters removed, spaces collapsed, cut to
    MAX_QUERY_LENGTH."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", query or "")
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def index_resources(resource_ids: Iterable[int]) -> None:
    """Rebuild the search vectors of these resources (call after every write that
    changes their words). Nothing to do on SQLite."""
    ids = list(resource_ids)
    if not ids or not _uses_postgres():
        return
    vector = (
        SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("summary", weight="B", config=CONFIG)
        + SearchVector("body", weight="C", config=CONFIG)
        + SearchVector(Cast("tags", TextField()), weight="C", config=CONFIG)
    )
    Resource.objects.filter(pk__in=ids).update(search_vector=vector)


def highlighted(text: str | None) -> SafeString:
    """A database highlight made safe: the text escaped, then its markers as <mark>."""
    safe = escape(text or "")
    return mark_safe(  # noqa: S308 - escaped above; only our own tags are added
        safe.replace(_START, "<mark>").replace(_STOP, "</mark>")
    )


def search_resources(queryset: QuerySet[Resource], query: str | None) -> QuerySet[Resource]:
    """`queryset` narrowed to the resources matching `query`, best first, each annotated
    with `title_marked` and `summary_marked` (raw text with control-character markers:
    show them through `highlighted`). An empty query returns `queryset` unchanged."""
    words = clean_query(query)
    if not words:
        return queryset
    if _uses_postgres():
        search = SearchQuery(words, search_type="websearch", config=CONFIG)
        options = {"start_sel": _START, "stop_sel": _STOP, "config": CONFIG}
        return (
            queryset.filter(search_vector=search)
            .annotate(
                rank=SearchRank(F("search_vector"), search),
                title_marked=SearchHeadline("title", search, highlight_all=True, **options),
                summary_marked=SearchHeadline(
                    "summary", search, max_words=35, min_words=15, **options
                ),
            )
            .order_by("-rank", "title", "pk")
        )
    return _search_plainly(queryset, words)


def _search_plainly(queryset: QuerySet[Resource], words: str) -> QuerySet[Resource]:
    """The SQLite fallback: every word somewhere, title matches first."""
    terms = [term for term in re.split(r"\W+", words) if term]
    if not terms:
        return queryset.none()
    title_hits = Q()
    for term in terms:
        queryset = queryset.filter(
            Q(title__icontains=term)
            | Q(summary__icontains=term)
            | Q(body__icontains=term)
            | Q(tags__icontains=term)
        )
        title_hits |= Q(title__icontains=term)
    return queryset.annotate(
        rank=Case(When(title_hits, then=Value(1)), default=Value(0), output_field=IntegerField()),
        title_marked=F("title"),
        summary_marked=F("summary"),
    ).order_by("-rank", "title", "pk")
