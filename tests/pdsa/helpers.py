"""Small builders for PDSA tests: a team's change idea, cycles at a stage, clients.

A cycle's stage values (`plan()`, `do()`, `study()`, `act()`) are dated in
`cycle_month()`, counted from the test's day (tests/clock.py)."""

from datetime import date, timedelta

from pdsa import services
from pdsa.models import STAGE_ORDER, ChangeIdea, Cycle, Driver, DriverKind, Stage
from teams.models import TeamMembership, TeamRole
from tests.clock import month
from tests.factories import (
    UserFactory,
    client_for,  # noqa: F401 - re-exported
)


def cycle_month() -> date:
    """The month the sample cycle ran: six months before this one (May 2026 by default)."""
    return month(-6)


def plan() -> dict:
    return {
        "title": "Weigh in kg on the night shift",
        "objective": "See whether night nurses weigh every child in kilograms",
        "predictions": "At least 8 of 10 children weighed in kg",
        "plan_details": "Night triage nurse, 19:00-07:00, main ED triage",
        "plan_date": cycle_month() + timedelta(days=3),  # the 4th
    }


def do() -> dict:
    return {
        "do_date": cycle_month() + timedelta(days=4),
        "what_happened": "Ten children weighed, nine in kg",
    }


def study() -> dict:
    return {
        "study_date": cycle_month() + timedelta(days=6),
        "results": "9 of 10, above our 8",
        "learned": "Works",
    }


def act() -> dict:
    return {
        "act_date": cycle_month() + timedelta(days=7),
        "decision": "adapt",
        "next_steps": "Try every shift",
    }


STAGE_VALUES = {Stage.PLAN: plan, Stage.DO: do, Stage.STUDY: study, Stage.ACT: act}


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
    planned = plan()
    values = {**planned, "change_idea": idea, "builds_on": builds_on}
    values.update({k: v for k, v in extra.items() if k in planned or k == "scale"})
    cycle = services.cycle_create(team=team, actor=author, values=values)
    current = Stage.PLAN
    for target in STAGE_ORDER[1 : STAGE_ORDER.index(stage) + 1]:
        values = {} if current == Stage.PLAN else STAGE_VALUES[current]()
        cycle = services.cycle_update(cycle=cycle, actor=author, values=values, advance_to=target)
        current = target
    return cycle


def add_member(tenant, role=TeamRole.SPONSOR, team=None, email=None):
    team = team or tenant.team
    user = UserFactory(email=email or f"{role}-{team.public_id.hex[:6]}@example.org")
    TeamMembership.objects.create(program=team.program, team=team, user=user, role=role)
    return user
