"""Every event page for every persona, the staff form's bad input, and the .ics file."""

from datetime import UTC, timedelta

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from learning_sessions import services
from learning_sessions.models import Event, RegistrationStatus
from learning_sessions.selectors import place_of

from .conftest import make_event

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def url(name, event=None, collaborative=None) -> str:
    if collaborative is not None:
        return reverse(
            f"learning_sessions:{name}", kwargs={"collaborative_id": collaborative.public_id}
        )
    return reverse(f"learning_sessions:{name}", kwargs={"event_id": event.public_id})


READ_VIEWS = ["event_detail", "event_ics"]


@pytest.mark.parametrize("persona", ["staff", "admin", "coach", "lead", "member"])
def test_people_of_the_collaborative_see_its_events(persona, tenant_a, event):
    client = client_for(getattr(tenant_a, persona))
    response = client.get(url("event_list", collaborative=tenant_a.collaborative))
    assert response.status_code == 200
    assert event.title in response.content.decode()
    for name in READ_VIEWS:
        assert client.get(url(name, event)).status_code == 200


@pytest.mark.parametrize("who", ["other_program_staff", "plain_user"])
def test_everyone_else_gets_404(who, request, tenant_a, event):
    client = client_for(request.getfixturevalue(who))
    assert client.get(url("event_list", collaborative=tenant_a.collaborative)).status_code == 404
    assert client.get(url("event_create", collaborative=tenant_a.collaborative)).status_code == 404
    for name in ["event_detail", "event_ics", "event_edit"]:
        assert client.get(url(name, event)).status_code == 404
    for name in ["event_register", "event_unregister", "event_cancel"]:
        assert client.post(url(name, event)).status_code == 404
    assert not event.registrations.exists()
    event.refresh_from_db()
    assert not event.is_cancelled


def test_anonymous_visitors_are_sent_to_sign_in(tenant_a, event):
    client = Client()
    for address in [
        url("event_list", collaborative=tenant_a.collaborative),
        url("event_create", collaborative=tenant_a.collaborative),
        url("event_detail", event),
        url("event_ics", event),
        url("event_edit", event),
    ]:
        response = client.get(address)
        assert response.status_code == 302 and "login" in response["Location"]
    assert client.post(url("event_register", event)).status_code == 302
    assert not event.registrations.exists()


@pytest.mark.parametrize("persona", ["coach", "lead", "member"])
def test_only_staff_manage_events(persona, tenant_a, event):
    client = client_for(getattr(tenant_a, persona))
    assert client.get(url("event_create", collaborative=tenant_a.collaborative)).status_code == 403
    assert client.get(url("event_edit", event)).status_code == 403
    assert client.post(url("event_cancel", event)).status_code == 403
    event.refresh_from_db()
    assert not event.is_cancelled


def form_data(**overrides):
    data = {
        "kind": "learning_session",
        "title": "Learning session 3",
        "starts_at": "2026-12-15T13:00",
        "ends_at": "2026-12-15T14:30",
        "location": "",
        "join_url": "https://meet.example/ls3",
        "capacity": "30",
        "recording_url": "",
        "credit_ama_pra_1": "1.5",
        "description": "",
        "agenda": "",
    }
    data.update(overrides)
    return data


