"""The PDSA panel of a team's measure page: the tests of change whose Study links the
measure, newest first, with their stage and decision."""

from __future__ import annotations

from core.panels import TEAM_MEASURE_PAGE, register_panel

from .timeline import cycle_url, team_cycles_by_day


def _linked_cycles(*, team, measure, user) -> dict:
    cycles = (
        team_cycles_by_day(team=team)
        .filter(measure_links__measure=measure, measure_links__program_id=team.program_id)
        .order_by("-day", "-pk")
    )
    return {
        "linked_cycles": [
            {
                "day": cycle.day,
                "title": cycle.title,
                "url": cycle_url(team, cycle.public_id),
                "stage": cycle.get_stage_display(),
                "decision": cycle.get_decision_display() if cycle.decision else "",
            }
            for cycle in cycles
        ]
    }


register_panel(
    TEAM_MEASURE_PAGE,
    name="pdsa",
    template="pdsa/_measure_linked_cycles.html",
    context=_linked_cycles,
    order=10,
)
