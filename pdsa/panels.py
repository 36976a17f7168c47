"""PDSA's panels on other apps' pages: on a team's measure page, the tests of change
whose Study links the measure, newest first, with their stage and decision; on the team
home, the team's aim in its "Aim and goals" box."""

from __future__ import annotations

from django.urls import reverse

from core.panels import TEAM_AIM, TEAM_MEASURE_PAGE, register_panel

from .selectors import aim_of
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


def _team_aim(*, team, user, access) -> dict:
    """The team's SMART aim once written (its application's goals before), with a link to
    write or revise it for the lead who keeps it (TeamAccess.can_edit_diagram)."""
    return {
        # The statement and its SMART parts only: not who last revised it.
        "aim": aim_of(team=team, with_author=False),
        "aim_url": reverse("pdsa:aim", kwargs={"team_id": team.public_id}),
        "can_edit_aim": access.can_edit_diagram,
    }


register_panel(
    TEAM_AIM,
    name="pdsa-aim",
    template="pdsa/_team_home_aim.html",
    context=_team_aim,
    order=10,
)
