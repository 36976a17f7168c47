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

from django.db.models import Count, DateField, IntegerField, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Coalesce, TruncMonth

from accounts.models import User
from core import clock
from teams.models import Team

from .models import CommentReceipt, Cycle, Stage
from .selectors import STALLED_AFTER
from .services import COMMENT_MAX_LENGTH, comment_create

__all__ = [
    "COMMENT_MAX_LENGTH",
    "CycleActivity",
    "comment_create",
    "cycle_activity",
    "cycles_contributed",
    "latest_cycle_of",
    "monthly_cycle_activity",
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
    #: Comments on the team's live cycles the viewer has not read (when asked for).
    unread_comments: int = 0


def cycle_activity(
    *, team_ids: Iterable[int], now: datetime | None = None, unread_for: User | None = None
) -> dict[int, CycleActivity]:
    """{team id: CycleActivity} of live (not deleted) cycles, in one query whatever
    the number of teams. "Stalled" is the coach's review list's rule (STALLED_AFTER).
    With `unread_for`, each team's count of comments that person has not read rides
    in the same query (a correlated count: comments live only on a team's cycles, so a
    team with unread comments has a row here)."""
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
    if unread_for is not None:
        unread = (
            CommentReceipt.objects.filter(
                team_id=OuterRef("team_id"),
                user=unread_for,
                read_at__isnull=True,
                cycle__deleted_at__isnull=True,
            )
            .order_by()
            .values("team_id")
            .annotate(n=Count("id"))
            .values("n")
        )
        rows = rows.annotate(
            unread_comments=Coalesce(Subquery(unread, output_field=IntegerField()), 0)
        )
    return {row.pop("team_id"): CycleActivity(**row) for row in rows}


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
    its completed date. One query, counted in SQL, whatever the number of teams."""
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
        .annotate(
            month=Cast(TruncMonth("created_at", tzinfo=tz, output_field=DateField()), DateField())
        )
        .values("month")
        .annotate(n=Count("id"), which=Value(0))
        .order_by()
    )
    completed = (
        cycles.filter(completed_date__gte=first_month, completed_date__lt=after_last)
        .annotate(month=Cast(TruncMonth("completed_date"), DateField()))
        .values("month")
        .annotate(n=Count("id"), which=Value(1))
        .order_by()
    )
    # One round trip: both counts as one UNION ALL, `which` telling them apart.
    for row in started.union(completed, all=True):
        out.setdefault(row["month"], [0, 0])[row["which"]] = row["n"]
    return {month: (pair[0], pair[1]) for month, pair in out.items()}
