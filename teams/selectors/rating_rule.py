"""Who owes a monthly progress rating, for which month: the one rule that the team's
side (the lead's "what is due", the progress page) and the coach's side (the coach's
home, the progress page, the API) both ask, so that they never disagree.

A month's ratings are expected when all of these hold (otherwise `reason` says why
not, in words both sides show):

* the month has started (a month is rated once it has begun, and is due by its end);
* the team takes part: its application was approved (status active). Applications,
  declined and withdrawn teams owe nothing;
* the collaborative is running: started (not a draft, not recruiting) and not ended
  (not closed, not a community of practice);
* the month lies within the collaborative's dates, from the month it starts to the
  month it ends. Prework counts: the first levels of the IHI scale (1.0 team formed,
  1.5 planning) describe it, so a team is rated from the start, not only from the
  first action period; the month the collaborative ends is its last rated month;
* the team had joined by the month's end: months before its approval are not owed.

The month owed is the running one (rated during the month, due by its last day), as
the rating form, the team home and the coach's home have always counted it. When it
is expected, the team's lead owes the self-rating and the team's assigned coaches owe
the coach rating. Program staff may give a coach rating too (TeamAccess), but it is
the coach's to give, so it appears on no list of theirs.

`rating_expectation` is a pure function of the team and its collaborative (select them
together): no query, so a list of any length is checked for free. `rating_status`
adds what was given, in one query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from collaboratives.models import CollaborativeStatus
from core import clock
from core.clock import month_end, month_start

from ..models import ProgressRating, RatingKind, Team, TeamStatus
from .joining import team_joined_on
from .teams import TeamAccess

#: Why a team owes nothing, by team status (active teams owe, when the rest allows).
_STATUS_REASONS = {
    TeamStatus.APPLIED: "the team's application is not approved yet",
    TeamStatus.DECLINED: "the team's application was declined",
    TeamStatus.WITHDRAWN: "the team has withdrawn",
}

#: Why a team owes nothing, by collaborative status (active collaboratives may owe).
_COLLABORATIVE_REASONS = {
    CollaborativeStatus.DRAFT: "the collaborative has not started yet",
    CollaborativeStatus.RECRUITING: "the collaborative has not started yet",
    CollaborativeStatus.CLOSED: "the collaborative has ended",
    CollaborativeStatus.COMMUNITY: "the collaborative has ended",
}


@dataclass(frozen=True)
class RatingExpectation:
    """Whether a team's ratings of `month` are expected, and why not when they are not."""

    month: date
    expected: bool
    reason: str = ""

    @property
    def due(self) -> date | None:
        """The last day to rate the month (None when no rating is expected)."""
        return month_end(self.month) if self.expected else None


def _reason_not_expected(team: Team, month: date, today: date) -> str:
    if month > month_start(today):
        return f"{month:%B %Y} has not started yet"
    if team.status != TeamStatus.ACTIVE:
        return _STATUS_REASONS.get(team.status, "the team is not taking part")
    collaborative = team.collaborative
    if collaborative.status != CollaborativeStatus.ACTIVE:
        return _COLLABORATIVE_REASONS.get(collaborative.status, "the collaborative is not running")
    start, end = collaborative.start_date, collaborative.end_date
    if start and month_end(month) < start:
        return f"the collaborative starts on {start:%-d %B %Y}"
    if end and month > end:
        return f"the collaborative ended on {end:%-d %B %Y}"
    joined = team_joined_on(team, tz=collaborative.timezone)
    if joined is not None and month_end(month) < joined:
        return f"the team joined on {joined:%-d %B %Y}"
    return ""


def rating_expectation(
    *, team: Team, month: date | None = None, today: date | None = None
) -> RatingExpectation:
    """Are the team's ratings of `month` (default: the running month) expected?"""
    today = today or clock.today()
    month = month_start(month or today)
    reason = _reason_not_expected(team, month, today)
    return RatingExpectation(month=month, expected=not reason, reason=reason)


def rating_kinds_owed_by(access: TeamAccess) -> tuple[str, ...]:
    """The ratings a person owes a team when its month is expected: the lead the
    self-rating, the team's assigned coaches the coach rating."""
    kinds = []
    if access.is_assigned_coach:
        kinds.append(RatingKind.COACH)
    if access.can_self_rate:
        kinds.append(RatingKind.SELF)
    return tuple(kinds)


@dataclass(frozen=True)
class RatingStatus:
    """A month's ratings as one person sees them: expected or not, which kinds were
    given, and which ones this person still owes."""

    expectation: RatingExpectation
    given: frozenset[str]
    owed: tuple[str, ...]


def rating_status(
    *, team: Team, access: TeamAccess, month: date | None = None, today: date | None = None
) -> RatingStatus:
    """The month's (default: the running month's) ratings for this person, in one query."""
    expectation = rating_expectation(team=team, month=month, today=today)
    given = frozenset(
        ProgressRating.objects.filter(
            team=team, program_id=team.program_id, month=expectation.month
        ).values_list("kind", flat=True)
    )
    owed = ()
    if expectation.expected:
        owed = tuple(kind for kind in rating_kinds_owed_by(access) if kind not in given)
    return RatingStatus(expectation=expectation, given=given, owed=owed)
