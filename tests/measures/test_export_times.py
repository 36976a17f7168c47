"""Exports write times in the downloader's zone, labelled (they used to be bare UTC)."""

import csv
import io
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from measures.models import DataPoint

from .conftest import client_for

pytestmark = pytest.mark.django_db


def test_last_changed_is_in_the_viewers_zone_with_its_label(world):
    world.t.lead.time_zone = "America/Los_Angeles"
    world.t.lead.save()
    url = reverse("measures:team_export", kwargs={"team_id": world.t.team.public_id})
    response = client_for(world.t.lead).get(url)
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    changed = {r["Last changed"] for r in rows if r["Last changed"]}
    point = DataPoint.objects.filter(team=world.t.team).latest("updated_at")
    local = point.updated_at.astimezone(ZoneInfo("America/Los_Angeles"))
    assert f"{local:%Y-%m-%d %H:%M} {local.tzname()}" in changed
    assert all(value.endswith((" PST", " PDT")) for value in changed)
