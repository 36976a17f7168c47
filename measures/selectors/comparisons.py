"""Teams compared with each other: the funnel plot's inputs and who may be named.

Aggregates cover every participating team (measures.selectors.pooled); the funnel names
only the viewer's own teams and those that chose to be named (BenchmarkConsent), and
calls the others by number.
"""

from __future__ import annotations

from typing import NamedTuple
from uuid import UUID

from django.db.models import FloatField
from django.db.models.functions import Cast

from collaboratives.models import Collaborative
from teams.models import Team
from teams.selectors import joined_by, joined_by_zone

from ..models import BenchmarkConsent, DataPoint, Measure, ReportingPeriod
from .pooled import counted_from


def benchmark_named_team_ids(*, collaborative: Collaborative) -> set[int]:
    """Teams of the collaborative that chose to be named to other teams."""
    return set(
        BenchmarkConsent.objects.filter(
            program_id=collaborative.program_id,
            team__collaborative=collaborative,
            show_name=True,
        ).values_list("team_id", flat=True)
    )


def benchmark_consent_of(*, team: Team) -> bool:
    return BenchmarkConsent.objects.filter(
        program_id=team.program_id, team=team, show_name=True
    ).exists()


class FunnelTeam(NamedTuple):
    """What the funnel shows of a team: its id (to name or highlight it) and name."""

    pk: int
    name: str
    public_id: UUID


def funnel_inputs(
    *, collaborative: Collaborative, measure: Measure, period: ReportingPeriod
) -> list[tuple[FunnelTeam, float, float]]:
    """The numerator and denominator of `measure` in `period` of every team the period
    counts (measures.selectors.pooled: participating teams that had joined by then),
    in one query. Choose `period` among `pooled_periods`: the funnel compares only
    periods the pooled chart uses. Plain rows, not model instances: building 300 data
    points and teams took longer than the query."""
    with joined_by_zone(collaborative.timezone):
        rows = list(
            DataPoint.objects.filter(
                program_id=collaborative.program_id,
                collaborative=collaborative,
                measure=measure,
                period=period,
                deleted_at__isnull=True,
                denominator__isnull=False,
                numerator__isnull=False,
            )
            .filter(joined_by(counted_from(period, collaborative)))
            .order_by("denominator", "team_id")
            .values_list(
                "team_id",
                "team__name",
                "team__public_id",
                Cast("numerator", FloatField()),
                Cast("denominator", FloatField()),
            )
        )
    return [(FunnelTeam(pk, name, public_id), num, den) for pk, name, public_id, num, den in rows]
