"""A proportion's value is computed from its numerator and denominator, never read from
the (empty) stored `value`: the team's history page, the exports and the API show it as
the pages do ("80%"), not as "–" or nothing."""

import csv
import io

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.clock import month

from .conftest import client_for

pytestmark = pytest.mark.django_db


def test_the_history_page_shows_the_percentage_with_the_numbers(world):
    url = reverse(
        "measures:measure_history",
        kwargs={"team_id": world.t.team.public_id, "measure_id": world.m1.public_id},
    )
    html = client_for(world.t.coach).get(url).content.decode()
    assert '<td data-label="Numbers">8 of 10 (80%)</td>' in html
    # the revision's before (nothing) and after
    assert '<td data-label="After">8 of 10 (80%)<br>' in html


def test_the_export_says_how_each_value_is_shown_and_still_imports_back(world):
    url = reverse("measures:team_export", kwargs={"team_id": world.t.team.public_id})
    text = client_for(world.t.lead).get(url).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    april = next(r for r in rows if r["Period"] == f"{month(-7):%Y-%m}" and r["Measure"] == "M1")
    assert (april["Numerator"], april["Denominator"], april["Value"]) == ("8", "10", "")
    assert april["Shown as"] == "80%"


def test_the_api_gives_the_value_as_shown(world):
    client = APIClient()
    client.force_authenticate(world.t.coach)
    url = f"/api/v1/teams/{world.t.team.public_id}/data-points/?measure={world.m1.public_id}"
    (point,) = client.get(url).json()["results"]
    assert point["value"] is None  # as stored: a proportion keeps its numbers
    assert point["display_value"] == 80.0 and point["display_text"] == "80%"
