"""Small builders for PDSA tests: a team's change idea, cycles at a stage, clients."""

from datetime import date

from pdsa import services
from pdsa.models import STAGE_ORDER, ChangeIdea, Cycle, Driver, DriverKind, Stage
from teams.models import TeamMembership, TeamRole
from tests.factories import (
    UserFactory,
    client_for,  # noqa: F401 - re-exported
)

PLAN = {
    "title": "Weigh in kg on the night shift",
    "objective": "See whether night nurses weigh every child in kilograms",
    "predictions": "At least 8 of 10 children weighed in kg",
    "plan_details": "Night triage nurse, 19:00-07:00, main ED triage",
    "plan_date": date(2026, 5, 4),
}
DO = {"do_date": date(2026, 5, 5), "what_happened": "Ten children weighed, nine in kg"}
STUDY = {"study_date": date(2026, 5, 7), "results": "9 of 10, above our 8", "learned": "Works"}
ACT = {"act_date": date(2026, 5, 8), "decision": "adapt", "next_steps": "Try every shift"}
STAGE_VALUES = {Stage.PLAN: PLAN, Stage.DO: DO, Stage.STUDY: STUDY, Stage.ACT: ACT}


def make_driver(team, title="Weigh in kilograms", parent=None) -> Driver:
    return Driver.objects.create(
        program=team.program,
        team=team,
        kind=DriverKind.SECONDARY if parent else DriverKind.PRIMARY,
        parent=parent,
        title=title,
    )


def make_idea(team, title="Lock the scale to kg", driver=None) -> ChangeIdea:
    return ChangeIdea.objects.create(program=team.program, team=team, title=title, driver=driver)


def make_cycle(team, idea, *, author, stage=Stage.PLAN, builds_on=None, **extra) -> Cycle:
    """A cycle moved through the services up to `stage`, with every required field filled."""
    values = {**PLAN, "change_idea": idea, "builds_on": builds_on}
    values.update({k: v for k, v in extra.items() if k in PLAN or k == "scale"})
    cycle = services.cycle_create(team=team, actor=author, values=values)
    current = Stage.PLAN
    for target in STAGE_ORDER[1 : STAGE_ORDER.index(stage) + 1]:
        values = {} if current == Stage.PLAN else dict(STAGE_VALUES[current])
        cycle = services.cycle_update(cycle=cycle, actor=author, values=values, advance_to=target)
        current = target
    return cycle


def add_member(tenant, role=TeamRole.SPONSOR, team=None, email=None):
    team = team or tenant.team
    user = UserFactory(email=email or f"{role}-{team.public_id.hex[:6]}@example.org")
    TeamMembership.objects.create(program=team.program, team=team, user=user, role=role)
    return user
