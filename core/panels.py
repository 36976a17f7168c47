"""Panels that features add to another app's page, without that app importing them.

A page that others may extend names itself (a `Page` constant below) and renders
`render_panels(page, request=..., **subject)` where its template wants them; a
feature registers a panel from its AppConfig.ready():

    register_panel(TEAM_HOME, name="measures", template="measures/_team_signals.html",
                   context=lambda *, team, user: {...}, order=20)

A panel's context function receives the page's subject (already checked visible,
e.g. `team=` or `collaborative=`) and the user, and returns the template context;
returning None hides the panel. The template's autoescaping protects user text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

#: The team's home page (teams); the subject is `team`.
TEAM_HOME = "team_home"
#: The "Aim and goals" box of the team's home (teams), filled by the feature that keeps
#: the team's aim; the subjects are `team` and `access` (the viewer's TeamAccess). With
#: no panel, the box shows the goals from the team's application.
TEAM_AIM = "team_aim"
#: A collaborative's page (collaboratives); the subject is `collaborative`.
COLLABORATIVE_PAGE = "collaborative_page"
#: One measure of a team (measures); the subjects are `team` and `measure`.
TEAM_MEASURE_PAGE = "team_measure_page"
#: One measure across a collaborative (measures); the subjects are `collaborative` and
#: `measure`.
COLLABORATIVE_MEASURE_PAGE = "collaborative_measure_page"
#: A team's change idea and its ramp (pdsa); the subjects are `team`, `idea` and
#: `access` (the viewer's TeamAccess).
CHANGE_IDEA_PAGE = "change_idea_page"
#: One item of a collaborative's change package, as staff edit it (pdsa); the subjects
#: are `collaborative` and `item`.
PACKAGE_ITEM_PAGE = "package_item_page"
#: A learning-session event (learning_sessions); the subject is `event`.
EVENT_PAGE = "event_page"
#: One resource of the library (resources); the subject is `resource`.
RESOURCE_PAGE = "resource_page"
#: A community of practice's home (resources), for its members and staff; the subject
#: is `collaborative` (in its community phase). Features add their shared work here
#: (e.g. links to the teams' storyboards).
COMMUNITY_PAGE = "community_page"


@dataclass(frozen=True)
class Panel:
    page: str
    name: str
    template: str
    context: Callable[..., dict | None]
    order: int = 50


_PANELS: dict[tuple[str, str], Panel] = {}


def register_panel(
    page: str, *, name: str, template: str, context: Callable[..., dict | None], order: int = 50
) -> None:
    """Add (or replace, by page and name) a panel of `page`."""
    _PANELS[(page, name)] = Panel(
        page=page, name=name, template=template, context=context, order=order
    )


def panels_of(page: str) -> list[Panel]:
    """The panels registered for `page`, in order."""
    return sorted(
        (panel for panel in _PANELS.values() if panel.page == page),
        key=lambda p: (p.order, p.name),
    )


def render_panels(page: str, *, request: HttpRequest, **subject) -> list[SafeString]:
    """Every panel of `page` rendered for this subject and viewer, in order."""
    rendered = []
    for panel in panels_of(page):
        context = panel.context(user=request.user, **subject)
        if context is None:
            continue
        html = render_to_string(panel.template, {**subject, **context}, request=request)
        rendered.append(mark_safe(html))  # noqa: S308 - rendered by an autoescaping template
    return rendered
