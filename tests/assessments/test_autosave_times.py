"""The survey's autosave says the time the page says after a reload: the viewer's zone,
labelled (it used to say the collaborative's zone, and the page UTC)."""

import re

import pytest
from django.urls import reverse

from .conftest import client_for

pytestmark = pytest.mark.django_db


def test_saved_at_is_the_time_the_page_shows_after_a_reload(tenant_a, open_wave):
    tenant_a.collaborative.timezone = "America/Chicago"
    tenant_a.collaborative.save()
    tenant_a.member.time_zone = "Asia/Kolkata"
    tenant_a.member.save()
    url = reverse(
        "assessments:response_form",
        kwargs={"team_id": tenant_a.team.public_id, "wave_id": open_wave.public_id},
    )
    client = client_for(tenant_a.member)
    body = client.post(
        url,
        {"action": "save", "q-A1": "yes", "q-A1-present": "1", "only": "A1"},
        HTTP_ACCEPT="application/json",
    ).json()
    assert body["ok"] is True
    assert re.fullmatch(r"\d\d:\d\d IST", body["saved_at"])
    page = client.get(url).content.decode()
    assert f"Last changed by {tenant_a.member.display_name}, {body['edited_at']}" in page
    assert body["saved_at"] in body["edited_at"]
