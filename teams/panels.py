"""Panels other features add to the team home (e.g. the latest charts with signals).

The team home knows nothing of measures or PDSA; each feature registers a panel
from its AppConfig.ready():

    register_home_panel(name="measures", template="measures/_team_signals.html",
                        context=lambda *, team, user: {...}, order=20)

A panel's context function receives the team (already checked visible) and the
user, and returns the template context; returning None hides the panel.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class HomePanel:
    name: str
    template: str
    context: Callable[..., dict | None]
    order: int = 50


_PANELS: dict[str, HomePanel] = {}


def register_home_panel(
    *, name: str, template: str, context: Callable[..., dict | None], order: int = 50
) -> None:
    """Add (or replace, by name) a panel of the team home."""
    _PANELS[name] = HomePanel(name=name, template=template, context=context, order=order)


def render_home_panels(*, team, request: HttpRequest) -> list[SafeString]:
    """Every registered panel rendered for this team and viewer, in order."""
    rendered = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.name)):
        context = panel.context(team=team, user=request.user)
        if context is None:
            continue
        # The template's own autoescaping protects user text; the result is safe HTML.
        html = render_to_string(panel.template, {"team": team, **context}, request=request)
        rendered.append(mark_safe(html))  # noqa: S308
    return rendered
