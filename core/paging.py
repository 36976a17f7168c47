"""Pages of a long list (teams of a 300-team collaborative) with links that work without
JavaScript.

A page that lists every team grows with the collaborative: 300 rows of charts or table
cells cost most of a request. The views page such lists with `page_of` and include
templates/partials/_pager.html under them. A page number that is not a number or past
the end shows the first or the last page, never an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import HttpRequest

#: Rows per page of a team list.
PAGE_SIZE = 25


@dataclass(frozen=True)
class PageLink:
    label: str
    url: str | None  # None: the current page or an ellipsis
    current: bool = False


@dataclass(frozen=True)
class ListPage:
    """One page of `count` items: what the pager shows and links to."""

    items: list
    number: int
    pages: int
    count: int
    first_index: int
    last_index: int
    previous_url: str | None
    next_url: str | None
    links: list[PageLink]
    noun: str

    @property
    def has_other_pages(self) -> bool:
        return self.pages > 1


def _url(request: HttpRequest, param: str, number: int, anchor: str) -> str:
    query = request.GET.copy()
    if number == 1:
        query.pop(param, None)
    else:
        query[param] = str(number)
    encoded = query.urlencode()
    return f"{request.path}{'?' + encoded if encoded else ''}{'#' + anchor if anchor else ''}"


def page_of(
    request: HttpRequest,
    items: Sequence,
    *,
    size: int = PAGE_SIZE,
    param: str = "page",
    anchor: str = "",
    noun: str = "teams",
) -> ListPage:
    """The page of `items` that request.GET[param] asks for (the first by default), with
    links to the others that keep the rest of the query string (chart options, scale)."""
    paginator = Paginator(items, size, allow_empty_first_page=True)
    try:
        asked = max(1, int(request.GET.get(param, 1)))
    except ValueError:
        asked = 1
    page = paginator.get_page(asked)  # past the end: the last page
    links = []
    for number in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1):
        if number == Paginator.ELLIPSIS:
            links.append(PageLink(label=str(number), url=None))
        else:
            links.append(
                PageLink(
                    label=str(number),
                    url=_url(request, param, number, anchor),
                    current=number == page.number,
                )
            )
    return ListPage(
        items=list(page.object_list),
        number=page.number,
        pages=paginator.num_pages,
        count=paginator.count,
        first_index=page.start_index(),
        last_index=page.end_index(),
        previous_url=_url(request, param, page.number - 1, anchor) if page.has_previous() else None,
        next_url=_url(request, param, page.number + 1, anchor) if page.has_next() else None,
        links=links,
        noun=noun,
    )
