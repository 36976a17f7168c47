"""An RFC 5545 check for the tests: the properties a calendar client relies on, and a
second, strict parser (allenporter/ical, used by Home Assistant) that must accept it.

The two complement each other: `ical` validates every value's type, each TZID against
the tz database and the component structure, but quietly fills in a missing UID or
DTSTAMP; `rfc5545_problems` checks that the required properties are really there."""

from __future__ import annotations

import icalendar
from ical.calendar_stream import IcsCalendarStream


def rfc5545_problems(raw: bytes) -> list[str]:
    """What the object breaks of RFC 5545 3.4-3.6 (the rules these files can break)."""
    problems = []
    text = raw.decode("utf-8")
    if not text.startswith("BEGIN:VCALENDAR\r\n") or not text.endswith("END:VCALENDAR\r\n"):
        problems.append("not one VCALENDAR with CRLF line ends")
    if any(len(line.encode()) > 75 for line in text.split("\r\n")):
        problems.append("a content line longer than 75 octets (3.1)")
    calendar = icalendar.Calendar.from_ical(raw)
    for prop in ("PRODID", "VERSION"):
        if prop not in calendar:
            problems.append(f"VCALENDAR without {prop} (3.6)")
    if calendar.get("VERSION") != "2.0":
        problems.append("VERSION is not 2.0")
    zones = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    uids = []
    for event in calendar.walk("VEVENT"):
        for prop in ("UID", "DTSTAMP", "DTSTART"):
            if prop not in event:
                problems.append(f"VEVENT without {prop} (3.6.1)")
        uids.append(str(event.get("UID")))
        if "DTEND" in event and "DURATION" in event:
            problems.append("VEVENT with both DTEND and DURATION")
        for prop in ("DTSTART", "DTEND"):
            if prop in event:
                tzid = event[prop].params.get("TZID")
                if tzid and tzid not in zones:
                    problems.append(f"TZID {tzid} used without its VTIMEZONE (3.2.19)")
                if prop == "DTEND" and event.decoded("DTEND") <= event.decoded("DTSTART"):
                    problems.append("DTEND not after DTSTART")
        if "DTSTAMP" in event and event["DTSTAMP"].dt.tzinfo is None:
            problems.append("DTSTAMP not in UTC (3.8.7.2)")
    if len(uids) != len(set(uids)):
        problems.append("two VEVENTs with one UID and no RECURRENCE-ID")
    return problems


def strict_parse(raw: bytes):
    """Parse with the strict `ical` package; raises on anything it rejects."""
    return IcsCalendarStream.calendar_from_ics(raw.decode("utf-8"))
