"""The panel the coach dashboard adds to a collaborative's page: a link to the teams
ranked by need, for the program's staff and the coaches of its teams (nothing is
summarised here, so the collaborative page stays as fast at 300 teams as without it)."""

from accounts.selectors import staff_program_ids
from core.panels import COLLABORATIVE_PAGE, register_panel

from .summary import coaches_in


def _dashboard_link(*, collaborative, user) -> dict | None:
    if collaborative.program_id in staff_program_ids(user=user):
        return {"whose": "every team"}
    if coaches_in(user=user, collaborative=collaborative):
        return {"whose": "the teams you coach"}
    return None


register_panel(
    COLLABORATIVE_PAGE,
    name="coach_dashboard",
    template="dashboards/coach_panel.html",
    context=_dashboard_link,
    order=15,
)
