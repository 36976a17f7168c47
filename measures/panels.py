"""The measures panel of the team home: the latest charts with their signals."""

from core.panels import TEAM_HOME, register_panel

from .team_charts import team_home_cards


def _context(*, team, user) -> dict | None:
    cards = team_home_cards(team=team)
    return {"measure_cards": cards} if cards else None


register_panel(
    TEAM_HOME, name="measures", template="measures/_team_signals.html", context=_context, order=20
)
