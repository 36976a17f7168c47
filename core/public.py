"""Marking views that anyone may read without an account.

The isolation guard (tests/test_isolation.py) requires every view to refuse
another tenant's objects; views marked public are checked differently (they
must not reveal private records). Marking is explicit so that review sees it.
"""

from collections.abc import Callable
from typing import TypeVar

F = TypeVar("F", bound=Callable)


def public_view(view: F) -> F:
    """Declare a view public: it serves anonymous visitors by design."""
    view.is_public_view = True  # type: ignore[attr-defined]
    return view
