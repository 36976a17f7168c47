"""The panel teams add to a collaborative's page: the teams the viewer may see."""

from accounts.selectors import is_program_staff
from core.panels import COLLABORATIVE_PAGE, register_panel

from .selectors import teams_visible_to

#: The collaborative page lists this many teams; the roster (staff) has them all, paged.
TEAMS_SHOWN = 25


def _collaborative_teams(*, collaborative, user) -> dict:
    """The first teams by name, and how many there are: a 300-row table made the
    collaborative page's time grow with the collaborative."""
    teams = teams_visible_to(user=user).filter(collaborative=collaborative).order_by("name")
    return {
        "teams": list(teams[:TEAMS_SHOWN]),
        "teams_count": teams.count(),
        "sees_roster": is_program_staff(user=user, program=collaborative.program),
    }


register_panel(
    COLLABORATIVE_PAGE,
    name="teams",
    template="teams/_collaborative_teams.html",
    context=_collaborative_teams,
    order=10,
)
