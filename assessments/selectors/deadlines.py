"""When a team's survey is due, and whether it is late: the surveys' side of the one
"late" rule (core.deadlines), used by every page, list, export and reminder.

* A wave is due on its `due_on` for the teams that were there when it opened. A team
  that joined later has as long as everyone had (from the wave's opening to its due
  date), counted from the day it joined.
* Late is judged by the first submission against that due date. Staff who reopen a
  submitted survey give the team a new due date; the reopened survey is late only if
  it is submitted again after that date (or that date passes without it). The first
  submission keeps its own verdict ("on time" stays on time).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core import clock
from core.deadlines import due_for_team, is_late, local_day
from teams.models import Team
from teams.selectors import team_joined_on

from ..models import SurveyResponse, SurveyWave


@dataclass(frozen=True)
class SurveyDue:
    """A team's survey against its due date."""

    #: The due date that applies now: the team's, or the new one of a reopened survey.
    due_on: date
    #: The team's own due date for the first submission (the wave's, unless it joined late).
    first_due_on: date
    is_late: bool
    #: Whether the first submission was late (None: never submitted).
    first_was_late: bool | None
    #: Reopened by staff with a new due date.
    reopened: bool
    #: The wave's own due date (for everyone who was there when it opened).
    wave_due_on: date


def survey_due(
    *,
    wave: SurveyWave,
    team: Team,
    response: SurveyResponse | None,
    today: date | None = None,
) -> SurveyDue:
    """`team`'s survey of `wave` against its due date (no query: the wave's
    collaborative is read for its time zone, so select it with the wave)."""
    today = today or clock.today()
    tz = wave.collaborative.timezone
    first_due = due_for_team(
        due=wave.due_on, grace=wave.due_on - wave.opens_on, joined_on=team_joined_on(team, tz=tz)
    )
    first_on = local_day(response.first_handed_in_at, tz) if response is not None else None
    first_was_late = None if first_on is None else first_on > first_due
    if response is not None and response.reopen_due_on is not None:
        again = None  # submitted again since it was reopened: when
        reopened_at, submitted_at = response.reopened_at, response.submitted_at
        if response.is_submitted and submitted_at and reopened_at and submitted_at > reopened_at:
            again = local_day(submitted_at, tz)
        return SurveyDue(
            due_on=response.reopen_due_on,
            first_due_on=first_due,
            is_late=is_late(due=response.reopen_due_on, first_handed_in_on=again, today=today),
            first_was_late=first_was_late,
            reopened=True,
            wave_due_on=wave.due_on,
        )
    return SurveyDue(
        due_on=first_due,
        first_due_on=first_due,
        is_late=is_late(due=first_due, first_handed_in_on=first_on, today=today),
        first_was_late=first_was_late,
        reopened=False,
        wave_due_on=wave.due_on,
    )
