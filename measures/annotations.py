"""What happened in a team's months, for chart annotations: PDSA cycles and notes.

The PDSA app is read through this one small adapter so that the chart code never
imports it; without the app (or its Cycle model) there are simply no cycles.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from django.urls import NoReverseMatch, reverse

from teams.models import Team

from .models import Measure


@dataclass(frozen=True)
class CycleMark:
    """A PDSA cycle of the team, dated by when it was tested (else planned).

    `linked` says the team linked the cycle to the measure being charted (its
    Study stage names the measure as the data that shows the result)."""

    day: date
    title: str
    url: str
    linked: bool = False
    stage: str = ""
    decision: str = ""
    cycle_id: int = 0


def _cycle_url(team: Team, public_id) -> str:
    try:
        return reverse(
            "pdsa:cycle_detail", kwargs={"team_id": team.public_id, "cycle_id": public_id}
        )
    except NoReverseMatch:  # pragma: no cover - the pdsa pages are not installed
        return ""


def _team_cycles(team: Team):
    try:
        from pdsa.models import Cycle
    except ImportError:  # pragma: no cover - the pdsa app is optional for this module
        return None
    from django.db.models.functions import Coalesce, TruncDate

    return Cycle.objects.filter(
        program_id=team.program_id, team=team, deleted_at__isnull=True
    ).annotate(day=Coalesce("do_date", "plan_date", TruncDate("created_at")))


def pdsa_cycles_between(
    *, team: Team, first: date, last: date, linked: Collection[int] = ()
) -> list[CycleMark]:
    """The team's (not deleted) PDSA cycles tested, or planned, between the dates;
    those whose id is in `linked` (see pdsa_cycles_linked_to) are marked."""
    cycles = _team_cycles(team)
    if cycles is None:  # pragma: no cover
        return []
    rows = (
        cycles.filter(day__gte=first, day__lte=last)
        .order_by("day", "pk")
        .values_list("pk", "day", "title", "public_id")
    )
    return [
        CycleMark(
            day=day,
            title=title,
            url=_cycle_url(team, public_id),
            linked=pk in linked,
            cycle_id=pk,
        )
        for pk, day, title, public_id in rows
    ]


def pdsa_cycles_linked_to(*, team: Team, measure: Measure) -> list[CycleMark]:
    """The team's cycles that link `measure`, newest test first, with stage and decision."""
    cycles = _team_cycles(team)
    if cycles is None:  # pragma: no cover
        return []
    rows = cycles.filter(
        measure_links__measure=measure, measure_links__program_id=team.program_id
    ).order_by("-day", "-pk")
    return [
        CycleMark(
            day=cycle.day,
            title=cycle.title,
            url=_cycle_url(team, cycle.public_id),
            linked=True,
            stage=cycle.get_stage_display(),
            decision=cycle.get_decision_display() if cycle.decision else "",
            cycle_id=cycle.pk,
        )
        for cycle in rows
    ]
