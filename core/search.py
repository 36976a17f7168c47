"""Search across the product: one box in the top bar, one results page, one API.

Core does not know the domain. Each feature registers a provider from its
AppConfig.ready():

    register_search_provider("pdsa_cycles", "PDSA cycles", cycles_matching, order=20)

A provider is `func(user, query, limit) -> list[SearchHit]`: the hits of what *that
user* may see (the feature's own scoped selectors decide), best first, at most
`limit`. `search_everything` asks every provider for one hit more than it shows, so
the page knows when to offer "more".

The helpers below give every provider the same matching and the same safety:
`text_matches` searches a small, already scoped queryset on the fly (PostgreSQL
full-text search with the English configuration and `websearch_to_tsquery`, so that
quotes, `or` and `-` work and no input can break the query; a plain `icontains` on
SQLite), and `highlighted` / `marked_terms` turn matches into <mark> only after the
text itself is escaped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import (
    Case,
    CharField,
    F,
    IntegerField,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, Replace
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

#: The text-search configuration: English stemming ("splints" finds "splinting").
CONFIG = "english"
#: Markers the database puts around matches in a headline; removed from the text first.
START, STOP = "\x02", "\x03"
#: Longest query kept: a pasted paragraph is cut, not refused.
MAX_QUERY_LENGTH = 200
#: Between the fields of a snippet; empty fields' separators are dropped when shown.
SEPARATOR = " · "
#: Hits per group on the results page, and on the page of one group ("more").
GROUP_LIMIT = 5
MORE_LIMIT = 50


@dataclass(frozen=True)
class SearchHit:
    """One thing found. `title` and `snippet` are plain text or SafeString (escaped,
    with <mark> around matches); templates escape the plain ones."""

    title: str
    url: str
    snippet: str
    kind: str
    #: Where it belongs, in words ("Alpha Team", "Spring collaborative"); optional.
    context: str = ""


@dataclass(frozen=True)
class SearchProvider:
    name: str
    label: str
    func: Callable[..., list[SearchHit]]
    order: int = 50


@dataclass(frozen=True)
class SearchGroup:
    """The hits of one provider for one query; `has_more` when it found more."""

    name: str
    label: str
    hits: list[SearchHit]
    has_more: bool


_PROVIDERS: dict[str, SearchProvider] = {}


def register_search_provider(
    name: str, label: str, func: Callable[..., list[SearchHit]], *, order: int = 50
) -> None:
    """Add (or replace, by name) a provider: `func(user, query, limit)` returns at most
    `limit` hits of what `user` may see, best first."""
    _PROVIDERS[name] = SearchProvider(name=name, label=label, func=func, order=order)


def search_providers() -> list[SearchProvider]:
    """The registered providers, in order."""
    return sorted(_PROVIDERS.values(), key=lambda p: (p.order, p.name))


def clean_query(query: str | None) -> str:
    """The words to search for: control characters removed, spaces collapsed, cut to
    MAX_QUERY_LENGTH."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", query or "")
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def search_everything(
    *, user, query: str | None, limit: int = GROUP_LIMIT, only: str | None = None
) -> list[SearchGroup]:
    """Every provider's hits for `user` (or only the provider named `only`), groups
    without hits left out. An empty query finds nothing."""
    words = clean_query(query)
    if not words:
        return []
    groups = []
    for provider in search_providers():
        if only and provider.name != only:
            continue
        hits = provider.func(user, words, limit + 1)
        if hits:
            groups.append(
                SearchGroup(
                    name=provider.name,
                    label=provider.label,
                    hits=list(hits[:limit]),
                    has_more=len(hits) > limit,
                )
            )
    return groups


def uses_postgres(queryset: QuerySet) -> bool:
    """Whether the database that will run `queryset` has full-text search."""
    return connections[queryset.db].vendor == "postgresql"


def search_terms(words: str) -> list[str]:
    """The plain words of a query (for the SQLite fallback and Python-side marks)."""
    return [term for term in re.split(r"\W+", words) if term]


def unmarked(expression):
    """`expression` with our highlight markers removed, so that a row's own text can
    never open or close a <mark>."""
    return Replace(Replace(expression, Value(START), Value("")), Value(STOP), Value(""))


def highlighted(text: str | None) -> SafeString:
    """A database highlight made safe: the text escaped, then its markers as <mark>."""
    safe = escape(text or "")
    return mark_safe(  # noqa: S308 - escaped above; only our own tags are added
        safe.replace(START, "<mark>").replace(STOP, "</mark>")
    )


