"""The events API: scoped reads (404 for what the caller may not see), the join link
only for a seat, the recording only once started, register/cancel through the same
waiting list as the pages, staff writes with the services' rules, token auth and the
staff MFA rule."""

from datetime import timedelta
from decimal import Decimal

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.models import AuditEvent
from learning_sessions.models import EventCredit, EventKind, Registration, RegistrationStatus

from .conftest import make_event

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def events_url(collaborative) -> str:
    return f"/api/v1/collaboratives/{collaborative.public_id}/events/"


def event_url(event, tail: str = "") -> str:
    return f"/api/v1/events/{event.public_id}/{tail}"


@pytest.mark.parametrize("persona", ["staff", "coach", "lead", "member"])
def test_people_of_the_collaborative_list_its_events(persona, tenant_a, event):
    body = api(getattr(tenant_a, persona)).get(events_url(tenant_a.collaborative)).json()
    assert str(event.public_id) in [row["id"] for row in body["results"]]
    assert all("join_url" not in row for row in body["results"])


def test_another_program_and_outsiders_get_404(tenant_a, tenant_b, outsider, event):
    for user in (tenant_b.staff, outsider):
        client = api(user)
        assert client.get(events_url(tenant_a.collaborative)).status_code == 404
        assert client.get(event_url(event)).status_code == 404
        assert client.post(event_url(event, "registration/")).status_code == 404
        assert client.delete(event_url(event, "registration/")).status_code == 404
        assert client.patch(event_url(event), {"title": "x"}, format="json").status_code == 404
    assert not Registration.objects.filter(user__in=[tenant_b.staff, outsider]).exists()


def test_anonymous_gets_401(tenant_a, event):
    assert APIClient().get(events_url(tenant_a.collaborative)).status_code == 401
    assert APIClient().get(event_url(event)).status_code == 401


def test_the_list_filters_by_date_range_kind_and_track_and_pages(tenant_a):
    # The tenant already has a learning session in 7 days, on the focus area's track.
    tenant_a.collaborative.events.all().delete()
    area = tenant_a.focus_area
    make_event(tenant_a, days=3, kind=EventKind.OFFICE_HOURS, title="Office hours")
    later = make_event(tenant_a, days=20, kind=EventKind.WEBINAR, title="Webinar")
    later.tracks.set([area])
    client = api(tenant_a.member)
    url = events_url(tenant_a.collaborative)
    cutoff = (timezone.now() + timedelta(days=10)).isoformat()
    ids = lambda response: [r["title"] for r in response.json()["results"]]  # noqa: E731
    assert ids(client.get(url, {"starts_before": cutoff})) == ["Office hours"]
    assert ids(client.get(url, {"starts_after": cutoff})) == ["Webinar"]
    assert ids(client.get(url, {"kind": "office_hours"})) == ["Office hours"]
    assert ids(client.get(url, {"track": str(area.public_id)})) == ["Webinar"]
    assert client.get(url, {"kind": "picnic"}).status_code == 400
    assert client.get(url, {"starts_after": "not a date"}).status_code == 400
    # Offsets Python accepts and PostgreSQL does not; dates that do not fit in UTC.
    odd = client.get(url, {"starts_before": "2709-06-15T02:46:20-18:22"})
    assert odd.status_code == 200 and len(odd.json()["results"]) == 2
    assert client.get(url, {"starts_after": "0001-01-01T00:00:00+05:00"}).status_code == 400
    page = client.get(url, {"page_size": 1}).json()
    assert page["count"] == 2 and len(page["results"]) == 1 and page["next"]
    assert ids(client.get(url)) == ["Office hours", "Webinar"]  # soonest first


def test_the_join_link_is_only_for_a_seat(tenant_a, event):
    member = api(tenant_a.member)
    assert member.get(event_url(event)).json()["join_url"] is None
    response = member.post(event_url(event, "registration/"))
    assert response.status_code == 201 and response.json()["status"] == "registered"
    body = member.get(event_url(event)).json()
    assert body["join_url"] == "https://meet.example/secret-room"
    assert body["my_registration"] == {"status": "registered", "position": None}
    assert api(tenant_a.lead).get(event_url(event)).json()["join_url"] is None


def test_the_recording_only_once_the_event_has_started(tenant_a):
    future = make_event(tenant_a, days=2, recording_url="https://video.example/early")
    past = make_event(tenant_a, days=-2, recording_url="https://video.example/rec")
    client = api(tenant_a.member)
    assert client.get(event_url(future)).json()["recording_url"] == ""
    assert client.get(event_url(past)).json()["recording_url"] == "https://video.example/rec"
    rows = client.get(events_url(tenant_a.collaborative)).json()["results"]
    listed = {r["id"]: r for r in rows}
    assert listed[str(future.public_id)]["recording_url"] == ""


