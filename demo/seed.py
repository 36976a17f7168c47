"""Seed the demo: a realistic, idempotent world that lets anyone try every role.

The demo app is the top layer: it may import every other app and no app imports it.
The world (demo.world) comes first; each feature then adds its part, in order.
"""

from django.db import transaction

from . import assessments, measures, pdsa
from .world import DEMO_PASSWORD, LOGINS, DemoResult, seed_world


@transaction.atomic
def seed_demo(*, password: str = DEMO_PASSWORD) -> DemoResult:
    """Create (or complete) the demo world and return the logins to print."""
    result = DemoResult(logins=list(LOGINS))
    world = seed_world(password=password, result=result)
    assessments.seed(world, result)
    measures.seed(world, result)
    pdsa.seed(world, result)  # after measures: cycles link the team's measures
    return result
