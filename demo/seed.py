"""Seed the demo: a realistic, idempotent world that lets anyone try every role.

The demo app is the top layer: it may import every other app and no app imports it.
The world (demo.world) comes first; ratings and each feature then add their part, in
order. Everything is dated from `today`, the day of seeding, which is passed down to
every step (the command takes it from core.clock; tests seed "as of" any day).
"""

from datetime import date

from django.db import transaction

from collaboratives.lifecycle import enrolment_problem
from core import clock

from . import (
    assessments,
    certificates,
    learning_sessions,
    measures,
    notifications,
    pdsa,
    ratings,
    resources_community,
    resources_library,
    resources_links,
    resources_sustain,
)
from .collaboratives import ACTIVE, RECRUITING
from .world import DEMO_PASSWORD, LOGINS, DemoResult, DemoWorld, seed_world


@transaction.atomic
def seed_demo(*, today: date | None = None, password: str = DEMO_PASSWORD) -> DemoResult:
    """Create (or complete) the demo world as of `today` (the clock's day when None) and
    return the logins to print."""
    today = today or clock.today()
    result = DemoResult(logins=list(LOGINS))
    world = seed_world(today=today, password=password, result=result)
    ratings.seed(world, result, today=today)
    assessments.seed(world, result, today=today)
    measures.seed(world, result, today=today)
    pdsa.seed(world, result, today=today)  # after measures: cycles link the team's measures
    learning_sessions.seed(world, result, today=today)
    certificates.seed(world, result, today=today)  # after the calendar: credit per event
    resources_library.seed(world, result, today=today)
    resources_sustain.seed(world, result, today=today)  # after pdsa: shares its ramps
    resources_links.seed(world, result, today=today)  # after the targets it links to
    resources_community.seed(world, result, today=today)  # after pdsa: shared ramps exist
    notifications.seed(world, result, today=today)  # last: notices of the events above
    result.notes.extend(_stale_world_notes(world, today))
    return result


def _stale_world_notes(world: DemoWorld, today: date) -> list[str]:
    """A world seeded long ago keeps its first dates: say so when it no longer has the
    promised shape (an active collaborative that is running, a recruiting one open)."""
    notes = []
    active = world.collaboratives[ACTIVE]
    if active.end_date < today:
        notes.append(f"{active.title} ended on {active.end_date:%-d %B %Y}.")
    problem = enrolment_problem(world.collaboratives[RECRUITING], today)
    if problem:
        notes.append(f"{world.collaboratives[RECRUITING].title}: {problem}")
    if notes:
        notes.append(
            "The demo world keeps the dates of the day it was first seeded; "
            "seed an empty database to build it around today."
        )
    return notes
