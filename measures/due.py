""" "What is due next" on the team home: the oldest period the team has not submitted.

Registered with teams.due when the app is ready. The item is for the team's members
who enter data (the sponsor reads): it links to the period's grid, with the team's due
date, so that late periods show as late. Periods from before the team joined are not
asked for, and a period that has not ended is not asked to be submitted yet.
"""

from collections.abc import Iterable

from django.urls import reverse

from accounts.models import User
from core import clock
from teams.due import DueItem, register_due_provider
from teams.models import Team, TeamStatus
from teams.selectors import TeamAccess, team_joined_on

from .models import Submission
from .selectors import PeriodStatus, oldest_open_period, periods_of, team_measure_rows


@register_due_provider
def data_period_due(*, team: Team, user: User, access: TeamAccess) -> Iterable[DueItem]:
    """One item: the oldest started period the team owes and has not handed in (four
    queries)."""
    if not access.does_team_work or team.status != TeamStatus.ACTIVE:
        return []
    if team.collaborative.is_read_only:
        return []
    frequencies = {row.measure.frequency for row in team_measure_rows(team=team)}
    if not frequencies:
        return []
    status = oldest_open_period(_period_statuses(team, frequencies))
    if status is None:
        return []
    period = status.period
    url = reverse(
        "measures:period", kwargs={"team_id": team.public_id, "period_id": period.public_id}
    )
    detail = "Enter your measures and this month's story, then submit them to your coach."
    if not status.has_ended:
        # Never ask for a hand-in the service would refuse: say when it opens instead.
        detail = f"Enter values as the period goes and save them as a draft. {status.submit_rule}"
    elif status.status == "returned":
        detail = "Your coach returned it with a comment: correct it and submit it again."
    elif status.status == "draft":
        detail = "A draft is saved: finish it and submit it to your coach."
    return [
        DueItem(title=f"Enter {period.label}'s data", due=status.due_date, url=url, detail=detail)
    ]


def _period_statuses(team: Team, frequencies: set[str]) -> list[PeriodStatus]:
    """measures.selectors.team_period_statuses for the item's needs: each submission's
    status only (not its narrative or who submitted and reviewed it, which that selector
    reads for the pages that show them), so the team home does not build two users per
    period it has handed in."""
    collaborative = team.collaborative
    periods = [p for p in periods_of(collaborative=collaborative) if p.frequency in frequencies]
    submissions = {
        s.period_id: s
        for s in Submission.objects.filter(program_id=team.program_id, team=team).only(
            "id", "period_id", "status"
        )
    }
    tz = collaborative.timezone
    joined_on = team_joined_on(team, tz=tz)
    today = clock.today()
    return [PeriodStatus(p, submissions.get(p.pk), today, joined_on, tz) for p in periods]