def test_register_and_cancel_use_the_waiting_list(tenant_a, event):
    # `event` has two seats.
    assert api(tenant_a.member).post(event_url(event, "registration/")).status_code == 201
    assert api(tenant_a.lead).post(event_url(event, "registration/")).status_code == 201
    third = api(tenant_a.coach).post(event_url(event, "registration/"))
    assert third.status_code == 201
    assert third.json()["status"] == "waitlisted" and third.json()["position"] == 1
    again = api(tenant_a.member).post(event_url(event, "registration/"))
    assert again.status_code == 400
    assert "already registered" in again.json()["error"]["fields"]["non_field_errors"][0]
    mine = api(tenant_a.coach).get("/api/v1/me/event-registrations/").json()["results"]
    assert [(r["event"]["id"], r["status"], r["position"]) for r in mine] == [
        (str(event.public_id), "waitlisted", 1)
    ]
    assert api(tenant_a.member).delete(event_url(event, "registration/")).status_code == 204
    coach = Registration.objects.get(event=event, user=tenant_a.coach)
    assert coach.status == RegistrationStatus.REGISTERED  # promoted
    assert api(tenant_a.member).delete(event_url(event, "registration/")).status_code == 400
    mine = api(tenant_a.member).get("/api/v1/me/event-registrations/").json()["results"]
    assert str(event.public_id) not in [r["event"]["id"] for r in mine]


def test_my_registrations_leave_out_collaboratives_i_no_longer_see(tenant_a, event):
    api(tenant_a.member).post(event_url(event, "registration/"))
    tenant_a.member_membership.delete()
    assert api(tenant_a.member).get("/api/v1/me/event-registrations/").json()["results"] == []


def _new_event(tenant, **extra) -> dict:
    starts = timezone.now() + timedelta(days=5)
    body = {
        "kind": "learning_session",
        "title": "Learning session 4",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(minutes=90)).isoformat(),
        "capacity": 40,
        "tracks": [str(tenant.focus_area.public_id)],
        "credits": [
            {"credit_type": "ama_pra_1", "amount": "1.5"},
            {"credit_type": "nursing", "amount": "1.25"},
        ],
    }
    body.update(extra)
    return body


def test_staff_create_and_change_events(tenant_a):
    client = api(tenant_a.staff)
    response = client.post(events_url(tenant_a.collaborative), _new_event(tenant_a), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["tracks"][0]["name"] == tenant_a.focus_area.name
    assert {c["credit_type"]: c["amount"] for c in body["credits"]} == {
        "ama_pra_1": 1.5,
        "nursing": 1.25,
    }
    event_id = body["id"]
    changed = client.patch(
        f"/api/v1/events/{event_id}/",
        {"title": "Learning session 4 (moved)", "credits": [{"credit_type": "ems", "amount": 1}]},
        format="json",
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["title"] == "Learning session 4 (moved)"
    assert [c["credit_type"] for c in changed.json()["credits"]] == ["ems"]
    assert AuditEvent.objects.filter(verb="event.updated").exists()


@pytest.mark.parametrize("persona", ["coach", "lead", "member"])
def test_only_staff_write_events(persona, tenant_a, event):
    client = api(getattr(tenant_a, persona))
    url = events_url(tenant_a.collaborative)
    assert client.post(url, _new_event(tenant_a), format="json").status_code == 403
    assert client.patch(event_url(event), {"title": "x"}, format="json").status_code == 403


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"credits": [{"credit_type": "ama_pra_1", "amount": "2"}]}, "credit_ama_pra_1"),
        ({"credits": [{"credit_type": "nursing", "amount": "0.3"}]}, "credit_nursing"),
        ({"credits": [{"credit_type": "moc_part4", "amount": "10"}]}, "credit_moc_part4"),
        ({"tracks": ["00000000-0000-0000-0000-000000000000"]}, "tracks"),
        ({"join_url": "javascript:alert(1)"}, "join_url"),
        ({"ends_at": "2026-01-01T00:00:00Z"}, "ends_at"),
    ],
)
def test_bad_events_get_a_clear_400_and_save_nothing(tenant_a, extra, field):
    client = api(tenant_a.staff)
    response = client.post(
        events_url(tenant_a.collaborative), _new_event(tenant_a, **extra), format="json"
    )
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not EventCredit.objects.filter(event__title="Learning session 4").exists()
    assert not tenant_a.collaborative.events.filter(title="Learning session 4").exists()


def test_another_programs_focus_area_is_not_a_track(tenant_a, tenant_b):
    body = _new_event(tenant_a, tracks=[str(tenant_b.focus_area.public_id)])
    response = api(tenant_a.staff).post(events_url(tenant_a.collaborative), body, format="json")
    assert response.status_code == 400 and "tracks" in response.json()["error"]["fields"]


def test_tokens_work_and_staff_without_mfa_are_refused(tenant_a, event, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    member = Token.objects.create(user=tenant_a.member)
    response = Client().get(event_url(event), HTTP_AUTHORIZATION=f"Token {member.key}")
    assert response.status_code == 200
    Authenticator.objects.filter(user=tenant_a.staff).delete()
    staff = Token.objects.create(user=tenant_a.staff)
    refused = Client().get(event_url(event), HTTP_AUTHORIZATION=f"Token {staff.key}")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "mfa_required"


def test_credit_amounts_keep_quarter_hours(tenant_a):
    response = api(tenant_a.staff).post(
        events_url(tenant_a.collaborative),
        _new_event(tenant_a, credits=[{"credit_type": "participation", "amount": "0.75"}]),
        format="json",
    )
    assert response.status_code == 201
    credit = EventCredit.objects.get(event__title="Learning session 4")
    assert credit.amount == Decimal("0.75")
