"""Reporting periods and where each team stands in them: submissions and their status.

"Not started" is the absence of a Submission row; "late" is computed from the due
date and today, never stored. The status grid of a collaborative reads every team's
submissions in one query, whatever the number of teams.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.db.models import Q, QuerySet

from accounts.models import User
from accounts.selectors import staff_program_ids
from collaboratives.models import Collaborative
from core import clock
from teams.models import Team
from teams.selectors import teams_coached_by

from ..models import HANDED_IN, ReportingPeriod, Submission, SubmissionStatus
from ..periods import has_started, started_periods


def periods_of(
    *, collaborative: Collaborative, frequency: str | None = None
) -> list[ReportingPeriod]:
    periods = ReportingPeriod.objects.filter(
        program_id=collaborative.program_id, collaborative=collaborative
    )
    if frequency:
        periods = periods.filter(frequency=frequency)
    return list(periods.order_by("start", "frequency"))


def period_get(*, collaborative: Collaborative, period_id: UUID | str) -> ReportingPeriod:
    return ReportingPeriod.objects.get(
        program_id=collaborative.program_id, collaborative=collaborative, public_id=period_id
    )


@dataclass
class PeriodStatus:
    """A period as the team (or its coach) sees it: status in words, late or not."""

    period: ReportingPeriod
    submission: Submission | None
    today: date

    @property
    def status(self) -> str:
        return self.submission.status if self.submission else SubmissionStatus.NOT_STARTED

    @property
    def status_label(self) -> str:
        return SubmissionStatus(self.status).label

    @property
    def is_handed_in(self) -> bool:
        return self.status in HANDED_IN

    @property
    def is_open(self) -> bool:
        """Started, so data can be entered."""
        return has_started(self.period, self.today)

    @property
    def is_late(self) -> bool:
        return not self.is_handed_in and self.period.due_date < self.today

    @property
    def tag(self) -> str:
        """The status tag's colour class: late beats the status."""
        return "late" if self.is_late else self.status


def team_period_statuses(
    *, team: Team, today: date | None = None, frequencies: Sequence[str] | None = None
) -> list[PeriodStatus]:
    """Every period of the team's collaborative with the team's status (two queries)."""
    today = today or clock.today()
    periods = periods_of(collaborative=team.collaborative)
    if frequencies is not None:
        periods = [p for p in periods if p.frequency in frequencies]
    submissions = {
        s.period_id: s
        for s in Submission.objects.filter(program_id=team.program_id, team=team).select_related(
            "submitted_by", "reviewed_by"
        )
    }
    return [PeriodStatus(p, submissions.get(p.pk), today) for p in periods]


def oldest_open_period(statuses: Sequence[PeriodStatus]) -> PeriodStatus | None:
    """Where entry opens: the oldest started period the team has not handed in."""
    for status in statuses:
        if status.is_open and not status.is_handed_in:
            return status
    return None


def previous_period(*, period: ReportingPeriod) -> ReportingPeriod | None:
    """The period of the same frequency just before `period`."""
    return (
        ReportingPeriod.objects.filter(
            program_id=period.program_id,
            collaborative_id=period.collaborative_id,
            frequency=period.frequency,
            start__lt=period.start,
        )
        .order_by("-start")
        .first()
    )


def submission_of(*, team: Team, period: ReportingPeriod) -> Submission | None:
    return (
        Submission.objects.filter(program_id=team.program_id, team=team, period=period)
        .select_related("submitted_by", "reviewed_by")
        .first()
    )


def submissions_of_team(*, team: Team) -> QuerySet[Submission]:
    return (
        Submission.objects.filter(program_id=team.program_id, team=team)
        .select_related("period", "submitted_by", "reviewed_by", "team")
        .order_by("period__start")
    )


def reviews_waiting_for(*, user: User) -> list[Submission]:
    """Submitted periods waiting for review: of the coach's teams, and for staff of every
    team of their programs."""
    staff_ids = staff_program_ids(user=user)
    condition = Q(team__in=teams_coached_by(user=user).values("pk"))
    if staff_ids:
        condition |= Q(program_id__in=staff_ids)
    return list(
        Submission.objects.filter(condition, status=SubmissionStatus.SUBMITTED)
        .select_related("team", "team__collaborative", "period", "submitted_by")
        .order_by("submitted_at")[:200]
    )


@dataclass
class StatusGrid:
    """Teams x periods of a collaborative, with each cell's status."""

    periods: list[ReportingPeriod]
    rows: list[tuple[Team, list[PeriodStatus]]]

    @property
    def late_count(self) -> int:
        return sum(1 for _, cells in self.rows for cell in cells if cell.is_late)


def submission_grid(
    *,
    collaborative: Collaborative,
    teams: Sequence[Team],
    today: date | None = None,
    newest_first: bool = False,
    limit: int | None = None,
) -> StatusGrid:
    """Submission status of `teams` for every started period, or the `limit` latest
    (two queries)."""
    today = today or clock.today()
    periods = started_periods(periods_of(collaborative=collaborative), today)
    if limit is not None:
        periods = periods[-limit:]
    if newest_first:
        periods = list(reversed(periods))
    submissions = {
        (s.team_id, s.period_id): s
        for s in Submission.objects.filter(
            program_id=collaborative.program_id,
            collaborative=collaborative,
            team__in=[t.pk for t in teams],
        )
    }
    rows = [
        (team, [PeriodStatus(p, submissions.get((team.pk, p.pk)), today) for p in periods])
        for team in teams
    ]
    return StatusGrid(periods=periods, rows=rows)
