"""A memo for the length of one page: reads that several parts of a page make alike.

The team home is assembled from independent parts (what is due, the measures panel, ...)
that each read the team's measure set and the collaborative's periods: without a memo
the page read them twice. A view opens the memo with `with page_memo():` around its
reads; `memoized(key, compute)` then computes each key once. Outside a memo it simply
computes, so a selector that uses it behaves as before everywhere else, including after
a write in the same request. Use it only for reads on pages that write nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_memo: ContextVar[dict | None] = ContextVar("page_memo", default=None)


@contextmanager
def page_memo() -> Iterator[None]:
    """Remember `memoized` reads until the block ends."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def memoized(key: Hashable, compute: Callable[[], T]) -> T:
    """compute(), once per key inside a `page_memo` block; every time outside one."""
    store = _memo.get()
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    return store[key]


def remembered(key: Hashable) -> bool:
    """Whether a `page_memo` is open and already holds `key` (so that a reader of many
    keys at once can read only the ones it lacks, in one query)."""
    store = _memo.get()
    return store is not None and key in store
