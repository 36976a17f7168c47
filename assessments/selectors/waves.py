"""Waves: a collaborative's baseline, midpoint and follow-up surveys, and their state.

Everyone who sees the collaborative sees its waves; the collaborative-level report is
for program staff and the program's coaches.
"""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from accounts.models import User
from accounts.selectors import staff_or_coach_program_ids
from collaboratives.models import Collaborative
from collaboratives.selectors import collaboratives_visible_to
from core import clock

from ..models import WAVE_ORDER, SurveyWave


def waves_visible_to(*, user: User) -> QuerySet[SurveyWave]:
    """Waves of the collaboratives the user works in."""
    return SurveyWave.objects.filter(
        collaborative__in=collaboratives_visible_to(user=user).values("pk")
    ).select_related("template", "collaborative", "collaborative__program")


def waves_of(*, collaborative: Collaborative) -> list[SurveyWave]:
    """A collaborative's waves in order: baseline, midpoint, follow-up."""
    waves = SurveyWave.objects.filter(
        program_id=collaborative.program_id, collaborative=collaborative
    ).select_related("template", "collaborative")
    return sorted(waves, key=lambda w: (WAVE_ORDER.get(w.kind, 9), w.opens_on))


def wave_state(
    wave: SurveyWave, today: date | None = None, *, due_on: date | None = None
) -> tuple[str, str]:
    """(status value, words) of a wave on `today`, for a status tag; `due_on` is one
    team's own due date when it differs from the wave's (assessments.selectors.deadlines)."""
    today = today or clock.today()
    due_on = due_on or wave.due_on
    if wave.collaborative.is_read_only:
        return "closed", "Closed"
    if today < wave.opens_on:
        return "waiting", f"Opens {wave.opens_on:%-d %B %Y}"
    if today > due_on:
        return "past_due", f"Was due {due_on:%-d %B %Y}"
    return "active", "Open"


def can_see_wave_report(*, user: User, collaborative: Collaborative) -> bool:
    """Collaborative-level reports are for program staff and the program's coaches."""
    return collaborative.program_id in staff_or_coach_program_ids(user=user)
