"""What other feature apps may use of pdsa. import-linter lets them import only this
module (pyproject.toml; docs/decisions/0007-layers.md).

certificates is a user: whole-collaborative credit (MOC Part 4) asks for PDSA
cycles the person contributed to. The coach dashboard reads each team's PDSA
activity, the viewer's unread comments, and comments on a team's latest cycle.

certificates is the user: whole-collaborative credit (MOC Part 4) asks for PDSA
cycles the person contributed to. dashboards counts cycles started and completed per
month across a collaborative (the staff progress dashboard).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from django.core.exceptions import ValidationError
from django.db.models import Count, DateField, Max, Q
from django.db.models.functions import TruncMonth

from accounts.models import User
from collaboratives.models import Collaborative
from core import clock
from teams.models import Team

from .models import ChangeIdea, CommentReceipt, Cycle, Stage
from .selectors import STALLED_AFTER, Ramp, order_ramp
from .services import COMMENT_MAX_LENGTH, comment_create
from .stages import RAW_NOTE_FIELDS

__all__ = [
    "COMMENT_MAX_LENGTH",
    "RAW_NOTE_FIELDS",
    "CycleActivity",
    "Ramp",
    "comment_create",
    "cycle_activity",
    "cycles_contributed",
    "latest_cycle_of",
    "monthly_cycle_activity",
    "shared_ramp_in_collaborative",
    "shared_ramps_of_collaborative",
    "unread_comment_counts",
]


def cycles_contributed(*, user: User, collaborative_ids: Iterable[int]) -> dict[int, int]:
    """{collaborative id: number of cycles} the person created or edited (a saved
    revision by them) in the teams of these collaboratives, deleted cycles excluded;
    one query. Collaboratives without any are absent."""
    rows = (
        Cycle.objects.filter(
            team__collaborative_id__in=list(collaborative_ids), deleted_at__isnull=True
        )
        .filter(Q(created_by=user) | Q(updated_by=user) | Q(revisions__revised_by=user))
        .values("team__collaborative_id")
        .annotate(n=Count("id", distinct=True))
        .order_by()
    )
    return {row["team__collaborative_id"]: row["n"] for row in rows}


@dataclass(frozen=True)
class CycleActivity:
    """A team's PDSA activity: cycles started and completed in the last 30 and 90
    days, unfinished cycles the team has not touched for 30 days (stalled), cycles
    waiting for a coach's feedback, and when the newest cycle was started."""

    started_30: int = 0
    completed_30: int = 0
    started_90: int = 0
    completed_90: int = 0
    stalled: int = 0
    waiting_feedback: int = 0
    total: int = 0
    last_started: datetime | None = None


def cycle_activity(
    *, team_ids: Iterable[int], now: datetime | None = None
) -> dict[int, CycleActivity]:
    """{team id: CycleActivity} of live (not deleted) cycles, in one query whatever
    the number of teams. "Stalled" is the coach's review list's rule (STALLED_AFTER)."""
    now = now or clock.now()
    today = clock.today()
    d30, d90 = now - timedelta(days=30), now - timedelta(days=90)
    c30, c90 = today - timedelta(days=30), today - timedelta(days=90)
    rows = (
        Cycle.objects.filter(team_id__in=list(team_ids), deleted_at__isnull=True)
        .values("team_id")
        .annotate(
            started_30=Count("id", filter=Q(created_at__gte=d30)),
            started_90=Count("id", filter=Q(created_at__gte=d90)),
            completed_30=Count("id", filter=Q(stage=Stage.COMPLETE, completed_date__gte=c30)),
            completed_90=Count("id", filter=Q(stage=Stage.COMPLETE, completed_date__gte=c90)),
            stalled=Count(
                "id", filter=~Q(stage=Stage.COMPLETE) & Q(updated_at__lt=now - STALLED_AFTER)
            ),
            waiting_feedback=Count("id", filter=Q(awaiting_feedback_since__isnull=False)),
            total=Count("id"),
            last_started=Max("created_at"),
        )
        .order_by()
    )
    return {row.pop("team_id"): CycleActivity(**row) for row in rows}


