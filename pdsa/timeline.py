"""PDSA cycles on the team's charts: each cycle is flagged in the period it was tested
(else planned), and a cycle whose Study links the charted measure says so."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse

from teams.models import Team
from teams.timeline import TimelineEvent, register_timeline_source

from .models import Cycle, CycleMeasure


def team_cycles_by_day(*, team: Team):
    """The team's cycles (not deleted), each with `day`: when it was tested, else planned,
    else created."""
    return Cycle.objects.filter(
        program_id=team.program_id, team=team, deleted_at__isnull=True
    ).annotate(day=Coalesce("do_date", "plan_date", TruncDate("created_at")))


def cycle_url(team: Team, public_id) -> str:
    return reverse("pdsa:cycle_detail", kwargs={"team_id": team.public_id, "cycle_id": public_id})


#: The stages' dates, in the order a cycle goes through them, with their words.
_STAGE_DATES = (
    ("plan_date", "planned"),
    ("do_date", "tested"),
    ("study_date", "studied"),
    ("act_date", "decided"),
)


def cycle_dates(dates: dict[str, date | None]) -> str:
    """A cycle's stage dates in words: "planned 2 March 2026, tested 9 March 2026"."""
    return ", ".join(
        f"{words} {dates[name]:%-d %B %Y}" for name, words in _STAGE_DATES if dates.get(name)
    )


def cycles_between(*, team: Team, first: date, last: date, measure_id: int) -> list[TimelineEvent]:
    """The team's cycles tested (or planned) between the dates, in one query."""
    linked = CycleMeasure.objects.filter(
        program_id=team.program_id, cycle=OuterRef("pk"), measure_id=measure_id
    )
    rows = (
        team_cycles_by_day(team=team)
        .filter(day__gte=first, day__lte=last)
        .annotate(linked=Exists(linked))
        .order_by("day", "pk")
        .values("day", "title", "public_id", "linked", *(name for name, _ in _STAGE_DATES))
    )
    return [
        TimelineEvent(
            day=row["day"],
            label=(
                f"Test of change linked to this measure: {row['title']}"
                if row["linked"]
                else f"Test of change: {row['title']}"
            ),
            url=cycle_url(team, row["public_id"]),
            kind="pdsa",
            dates=cycle_dates(row),
        )
        for row in rows
    ]


register_timeline_source("pdsa", cycles_between)
