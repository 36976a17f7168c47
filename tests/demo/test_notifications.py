"""The demo seed fills the inboxes of the demo lead, member and coach with the notices
its seeded comments, reviews and waiting cycles would have made, once."""

import pytest

from core.models import Notification
from demo.seed import seed_demo
from tests.factories import client_for

pytestmark = pytest.mark.django_db


def test_demo_people_find_notices_in_their_inbox_once():
    result = seed_demo(password="demo-pass-2026")
    by_person = {
        email: list(Notification.objects.filter(recipient__email=email))
        for email in ("lead@demo.example", "member@demo.example", "coach@demo.example")
    }
    lead, coach = by_person["lead@demo.example"], by_person["coach@demo.example"]
    # The demo's certificates are issued through the real task: their notices too.
    assert {n.kind for n in lead} >= {"pdsa_comment", "data_reviewed"}
    assert "data_submitted" in {n.kind for n in coach}
    assert {n.kind for n in coach} <= {"data_submitted", "pdsa_feedback"}
    assert by_person["member@demo.example"]
    assert any(n.read_at is None for n in lead) and any(n.read_at for n in lead)
    assert all(n.url.startswith("/") for notices in by_person.values() for n in notices)
    assert all(n.program and n.program.slug == "npric" for n in lead + coach)
    count = Notification.objects.count()
    again = seed_demo(password="demo-pass-2026")
    assert Notification.objects.count() == count
    assert again.created < result.created

    client = client_for(lead[0].recipient)
    unread = sum(1 for n in lead if n.read_at is None)
    page = client.get("/notifications/").content.decode()
    assert f"You have {unread} unread notification" in page
    opened = client.get(f"/notifications/{lead[0].public_id}/open/")
    assert opened.status_code == 302
    assert client.get(opened["Location"]).status_code == 200
