"""Events as iCalendar (RFC 5545), built with the icalendar library.

The UID comes from the event's public id, so a calendar that imports the file again
(after staff moved or cancelled the event) updates the entry instead of adding a
second one; SEQUENCE says which version is newer (services raise it on every change
people's calendars must pick up, and on cancelling). Times carry the collaborative's
TZID with its VTIMEZONE, so clients show them right across daylight-saving changes.
The join link is written only for a person holding a seat.

METHOD, and why it differs between the two outputs:

* The per-event download is an iTIP message in the sense of RFC 5546: a person opens
  it to put the event into (or, once cancelled, take it out of) their calendar. A
  live event is sent as METHOD:PUBLISH (RFC 5546 3.2.1: ORGANIZER, UID, DTSTAMP,
  DTSTART, SUMMARY; SEQUENCE when above 0). A cancelled one is sent as METHOD:CANCEL
  (3.2.5: ORGANIZER, UID, DTSTAMP, SEQUENCE, STATUS:CANCELLED, and the ATTENDEE being
  removed - the person downloading it), so a client that imported the event earlier
  removes it instead of adding a second, "Cancelled" entry.
* The subscription feed carries no METHOD. RFC 5545 3.7.2: without METHOD "a
  scheduling transaction MUST NOT be assumed" and the object is "merely ... a
  snapshot of some calendar information". That is what a subscribed feed is: clients
  replace their copy with each fetch. Mixing live and cancelled events in one object
  cannot be a single iTIP method anyway (PUBLISH and CANCEL differ), so cancelled
  events stay in the snapshot with STATUS:CANCELLED and their raised SEQUENCE, which
  subscribed clients show as cancelled or drop.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from email.utils import parseaddr
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings

from core.clock import now
from core.emails import absolute_url

from .models import Event

PRODID = "-//QI Collaboratives//Learning sessions//EN"


def event_uid(event: Event) -> str:
    """Stable across edits and exports: the same event is the same calendar entry."""
    host = urlsplit(absolute_url("/")).hostname or "localhost"
    return f"event-{event.public_id}@{host}"


def _organizer(event: Event) -> icalendar.vCalAddress:
    """The program that runs the event (its contact address, else the site's sender)."""
    program = event.program
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    address = program.contact_email or address or "noreply@localhost"
    organizer = icalendar.vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = icalendar.vText(program.name or name)
    return organizer


def _calendar(*, method: str | None, name: str | None = None) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def _vevent(*, event: Event, include_join_url: bool, page_url: str) -> icalendar.Event:
    zone = ZoneInfo(event.collaborative.timezone)
    entry = icalendar.Event()
    entry.add("uid", event_uid(event))
    entry.add("dtstamp", now())
    entry.add("last-modified", event.updated_at)
    entry.add("sequence", event.sequence)
    entry.add("organizer", _organizer(event))
    entry.add("dtstart", event.starts_at.astimezone(zone))
    entry.add("dtend", event.ends_at.astimezone(zone))
    title = f"{event.title} ({event.collaborative.title})"
    entry.add("summary", f"Cancelled: {title}" if event.is_cancelled else title)
    description = [event.description.strip()]
    if event.agenda.strip():
        description.append("Agenda:\n" + event.agenda.strip())
    if include_join_url and event.join_url and not event.is_cancelled:
        description.append(f"Join: {event.join_url}")
    description.append(f"Details: {page_url}")
    entry.add("description", "\n\n".join(part for part in description if part))
    entry.add("url", page_url)
    if event.location:
        entry.add("location", event.location)
    entry.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    return entry


def event_ics_method(event: Event) -> str:
    """PUBLISH for a live event, CANCEL once it is cancelled (see the module's text)."""
    return "CANCEL" if event.is_cancelled else "PUBLISH"


def event_ics(
    *, event: Event, include_join_url: bool, page_url: str, attendee_email: str = ""
) -> bytes:
    """The .ics file for one event, for one reader (with the join link or without).

    For a cancelled event `attendee_email` (the reader) is named as the ATTENDEE the
    CANCEL removes the event for.
    """
    calendar = _calendar(method=event_ics_method(event))
    entry = _vevent(event=event, include_join_url=include_join_url, page_url=page_url)
    if event.is_cancelled and attendee_email:
        entry.add("attendee", icalendar.vCalAddress(f"mailto:{attendee_email}"))
    calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def feed_ics(*, events: Iterable[Event], name: str, page_url: Callable[[Event], str]) -> bytes:
    """A person's subscription feed: a snapshot without METHOD (see the module's text).

    Every event is one the person holds a seat at, so the join link is included.
    """
    calendar = _calendar(method=None, name=name)
    for event in events:
        calendar.add_component(
            _vevent(event=event, include_join_url=True, page_url=page_url(event))
        )
    calendar.add_missing_timezones()
    return calendar.to_ical()
