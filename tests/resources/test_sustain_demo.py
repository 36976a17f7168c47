"""The demo's share and sustain: the running collaborative's heat map shows every
state, some ramps are shared, Riverside's storyboard has its lessons learned, and
seeding twice adds nothing."""

import pytest
from django.urls import reverse

from accounts.models import ProgramMembership, ProgramRole
from collaboratives.models import Collaborative
from demo.collaboratives import ACTIVE
from demo.seed import seed_demo
from pdsa.public import package_ramps
from resources.heatmap import STATES, build_heat_map, ramp_state
from resources.models import Storyboard
from teams.models import Team
from tests.factories import client_for

pytestmark = pytest.mark.django_db


def staff_of(collaborative):
    return (
        ProgramMembership.objects.filter(program=collaborative.program, role=ProgramRole.STAFF)
        .select_related("user")
        .first()
        .user
    )


def test_the_demo_heat_map_shows_every_state_and_riverside_has_lessons():
    seed_demo()
    collaborative = Collaborative.objects.get(slug=ACTIVE)
    ramps = package_ramps(collaborative=collaborative)
    heat_map = build_heat_map(user=staff_of(collaborative), collaborative=collaborative)
    shown = {cell.state for row in heat_map.rows for cell in heat_map.item_cells(row)}
    assert shown == set(STATES)
    assert {ramp_state(r) for r in ramps} >= set(STATES) - {"not_tested"}
    assert any(r.shared for r in ramps) and any(not r.shared for r in ramps)
    riverside = Team.objects.get(name="Riverside ED Peds Ready")
    assert Storyboard.objects.get(team=riverside).lessons_learned
    lead = riverside.memberships.get(role="lead").user
    page = client_for(lead).get(
        reverse("resources:storyboard", kwargs={"team_id": riverside.public_id})
    )
    assert page.status_code == 200
    assert "Lessons learned" in page.content.decode()

    again = seed_demo()
    assert again.created == 0
