"""What the sustain part of resources wires up when the app is ready: panels on other
apps' pages, search providers, signal receivers.

- On the collaborative page: the way to the change-package heat map and to the
  storyboards, for the program's staff and the collaborative's coaches.
- On the team's home: the way to its storyboard (the lead writes the lessons there).
- On a team's change idea (its ramp page): "Who else tested this?", the ramps other
  teams of the collaborative shared on the same change-package item.
- On a community of practice's home: every team's storyboard, which its members keep
  after the collaborative closed (resources.access).
"""

from django.urls import reverse

from accounts.selectors import is_program_staff
from core.panels import (
    CHANGE_IDEA_PAGE,
    COLLABORATIVE_PAGE,
    COMMUNITY_PAGE,
    TEAM_HOME,
    register_panel,
)
from pdsa.public import shared_ramps_on_item

from .heatmap import may_see_heat_map
from .storyboard_batch import batch_teams


def _sustain_panel(*, collaborative, user) -> dict | None:
    if not may_see_heat_map(user=user, collaborative=collaborative):
        return None
    return {
        "heat_map_url": reverse(
            "resources:heat_map", kwargs={"collaborative_id": collaborative.public_id}
        ),
        "storyboards_url": reverse(
            "resources:storyboards", kwargs={"collaborative_id": collaborative.public_id}
        ),
        "is_staff": is_program_staff(user=user, program=collaborative.program),
    }


register_panel(
    COLLABORATIVE_PAGE,
    name="resources-sustain",
    template="resources/sustain/_collaborative_panel.html",
    context=_sustain_panel,
    order=30,
)


def _who_else(*, team, idea, access, user) -> dict | None:
    """For the team's people and reviewers (the page's own audience): the other teams'
    shared ramps on the item this idea was seeded from; hidden for an idea that did not
    come from the change package."""
    if idea.source_item_id is None:
        return None
    return {
        "others": [
            {
                "shared": shared,
                "url": reverse(
                    "pdsa:shared_ramp",
                    kwargs={"team_id": team.public_id, "change_idea_id": shared.idea.public_id},
                ),
            }
            for shared in shared_ramps_on_item(team=team, idea=idea)
        ],
        "item_title": idea.source_item.title,
    }


register_panel(
    CHANGE_IDEA_PAGE,
    name="resources-who-else",
    template="resources/sustain/_who_else.html",
    context=_who_else,
    order=20,
)


def _storyboard_link(*, team, user) -> dict:
    """On the team's home (already visible to the viewer): the way to its storyboard."""
    return {"storyboard_url": reverse("resources:storyboard", kwargs={"team_id": team.public_id})}


register_panel(
    TEAM_HOME,
    name="resources-storyboard",
    template="resources/sustain/_team_storyboard_link.html",
    context=_storyboard_link,
    order=80,
)


def _community_storyboards(*, collaborative, user) -> dict | None:
    """The community page's members (the page has checked them) reach each team's
    storyboard: the closing congress's record of what the teams learned."""
    teams = [
        {
            "name": team.name,
            "url": reverse("resources:storyboard", kwargs={"team_id": team.public_id}),
        }
        for team in batch_teams(collaborative=collaborative)
    ]
    return {"storyboards": teams} if teams else None


register_panel(
    COMMUNITY_PAGE,
    name="resources-storyboards",
    template="resources/sustain/_community_storyboards.html",
    context=_community_storyboards,
    order=40,
)