def test_staff_create_an_event_in_the_collaborative_zone(tenant_a):
    tenant_a.collaborative.timezone = "America/Chicago"
    tenant_a.collaborative.save()
    response = client_for(tenant_a.staff).post(
        url("event_create", collaborative=tenant_a.collaborative), form_data()
    )
    assert response.status_code == 302
    event = Event.objects.get(program=tenant_a.program, title="Learning session 3")
    assert event.starts_at.astimezone(UTC).hour == 19  # 13:00 CST
    assert event.collaborative == tenant_a.collaborative


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"ends_at": "2026-12-15T12:00"}, "end after it starts"),
        ({"join_url": "javascript:alert(1)"}, "https://"),
        ({"recording_url": "data:text/html,hi"}, "https://"),
        ({"capacity": "-2"}, "fewer than 0"),
        ({"starts_at": "2031-01-01T10:00", "ends_at": "2031-01-01T11:00"}, "within its dates"),
        ({"starts_at": "next tuesday"}, "Enter a date and time"),
        ({"starts_at": "0001-01-01T00:00"}, "Enter a date between"),
        ({"capacity": "99999999999"}, "less than or equal to 100000"),
    ],
)
def test_the_form_explains_bad_input(tenant_a, overrides, message):
    response = client_for(tenant_a.staff).post(
        url("event_create", collaborative=tenant_a.collaborative), form_data(**overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Event.objects.filter(program=tenant_a.program, title="Learning session 3").exists()


def test_staff_edit_and_cancel(tenant_a, event):
    client = client_for(tenant_a.staff)
    page = client.get(url("event_edit", event)).content.decode()
    assert event.title in page
    response = client.post(url("event_edit", event), form_data(title="Renamed"))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Renamed" and event.capacity == 30
    assert client.post(url("event_cancel", event)).status_code == 302
    event.refresh_from_db()
    assert event.is_cancelled
    assert "This event was cancelled" in client.get(url("event_detail", event)).content.decode()


def test_register_wait_and_cancel_through_the_pages(tenant_a):
    event = make_event(tenant_a, capacity=1)
    lead, member = client_for(tenant_a.lead), client_for(tenant_a.member)
    assert "secret-room" not in lead.get(url("event_detail", event)).content.decode()
    lead.post(url("event_register", event))
    assert "secret-room" in lead.get(url("event_detail", event)).content.decode()
    member.post(url("event_register", event))
    page = member.get(url("event_detail", event)).content.decode()
    assert "waiting list, position 1" in page and "secret-room" not in page
    lead.post(url("event_unregister", event))
    assert place_of(event=event, user=tenant_a.member).status == RegistrationStatus.REGISTERED
    page = member.get(url("event_detail", event)).content.decode()
    assert "secret-room" in page
    # a second registration is refused with a message, not an error page
    response = member.post(url("event_register", event), follow=True)
    assert "already registered" in response.content.decode()


def test_the_lists_put_upcoming_first_and_past_below(tenant_a):
    make_event(tenant_a, days=-10, title="Kick-off that happened")
    make_event(tenant_a, days=5, title="Next office hours")
    page = (
        client_for(tenant_a.member)
        .get(url("event_list", collaborative=tenant_a.collaborative))
        .content.decode()
    )
    assert page.index("Next office hours") < page.index("Past") < page.index("Kick-off")
    past = Event.objects.get(program=tenant_a.program, title="Kick-off that happened")
    page = client_for(tenant_a.member).get(url("event_detail", past)).content.decode()
    assert "Registration is closed" in page and ">Register<" not in page


def test_navigation_links_to_the_calendar(tenant_a):
    events = url("event_list", collaborative=tenant_a.collaborative)
    staff_page = client_for(tenant_a.staff).get(
        reverse(
            "collaboratives:detail", kwargs={"collaborative_id": tenant_a.collaborative.public_id}
        )
    )
    assert events in staff_page.content.decode()
    team_page = client_for(tenant_a.member).get(
        reverse("teams:detail", kwargs={"team_id": tenant_a.team.public_id})
    )
    assert events in team_page.content.decode()


# --- .ics -------------------------------------------------------------------------------


def parse(response) -> icalendar.Calendar:
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def test_ics_has_the_rfc_5545_properties_and_round_trips(tenant_a):
    starts = timezone.now().replace(minute=30, second=0, microsecond=0) + timedelta(days=2)
    event = make_event(
        tenant_a,
        title='Sepsis; part 1, "basics"\\ and more',
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
    )
    response = client_for(tenant_a.member).get(url("event_ics", event))
    raw = response.content.decode()
    assert raw.startswith("BEGIN:VCALENDAR\r\n")
    calendar = parse(response)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    [vevent] = calendar.walk("VEVENT")
    for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "SUMMARY"):
        assert prop in vevent, prop
    assert str(vevent["UID"]).startswith(f"event-{event.public_id}@")
    assert vevent["DTSTART"].params["TZID"] == tenant_a.collaborative.timezone
    assert vevent.decoded("DTSTART") == event.starts_at
    [vtimezone] = calendar.walk("VTIMEZONE")
    assert vtimezone["TZID"] == tenant_a.collaborative.timezone
    # commas, semicolons and backslashes are escaped on the wire and come back whole
    assert 'SUMMARY:Sepsis\\; part 1\\, "basics"\\\\ and more' in raw
    assert str(vevent["SUMMARY"]).startswith('Sepsis; part 1, "basics"\\ and more')
    assert icalendar.Calendar.from_ical(calendar.to_ical()) == calendar
    # every line folded at 75 octets
    assert all(len(line.encode()) <= 75 for line in raw.split("\r\n"))


def test_ics_join_link_only_for_registered_people(tenant_a, event):
    member = client_for(tenant_a.member)
    assert "secret-room" not in member.get(url("event_ics", event)).content.decode()
    services.register(event=event, user=tenant_a.member)
    assert "secret-room" in member.get(url("event_ics", event)).content.decode()
    assert (
        "secret-room"
        not in client_for(tenant_a.staff).get(url("event_ics", event)).content.decode()
    )


def test_ics_of_a_cancelled_event_says_so_with_the_same_uid(tenant_a, event):
    client = client_for(tenant_a.member)
    before = parse(client.get(url("event_ics", event))).walk("VEVENT")[0]
    services.event_cancel(event=event, actor=tenant_a.staff)
    after = parse(client.get(url("event_ics", event))).walk("VEVENT")[0]
    assert after["UID"] == before["UID"]
    assert after["STATUS"] == "CANCELLED"
    assert after["SEQUENCE"] > before["SEQUENCE"]


def test_event_page_shows_times_in_the_viewers_zone_labelled(tenant_a):
    starts = timezone.now().replace(hour=18, minute=0, second=0, microsecond=0) + timedelta(days=3)
    event = make_event(tenant_a, starts_at=starts, ends_at=starts + timedelta(hours=1))
    page = client_for(tenant_a.member).get(url("event_detail", event)).content.decode()
    # the member sees the collaborative's zone (America/New_York) unless they chose one
    assert "13:00 EST" in page
