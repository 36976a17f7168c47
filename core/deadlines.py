"""The one rule for "late", shared by every app that gives teams something to hand in.

Pure functions, no database: monthly measures (measures.selectors.reporting) and
gap-analysis surveys (assessments.selectors.deadlines) both decide "late" here, so a
team is late by the same rule wherever it is counted, listed or exported.

The rule, in words (the pages' "How this is counted" notes say the same):

* Late is about when the team **first** handed the work in, against the due date that
  applied to that team. Work handed in on time stays on time, even if a coach returns
  it for corrections afterwards and it is handed in again later.
* Work never handed in is late once its due date has passed (and not before).
* A team is never late for a due date that passed before it joined: its due date is
  then counted from the day it joined, with the usual time to answer (`grace`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from django.utils import timezone


def due_for_team(*, due: date, grace: timedelta, joined_on: date | None) -> date:
    """The due date that applies to a team: the schedule's `due`, or, for a team that
    joined too late to meet it, the day it joined plus the usual `grace` (the time the
    schedule gives everyone between the work opening and its due date).

    `joined_on` None means "there from the start" (nothing to move).
    """
    if joined_on is None:
        return due
    return max(due, joined_on + max(grace, timedelta(0)))


def is_late(*, due: date, first_handed_in_on: date | None, today: date) -> bool:
    """Late: first handed in after `due`, or never handed in and `due` has passed."""
    if first_handed_in_on is not None:
        return first_handed_in_on > due
    return due < today


def local_day(moment: datetime | None, tz: str | tzinfo | None) -> date | None:
    """The calendar day of `moment` in `tz` (a zone name or tzinfo), e.g. the day a team
    handed something in, in its collaborative's zone: a survey submitted at 9 p.m. in
    Honolulu on its due date is on time, although it is already the next day in UTC."""
    if moment is None:
        return None
    if isinstance(tz, str):
        tz = ZoneInfo(tz)
    return timezone.localtime(moment, tz).date()
