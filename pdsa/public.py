"""What other feature apps may use of pdsa. import-linter lets them import only this
module (pyproject.toml; docs/decisions/0007-layers.md).

certificates is the user: whole-collaborative credit (MOC Part 4) asks for PDSA
cycles the person contributed to. dashboards counts cycles started and completed per
month across a collaborative (the staff progress dashboard).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta, tzinfo

from django.db.models import Count, DateField, Q
from django.db.models.functions import TruncMonth

from accounts.models import User

from .models import Cycle

__all__ = ["cycles_contributed", "monthly_cycle_activity"]


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
