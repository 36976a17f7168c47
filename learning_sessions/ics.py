"""An event as an iCalendar file (RFC 5545), built with the icalendar library.

The UID comes from the event's public id, so a calendar that imports the file again
(after staff moved or cancelled the event) updates the entry instead of adding a
second one; SEQUENCE says which version is newer. Times carry the collaborative's
TZID with its VTIMEZONE, so clients show them right across daylight-saving changes.
The join link is written only for a person holding a seat.
"""

from __future__ import annotations

from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar

from core.clock import now
from core.emails import absolute_url

from .models import Event

PRODID = "-//QI Collaboratives//Learning sessions//EN"


def event_uid(event: Event) -> str:
    """Stable across edits and exports: the same event is the same calendar entry."""
    host = urlsplit(absolute_url("/")).hostname or "localhost"
    return f"event-{event.public_id}@{host}"


def event_ics(*, event: Event, include_join_url: bool, page_url: str) -> bytes:
    """The .ics file for one event, for one reader (with the join link or without)."""
    zone = ZoneInfo(event.collaborative.timezone)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    entry = icalendar.Event()
    entry.add("uid", event_uid(event))
    entry.add("dtstamp", now())
    entry.add("last-modified", event.updated_at)
    entry.add("sequence", event.sequence)
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
    calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()
