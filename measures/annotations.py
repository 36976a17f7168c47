"""What happened in a team's months, for chart annotations: PDSA cycles and notes.

The PDSA app is read through this one small adapter so that the chart code never
imports it; without the app (or its Cycle model) there are simply no cycles.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.urls import NoReverseMatch, reverse

from teams.models import Team


@dataclass(frozen=True)
class CycleMark:
    """A PDSA cycle of the team, dated by when it was tested (else planned)."""

    day: date
    title: str
    url: str


def pdsa_cycles_between(*, team: Team, first: date, last: date) -> list[CycleMark]:
    """The team's (not deleted) PDSA cycles tested, or planned, between the dates."""
    try:
        from pdsa.models import Cycle
    except ImportError:  # pragma: no cover - the pdsa app is optional for this module
        return []
    from django.db.models.functions import Coalesce, TruncDate

    cycles = (
        Cycle.objects.filter(program_id=team.program_id, team=team, deleted_at__isnull=True)
        .annotate(day=Coalesce("do_date", "plan_date", TruncDate("created_at")))
        .filter(day__gte=first, day__lte=last)
        .order_by("day", "pk")
        .values_list("day", "title", "public_id")
    )
    marks = []
    for day, title, public_id in cycles:
        try:
            url = reverse(
                "pdsa:cycle_detail", kwargs={"team_id": team.public_id, "cycle_id": public_id}
            )
        except NoReverseMatch:  # pragma: no cover - the pdsa pages are not installed
            url = ""
        marks.append(CycleMark(day=day, title=title, url=url))
    return marks
