"""The results page of the top-bar search: /search/?q=words (&group=name for one group's
longer list, the "more" link)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.search import GROUP_LIMIT, MORE_LIMIT, clean_query, search_everything, search_providers


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    """Everything the person may see that matches, grouped: the library, change ideas,
    PDSA cycles, measures, learning sessions. Works without JavaScript (a GET form)."""
    query = clean_query(request.GET.get("q"))
    names = {provider.name: provider.label for provider in search_providers()}
    only = request.GET.get("group")
    only = only if only in names else None
    groups = search_everything(
        user=request.user, query=query, limit=MORE_LIMIT if only else GROUP_LIMIT, only=only
    )
    return render(
        request,
        "resources/search/results.html",
        {
            "query": query,
            "groups": groups,
            "only": only,
            "only_label": names.get(only, ""),
            "more_limit": MORE_LIMIT,
        },
    )
