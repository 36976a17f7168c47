"""Reporting periods and where each team stands in them: submissions and their status.

"Not started" is the absence of a Submission row; "late" is computed (core.deadlines),
never stored: from when the team first handed the period in, its due date and today.
The status grid of a collaborative reads every team's submissions in one query,
whatever the number of teams.
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
from core.deadlines import due_for_team, is_late, local_day
from core.memo import memoized, remembered
from teams.models import Team
from teams.selectors import team_joined_on, teams_coached_by

from ..models import HANDED_IN, ReportingPeriod, Submission, SubmissionStatus
from ..periods import has_ended, has_started, not_ended_message, started_periods


def periods_of(
    *, collaborative: Collaborative, frequency: str | None = None
) -> list[ReportingPeriod]:
    """The collaborative's periods, oldest first (read once per page inside a
    core.memo.page_memo: the team home's parts each need them)."""

    def read() -> list[ReportingPeriod]:
        periods = ReportingPeriod.objects.filter(
            program_id=collaborative.program_id, collaborative=collaborative
        )
        if frequency:
            periods = periods.filter(frequency=frequency)
        return list(periods.order_by("start", "frequency"))

    return list(memoized(("measures.periods_of", collaborative.pk, frequency), read))


def periods_of_teams(*, teams: Sequence[Team]) -> dict[int, list[ReportingPeriod]]:
    """{collaborative id: its periods, oldest first} for the collaboratives of `teams`,
    in one query however many collaboratives. Inside a page_memo each collaborative's
    list is remembered as `periods_of` remembers it, and only the collaboratives not yet
    remembered are read, so that the dashboards' data statuses and key-measure series
    read the periods once between them."""
    collaborative_ids = sorted({t.collaborative_id for t in teams})
    wanted = [pk for pk in collaborative_ids if not remembered(_periods_key(pk))]
    found: dict[int, list[ReportingPeriod]] = {pk: [] for pk in wanted}
    if wanted:
        for period in ReportingPeriod.objects.filter(
            program_id__in={t.program_id for t in teams}, collaborative_id__in=wanted
        ).order_by("start", "frequency"):
            found[period.collaborative_id].append(period)
    return {
        pk: list(memoized(_periods_key(pk), lambda pk=pk: found[pk])) for pk in collaborative_ids
    }


def _periods_key(collaborative_id: int) -> tuple:
    return ("measures.periods_of", collaborative_id, None)


def period_get(*, collaborative: Collaborative, period_id: UUID | str) -> ReportingPeriod:
    return ReportingPeriod.objects.get(
        program_id=collaborative.program_id, collaborative=collaborative, public_id=period_id
    )


def period_owed(period: ReportingPeriod, joined_on: date | None) -> bool:
    """Whether a team that joined on `joined_on` owes `period`, and by when: the one rule
    of the measures' "late" (see `PeriodStatus.is_late` and core.deadlines).

    * A team owes the periods that end on or after the day it joined (staff approved
      it; None, not recorded, means from the start). Periods that ended before it
      joined are not owed: never late, never missing, not counted in "late or missing"
      or in "x of y teams"; the team may still enter them as its baseline.
    * The due date is the period's own: a team that joins during a period has the
      usual time between the period's end and its due date, like every team
      (`core.deadlines.due_for_team` with that grace never moves it).
    * Late is about the first hand-in: handed in after the due date, or not handed in
      and the due date has passed. A coach returning the data does not make a period
      that was handed in on time late.
    """
    return joined_on is None or period.end >= joined_on


@dataclass
class PeriodStatus:
    """A period as the team (or its coach) sees it: status in words, late or not.

    `joined_on` is the day the team joined (None: from the start) and `tz` its
    collaborative's zone, in which the day of a hand-in is counted.
    """

    period: ReportingPeriod
    submission: Submission | None
    today: date
    joined_on: date | None = None
    tz: str = "UTC"

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
    def has_ended(self) -> bool:
        """Ended, so it can be submitted (measures.periods.has_ended)."""
        return has_ended(self.period, self.today)

    @property
    def submit_rule(self) -> str:
        """Why it cannot be submitted yet, and from when ("" once it has ended)."""
        return "" if self.has_ended else not_ended_message(self.period)

    @property
    def is_owed(self) -> bool:
        """The team owes this period (it had joined by its end): see `period_owed`."""
        return period_owed(self.period, self.joined_on)

    @property
    def due_date(self) -> date:
        """The due date that applies to this team (see `period_owed`)."""
        period = self.period
        return due_for_team(
            due=period.due_date, grace=period.due_date - period.end, joined_on=self.joined_on
        )

    @property
    def first_handed_in_on(self) -> date | None:
        """The day (in the collaborative's zone) the team first handed the period in."""
        if self.submission is None:
            return None
        return local_day(self.submission.first_handed_in_at, self.tz)

    @property
    def is_late(self) -> bool:
        """First handed in after the due date, or never and the due date has passed;
        never for a period the team does not owe."""
        return self.is_owed and is_late(
            due=self.due_date, first_handed_in_on=self.first_handed_in_on, today=self.today
        )

    @property
    def is_overdue(self) -> bool:
        """Late and waiting for the team: not handed in (or returned to it)."""
        return self.is_late and not self.is_handed_in

    @property
    def tag(self) -> str:
        """The status tag's colour class: late beats the status."""
        return "late" if self.is_late else self.status


def team_period_statuses(
    *, team: Team, today: date | None = None, frequencies: Sequence[str] | None = None
) -> list[PeriodStatus]:
    """Every period of the team's collaborative with the team's status (two queries)."""
    today = today or clock.today()
    collaborative = team.collaborative
    periods = periods_of(collaborative=collaborative)
    if frequencies is not None:
        periods = [p for p in periods if p.frequency in frequencies]
    submissions = {
        s.period_id: s
        for s in Submission.objects.filter(program_id=team.program_id, team=team).select_related(
            "submitted_by", "reviewed_by"
        )
    }
    tz = collaborative.timezone
    joined_on = team_joined_on(team, tz=tz)
    return [PeriodStatus(p, submissions.get(p.pk), today, joined_on, tz) for p in periods]


def oldest_open_period(statuses: Sequence[PeriodStatus]) -> PeriodStatus | None:
    """Where entry opens: the oldest started period the team owes and has not handed in
    (periods from before the team joined stay open for its baseline, but are not asked
    for)."""
    for status in statuses:
        if status.is_open and status.is_owed and not status.is_handed_in:
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
        """Periods late or missing: handed in late, or not handed in by the due date.
        Periods a team does not owe (from before it joined) are not counted."""
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
            # Only the periods shown: the 6 latest of 36 read a sixth of the rows.
            period__in=[p.pk for p in periods],
        )
    }
    tz = collaborative.timezone
    rows = []
    for team in teams:
        joined_on = team_joined_on(team, tz=tz)
        rows.append(
            (
                team,
                [
                    PeriodStatus(p, submissions.get((team.pk, p.pk)), today, joined_on, tz)
                    for p in periods
                ],
            )
        )
    return StatusGrid(periods=periods, rows=rows)