def unread_comment_counts(*, user: User, team_ids: Iterable[int]) -> dict[int, int]:
    """{team id: comments on the team's live cycles that `user` has not read}, one
    query; teams without any are absent."""
    rows = (
        CommentReceipt.objects.filter(
            team_id__in=list(team_ids),
            user=user,
            read_at__isnull=True,
            cycle__deleted_at__isnull=True,
        )
        .values("team_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["team_id"]: row["n"] for row in rows}


def latest_cycle_of(*, team: Team) -> Cycle | None:
    """The team's most recently started live cycle (None when it has none): where a
    comment from the dashboard goes."""
    return (
        Cycle.objects.filter(program_id=team.program_id, team=team, deleted_at__isnull=True)
        .select_related("team")
        .order_by("-created_at", "-pk")
        .first()
    )


def monthly_cycle_activity(
    *, program_id: int, team_ids: Sequence[int], first_month: date, last_month: date, tz: tzinfo
) -> dict[date, tuple[int, int]]:
    """{month: (cycles started, cycles completed)} of these teams' PDSA cycles, deleted
    cycles excluded, months first_month..last_month (months without any are absent).
    A cycle starts when it is logged (its creation, in the zone `tz`) and completes on
    its completed date. Two queries, counted in SQL, whatever the number of teams."""
    cycles = Cycle.objects.filter(
        program_id=program_id, team_id__in=list(team_ids), deleted_at__isnull=True
    )
    out: dict[date, list[int]] = {}
    after_last = (last_month.replace(day=28) + timedelta(days=4)).replace(day=1)
    started = (
        cycles.filter(
            created_at__gte=datetime.combine(first_month, time.min, tzinfo=tz),
            created_at__lt=datetime.combine(after_last, time.min, tzinfo=tz),
        )
        .annotate(month=TruncMonth("created_at", tzinfo=tz, output_field=DateField()))
        .values("month")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in started:
        out.setdefault(row["month"], [0, 0])[0] = row["n"]
    completed = (
        cycles.filter(completed_date__gte=first_month, completed_date__lt=after_last)
        .annotate(month=TruncMonth("completed_date"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in completed:
        out.setdefault(row["month"], [0, 0])[1] = row["n"]
    return {month: (pair[0], pair[1]) for month, pair in out.items()}


# resources (communities of practice) is a user: a community's members, who may no longer
# be on any team, read the ramps its teams shared without a team page of their own.


def _shared_ideas(collaborative: Collaborative):
    return (
        ChangeIdea.objects.filter(
            program_id=collaborative.program_id,
            team__collaborative_id=collaborative.pk,
            shared_at__isnull=False,
        )
        .select_related("team", "driver")
        .order_by("-shared_at", "-pk")
    )


def _ramps(ideas: list[ChangeIdea]) -> list[Ramp]:
    by_idea: dict[int, list[Cycle]] = {idea.pk: [] for idea in ideas}
    if ideas:
        cycles = Cycle.objects.filter(
            program_id=ideas[0].program_id,
            change_idea_id__in=list(by_idea),
            deleted_at__isnull=True,
        ).select_related("builds_on")
        for cycle in cycles:
            by_idea[cycle.change_idea_id].append(cycle)
    return [Ramp(idea, order_ramp(by_idea[idea.pk])) for idea in ideas]


def shared_ramps_of_collaborative(*, collaborative: Collaborative) -> list[Ramp]:
    """The ramps the collaborative's teams shared, newest share first, each with its
    cycles in ramp order (so its decisions), in two queries. Unshared ramps never."""
    return _ramps(list(_shared_ideas(collaborative)))


def shared_ramp_in_collaborative(*, collaborative: Collaborative, change_idea_id) -> Ramp | None:
    """One shared ramp of the collaborative's teams (None if there is no such shared
    ramp there); show its raw notes only when `change_idea.share_notes`."""
    try:
        idea = _shared_ideas(collaborative).filter(public_id=change_idea_id).first()
    except (ValidationError, ValueError):
        return None
    return _ramps([idea])[0] if idea else None
