"""When a team joined its collaborative: the day staff approved its application.

Measures and surveys count what a team owes from this day (core.deadlines), and the
collaborative's pooled charts count a month's teams by it. One definition, in Python
(`team_joined_on`) and in SQL (`joined_by`), so that both always agree.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone

from core.deadlines import local_day

from ..models import Team, TeamStatus


def team_joined_on(team: Team, *, tz: str) -> date | None:
    """The day (in `tz`, the collaborative's zone) `team` joined: when staff approved it.

    None when it is not known: a team created active (seeded, imported or set up by
    staff) has no decision on record, and counts as having been there from the start.
    Only an active team's `decided_at` is its approval: a withdrawn or declined team's
    is the day it left or was turned away, so those get None too (they owe nothing new
    and are not counted among a collaborative's participating teams).
    """
    if team.status != TeamStatus.ACTIVE:
        return None
    return local_day(team.decided_at, tz)


def joined_by(day_expression, *, prefix: str = "team__") -> Q:
    """A filter: rows of participating teams that had joined on or before the date
    `day_expression` (a date, or an F() expression such as F("period__end")).

    The same rule as `team_joined_on`, in SQL. Evaluate the queryset inside
    `joined_by_zone(tz)`, so that the day of `decided_at` is taken in the
    collaborative's zone (Django's `__date` uses the current time zone).
    """
    return Q(**{f"{prefix}status": TeamStatus.ACTIVE}) & (
        Q(**{f"{prefix}decided_at__isnull": True})
        | Q(**{f"{prefix}decided_at__date__lte": day_expression})
    )


def joined_by_zone(tz: str):
    """The time zone to evaluate a `joined_by` filter in (a context manager)."""
    return timezone.override(ZoneInfo(tz))
