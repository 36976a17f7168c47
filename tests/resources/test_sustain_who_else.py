""" "Who else tested this?" on a team's change idea: the ramps OTHER teams of the same
collaborative shared on the same change-package item, with their decisions and links;
nothing of unshared ramps, the team's own, other items or other collaboratives."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pdsa.models import Decision
from tests.factories import TeamFactory, client_for
from tests.resources.sustain_helpers import package_item, ramp

pytestmark = pytest.mark.django_db


def _ramp_page(team, idea) -> str:
    return reverse(
        "pdsa:ramp_detail", kwargs={"team_id": team.public_id, "change_idea_id": idea.public_id}
    )


@pytest.fixture
def others(tenant_a):
    t = tenant_a
    kg = package_item(t, "Weigh in kg")
    board = package_item(t, "Whiteboard")
    mine = ramp(t.team, kg, "Our kg scale", [Decision.ADOPT], shared=True)
    third = TeamFactory(program=t.program, collaborative=t.collaborative, name="Third Team")
    shared_adopted = ramp(
        t.other_team, kg, "Their kg scale", [Decision.ADAPT, Decision.ADOPT], shared=True
    )
    shared_open = ramp(third, kg, "Kg poster", [""], shared=True)
    ramp(third, kg, "Secret kg test", [Decision.ABANDON])  # not shared
    ramp(t.other_team, board, "Board ramp", [Decision.ADOPT], shared=True)  # another item
    elsewhere = TeamFactory(program=t.program, collaborative=t.recruiting, name="Elsewhere")
    ramp(elsewhere, kg, "Elsewhere kg", [Decision.ADOPT], shared=True)
    return {"mine": mine, "adopted": shared_adopted, "open": shared_open}


def test_shows_only_other_teams_shared_ramps_on_the_same_item(tenant_a, others):
    t = tenant_a
    response = client_for(t.member).get(_ramp_page(t.team, others["mine"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Who else tested this?" in html
    assert "Their kg scale" in html and t.other_team.name in html
    assert "Adopt: make it the way we work" in html
    assert "Kg poster" in html and "no decision yet" in html
    for hidden in ("Secret kg test", "Board ramp", "Elsewhere kg"):
        assert hidden not in html
    section = html.split("Who else tested this?")[1]
    assert "Our kg scale" not in section  # the team's own ramp is not "someone else"
    link = reverse(
        "pdsa:shared_ramp",
        kwargs={"team_id": t.team.public_id, "change_idea_id": others["adopted"].public_id},
    )
    assert link in html
    assert client_for(t.member).get(link).status_code == 200


def test_says_so_when_nobody_else_shared(tenant_a):
    item = package_item(tenant_a, "Lonely change")
    idea = ramp(tenant_a.team, item, "Only us", [""])
    html = client_for(tenant_a.lead).get(_ramp_page(tenant_a.team, idea)).content.decode()
    assert "No other team has shared a ramp on “Lonely change” yet." in html


def test_no_panel_for_an_idea_of_the_teams_own(tenant_a):
    idea = ramp(tenant_a.team, None, "Our own idea", [""])
    html = client_for(tenant_a.lead).get(_ramp_page(tenant_a.team, idea)).content.decode()
    assert "Who else tested this?" not in html
