"""Autosave tells the time the page tells after a reload: the viewer's zone, labelled;
and the draft kept on the device is compared by server-issued versions only."""

import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from pdsa.models import Cycle

from .helpers import client_for

pytestmark = pytest.mark.django_db


def _edit_url(world) -> str:
    return reverse(
        "pdsa:cycle_edit",
        kwargs={"team_id": world.team.public_id, "cycle_id": world.cycle.public_id},
    )


def _autosave(client, world, text: str) -> dict:
    body = {
        "editing_stage": "plan",
        "title": world.cycle.title,
        "change_idea": world.idea.public_id,
        "questions": text,
    }
    response = client.post(_edit_url(world), body, HTTP_X_AUTOSAVE="1")
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize("zone", ["America/Chicago", "Asia/Kolkata"])
def test_autosave_time_is_the_time_the_page_shows_after_a_reload(world, zone):
    world.a.member.time_zone = zone
    world.a.member.save()
    client = client_for(world.a.member)
    saved = _autosave(client, world, "Draft text")
    cycle = Cycle.objects.get(pk=world.cycle.pk)
    local = cycle.updated_at.astimezone(ZoneInfo(zone))
    assert saved["saved_at_time"] == f"{local:%H:%M} {local.tzname()}"
    page = client.get(_edit_url(world)).content.decode()
    status = re.search(r'class="pdsa-autosave-status[^>]*>([^<]*)<', page).group(1)
    assert saved["saved_at_time"] in status


def test_the_draft_copy_and_the_page_share_the_servers_version(world):
    client = client_for(world.a.member)
    saved = _autosave(client, world, "Draft text")
    page = client.get(_edit_url(world)).content.decode()
    assert f'data-server-version="{saved["version"]}"' in page
    again = _autosave(client, world, "Draft text, more")
    assert again["version"] > saved["version"]  # microseconds: two quick saves differ
    assert 'data-server-updated="' not in page  # device clocks are never compared
