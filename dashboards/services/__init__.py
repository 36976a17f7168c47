"""Writes the dashboards own: the nudge e-mail (the other actions reuse the services
of teams, pdsa and measures)."""

from .nudges import NUDGE_MESSAGE_MAX_LENGTH, NudgeLimited, team_nudge_send

__all__ = ["NUDGE_MESSAGE_MAX_LENGTH", "NudgeLimited", "team_nudge_send"]
