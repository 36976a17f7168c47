"""The "Credit ready to claim" panel of the team home: the viewer's own credit in the
team's collaborative that they earned and have not claimed yet (nothing shows when
there is none). It reads the viewer's standing only, never anyone else's."""

from core.panels import TEAM_HOME, register_panel

from .eligibility import offers_for, standings_for


def _context(*, team, user) -> dict | None:
    offers = list(offers_for(user=user).filter(collaborative_id=team.collaborative_id))
    if not offers:
        return None
    ready = [s for s in standings_for(user=user, offers=offers) if s.can_claim]
    return {"credit_ready": ready} if ready else None


register_panel(
    TEAM_HOME, name="credit", template="certificates/_credit_ready.html", context=_context, order=15
)
