"""Teams compared with each other: the funnel plot's inputs and who may be named.

Aggregates cover every participating team (measures.selectors.pooled); the funnel names
only the viewer's own teams and those that chose to be named (BenchmarkConsent), and
calls the others by number.
"""

from __future__ import annotations

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


def funnel_inputs(
    *, collaborative: Collaborative, measure: Measure, period: ReportingPeriod
) -> list[tuple[Team, float, float]]:
    """The numerator and denominator of `measure` in `period` of every team the period
    counts (measures.selectors.pooled: participating teams that had joined by then),
    in one query. Choose `period` among `pooled_periods`: the funnel compares only
    periods the pooled chart uses."""
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
            .select_related("team")
            # Only what the funnel shows: 300 whole teams took longer than the query.
            .only("numerator", "denominator", "team__id", "team__name", "team__public_id")
            .order_by("denominator", "team_id")
        )
    return [(p.team, float(p.numerator), float(p.denominator)) for p in rows]
