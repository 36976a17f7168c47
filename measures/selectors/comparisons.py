"""Teams compared with each other: the funnel plot's inputs and who may be named.

Aggregates cover every active team; the funnel names only the viewer's own teams and
those that chose to be named (BenchmarkConsent), and calls the others by number.
"""

from __future__ import annotations

from collaboratives.models import Collaborative
from teams.models import Team, TeamStatus

from ..models import BenchmarkConsent, DataPoint, Measure, ReportingPeriod


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
    """Every active team's numerator and denominator of `measure` in `period` (one query)."""
    rows = (
        DataPoint.objects.filter(
            program_id=collaborative.program_id,
            collaborative=collaborative,
            measure=measure,
            period=period,
            deleted_at__isnull=True,
            denominator__isnull=False,
            numerator__isnull=False,
            team__status=TeamStatus.ACTIVE,
        )
        .select_related("team")
        .order_by("denominator", "team_id")
    )
    return [(p.team, float(p.numerator), float(p.denominator)) for p in rows]


def latest_period_with_data(
    *, collaborative: Collaborative, measure: Measure
) -> ReportingPeriod | None:
    point = (
        DataPoint.objects.filter(
            program_id=collaborative.program_id,
            collaborative=collaborative,
            measure=measure,
            deleted_at__isnull=True,
        )
        .select_related("period")
        .order_by("-period__start")
        .first()
    )
    return point.period if point else None
