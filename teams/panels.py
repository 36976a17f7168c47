"""The panel teams add to a collaborative's page: the teams the viewer may see."""

from core.panels import COLLABORATIVE_PAGE, register_panel

from .selectors import teams_visible_to


def _collaborative_teams(*, collaborative, user) -> dict:
    teams = teams_visible_to(user=user).filter(collaborative=collaborative).order_by("name")
    return {"teams": teams}


register_panel(
    COLLABORATIVE_PAGE,
    name="teams",
    template="teams/_collaborative_teams.html",
    context=_collaborative_teams,
    order=10,
)
