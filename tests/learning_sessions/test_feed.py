"""The personal subscription feed: making, replacing and revoking its secret address,
what it holds (registered events the person can still see, cancelled ones marked),
that it updates (same UID, higher SEQUENCE) and that it validates (RFC 5545 rules and
two parsers). Also the per-event .ics's METHOD handling."""

from datetime import timedelta

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from ical.exceptions import CalendarParseError

from core.models import AuditEvent
from learning_sessions import feeds, services
from learning_sessions.ics import event_uid
from learning_sessions.models import CalendarFeed
from teams.models import TeamMembership

from .conftest import make_event
from .ics_rules import rfc5545_problems, strict_parse

pytestmark = pytest.mark.django_db

MANAGE = "learning_sessions:feed_manage"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def feed_url(token: str) -> str:
    return reverse("learning_sessions:calendar_feed", kwargs={"token": token})


def new_token(client: Client) -> str:
    response = client.post(reverse(MANAGE), {"action": "create"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    start = page.index("/calendar/feed/") + len("/calendar/feed/")
    return page[start : page.index(".ics", start)]


def vevents(response) -> dict:
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_the_address_is_shown_once_and_stored_hashed(tenant_a):
    client = signed_in(tenant_a.lead)
    assert "no subscription address yet" in client.get(reverse(MANAGE)).content.decode()
    token = new_token(client)
    feed = CalendarFeed.objects.get(user=tenant_a.lead)
    assert token not in feed.token_digest and len(feed.token_digest) == 64
    page = client.get(reverse(MANAGE)).content.decode()
    assert token not in page and "Replace the address" in page
    assert AuditEvent.objects.filter(verb="calendar_feed.created", actor=tenant_a.lead).exists()


def test_feed_lists_registered_events_with_join_links_and_no_login(tenant_a):
    mine = make_event(tenant_a, title="Mine", days=3)
    make_event(tenant_a, title="Not mine", days=4)
    services.register(event=mine, user=tenant_a.lead)
    token = new_token(signed_in(tenant_a.lead))
    response = Client().get(feed_url(token))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    entries = vevents(response)
    assert list(entries) == [event_uid(mine)]
    assert "secret-room" in str(entries[event_uid(mine)]["DESCRIPTION"])
    assert b"METHOD" not in response.content
    assert rfc5545_problems(response.content) == []
    assert strict_parse(response.content).events[0].uid == event_uid(mine)
    assert CalendarFeed.objects.get(user=tenant_a.lead).last_fetched_at is not None


def test_moved_and_cancelled_events_keep_their_uid_and_raise_sequence(tenant_a):
    event = make_event(tenant_a, title="Moving", days=3)
    services.register(event=event, user=tenant_a.lead)
    token = new_token(signed_in(tenant_a.lead))
    before = vevents(Client().get(feed_url(token)))[event_uid(event)]

    data = {n: getattr(event, n) for n in services.EVENT_FIELDS}
    later = timedelta(hours=2)
    data.update(starts_at=event.starts_at + later, ends_at=event.ends_at + later)
    services.event_update(event=event, actor=tenant_a.staff, **data)
    moved = vevents(Client().get(feed_url(token)))[event_uid(event)]
    assert moved["SEQUENCE"] > before["SEQUENCE"]
    assert moved.decoded("DTSTART") - before.decoded("DTSTART") == timedelta(hours=2)

    services.event_cancel(event=event, actor=tenant_a.staff)
    response = Client().get(feed_url(token))
    cancelled = vevents(response)[event_uid(event)]
    assert cancelled["STATUS"] == "CANCELLED"
    assert cancelled["SEQUENCE"] > moved["SEQUENCE"]
    assert "secret-room" not in str(cancelled["DESCRIPTION"])
    assert rfc5545_problems(response.content) == []
    [strict] = strict_parse(response.content).events
    assert strict.status == "CANCELLED" and strict.sequence == cancelled["SEQUENCE"]


def test_replacing_the_address_kills_the_old_one_and_revoking_kills_both(tenant_a):
    client = signed_in(tenant_a.lead)
    old = new_token(client)
    new = new_token(client)
    assert old != new
    assert Client().get(feed_url(old)).status_code == 404
    assert Client().get(feed_url(new)).status_code == 200
    assert client.post(reverse(MANAGE), {"action": "revoke"}).status_code == 302
    assert Client().get(feed_url(new)).status_code == 404
    assert not CalendarFeed.objects.filter(user=tenant_a.lead).exists()
    assert AuditEvent.objects.filter(verb="calendar_feed.revoked").exists()
    # an unknown action changes nothing
    newest = new_token(client)
    client.post(reverse(MANAGE), {"action": "explode"})
    assert Client().get(feed_url(newest)).status_code == 200


def test_events_of_collaboratives_no_longer_visible_drop_out(tenant_a):
    event = make_event(tenant_a, title="Team only", days=3)
    services.register(event=event, user=tenant_a.lead)
    token = new_token(signed_in(tenant_a.lead))
    assert event_uid(event) in vevents(Client().get(feed_url(token)))
    TeamMembership.objects.filter(user=tenant_a.lead).delete()
    assert vevents(Client().get(feed_url(token))) == {}
    tenant_a.lead.is_active = False
    tenant_a.lead.save()
    assert Client().get(feed_url(token)).status_code == 404


def test_each_feed_holds_only_its_owners_events(tenant_a, tenant_b):
    """tenant_b's member is registered (tenant builder); tenant_a's lead sees none of it."""
    token = new_token(signed_in(tenant_a.lead))
    body = Client().get(feed_url(token)).content.decode()
    assert "BRAVO" not in body and tenant_b.program.name not in body
    member_b = new_token(signed_in(tenant_b.member))
    body_b = Client().get(feed_url(member_b)).content.decode()
    assert tenant_b.program.name in body_b and tenant_a.program.name not in body_b


def test_guessing_is_rate_limited(tenant_a):
    token = new_token(signed_in(tenant_a.lead))
    client = Client()
    for _ in range(feeds.FAILED_LOOKUPS_ALLOWED):
        assert client.get(feed_url("x" * 43)).status_code == 404
    assert client.get(feed_url("y" * 43)).status_code == 429
    # the limit is per client address: another address still gets its feed
    assert Client(REMOTE_ADDR="10.9.8.7").get(feed_url(token)).status_code == 200


def test_manage_page_needs_a_login():
    assert Client().get(reverse(MANAGE)).status_code == 302
    assert Client().post(reverse(MANAGE), {"action": "create"}).status_code == 302
    assert not CalendarFeed.objects.exists()


# --- the per-event .ics ------------------------------------------------------------


def event_ics(client, event):
    return client.get(reverse("learning_sessions:event_ics", kwargs={"event_id": event.public_id}))


def test_per_event_ics_is_publish_then_cancel_and_validates(tenant_a):
    event = make_event(tenant_a, days=5)
    client = signed_in(tenant_a.member)
    live = event_ics(client, event)
    assert live["Content-Type"] == "text/calendar; charset=utf-8; method=PUBLISH"
    calendar = icalendar.Calendar.from_ical(live.content)
    assert calendar["METHOD"] == "PUBLISH"
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["ORGANIZER"]).startswith("mailto:")  # RFC 5546 3.2.1
    assert rfc5545_problems(live.content) == []
    strict_parse(live.content)
    assert icalendar.Calendar.from_ical(calendar.to_ical()) == calendar

    services.event_cancel(event=event, actor=tenant_a.staff)
    gone = event_ics(client, event)
    assert gone["Content-Type"].endswith("method=CANCEL")
    calendar = icalendar.Calendar.from_ical(gone.content)
    assert calendar["METHOD"] == "CANCEL"
    [vevent] = calendar.walk("VEVENT")
    # RFC 5546 3.2.5: ORGANIZER, UID, DTSTAMP, SEQUENCE, STATUS:CANCELLED, the ATTENDEE
    assert vevent["STATUS"] == "CANCELLED" and vevent["SEQUENCE"] == 1
    assert str(vevent["ATTENDEE"]) == f"mailto:{tenant_a.member.email}"
    assert "ORGANIZER" in vevent
    assert rfc5545_problems(gone.content) == []
    strict_parse(gone.content)


def test_the_rule_check_catches_a_broken_file():
    """The check above can fail: a file without UID or VTIMEZONE is reported."""
    broken = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nBEGIN:VEVENT\r\n"
        b"DTSTAMP:20261120T120000Z\r\nDTSTART;TZID=America/New_York:20261201T130000\r\n"
        b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    problems = rfc5545_problems(broken)
    assert "VEVENT without UID (3.6.1)" in problems
    assert any("without its VTIMEZONE" in p for p in problems)
    # the strict parser fills in a missing UID, but rejects malformed values and zones
    for bad in (b"SEQUENCE:first\r\n", b"DTEND;TZID=Nowhere/City:20261201T140000\r\n"):
        with pytest.raises(CalendarParseError):
            strict_parse(broken.replace(b"END:VEVENT", b"UID:x\r\n" + bad + b"END:VEVENT"))