def marked_terms(
    text: str | None, terms: Sequence[str], *, around: int | None = None
) -> SafeString:
    """`text` escaped, with each occurrence of `terms` (any case) in <mark>: the
    fallback's highlight. With `around`, only that many characters either side of the
    first match are kept."""
    text = text or ""
    if not terms:
        return escape(text[:around] if around else text)
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.I)
    if around:
        first = pattern.search(text)
        start = max(0, first.start() - around) if first else 0
        end = (first.end() + around) if first else around
        text = ("… " if start else "") + text[start:end] + (" …" if end < len(text) else "")
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped above


def _joined(fields: Sequence[str]):
    """The fields' text in one string (empty ones as ""), for a snippet."""
    parts = []
    for field in fields:
        parts += [Coalesce(F(field), Value(""), output_field=TextField()), Value(SEPARATOR)]
    parts = parts[:-1]
    return Concat(*parts, output_field=TextField()) if len(parts) > 1 else parts[0]


def text_matches(
    queryset: QuerySet,
    query: str,
    *,
    title: str,
    weighted: dict[str, Sequence[str]],
    snippet: Sequence[str] = (),
) -> QuerySet:
    """`queryset` (already scoped to what the user may see) narrowed to the rows whose
    words match `query`, best first, annotated with `title_marked` and `snippet_marked`
    (show them through `show_title` / `show_snippet`).

    `weighted` maps a weight ("A" most important .. "D") to the fields searched with
    it. On PostgreSQL the vector is built on the fly: meant for the small per-user sets
    of the top-bar search, not for a whole table (the library keeps a stored, indexed
    vector instead). On SQLite every word must appear in one of the fields (any
    case); rows whose title has one come first.
    """
    words = clean_query(query)
    fields = [field for group in weighted.values() for field in group]
    snippet = list(snippet) or [f for f in fields if f != title]
    if not words:
        return queryset.none()
    if uses_postgres(queryset):
        search = SearchQuery(words, search_type="websearch", config=CONFIG)
        vector = None
        for weight, group in weighted.items():
            for field in group:
                part = SearchVector(field, weight=weight, config=CONFIG)
                vector = part if vector is None else vector + part
        marks = {"start_sel": START, "stop_sel": STOP, "config": CONFIG}
        return (
            queryset.annotate(_search_document=vector)
            .filter(_search_document=search)
            .annotate(
                search_rank=SearchRank(F("_search_document"), search),
                title_marked=SearchHeadline(
                    unmarked(F(title)), search, highlight_all=True, **marks
                ),
                snippet_marked=SearchHeadline(
                    unmarked(_joined(snippet)), search, max_words=30, min_words=12, **marks
                ),
            )
            .order_by("-search_rank", "pk")
        )
    terms = search_terms(words)
    if not terms:
        return queryset.none()
    in_title = Q()
    for term in terms:
        anywhere = Q()
        for field in fields:
            anywhere |= Q(**{f"{field}__icontains": term})
        queryset = queryset.filter(anywhere)
        in_title |= Q(**{f"{title}__icontains": term})
    return queryset.annotate(
        search_rank=Case(
            When(in_title, then=Value(1)), default=Value(0), output_field=IntegerField()
        ),
        title_marked=F(title),
        snippet_marked=Coalesce(_joined(snippet), Value(""), output_field=CharField()),
    ).order_by("-search_rank", "pk")


def show_title(row, query: str) -> SafeString:
    """A matched row's title, escaped, matches in <mark> (either database)."""
    if uses_postgres_row(row):
        return highlighted(row.title_marked)
    return marked_terms(row.title_marked, search_terms(clean_query(query)))


def show_snippet(row, query: str) -> SafeString:
    """Words around a matched row's first match, escaped, matches in <mark>."""
    text = SEPARATOR.join(
        part for part in (row.snippet_marked or "").split(SEPARATOR.strip()) if part.strip()
    )
    text = " ".join(text.split())
    if uses_postgres_row(row):
        return highlighted(text)
    return marked_terms(text, search_terms(clean_query(query)), around=90)


def matched_hit(row, query: str, *, url: str, kind: str, context: str = "") -> SearchHit:
    """The hit of a row found by `text_matches`: its title and snippet with the matches
    marked."""
    return SearchHit(
        title=show_title(row, query),
        url=url,
        snippet=show_snippet(row, query),
        kind=kind,
        context=context,
    )


def uses_postgres_row(row) -> bool:
    """Whether the row was read from PostgreSQL (its highlights carry our markers)."""
    return connections[row._state.db or "default"].vendor == "postgresql"
