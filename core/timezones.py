"""Time zones of people: which ones exist, and how a moment is written for a reader.

Moments are stored in UTC. Pages show them in the viewer's zone (a profile choice,
else their collaborative's; teams.middleware activates it for each request), e-mails
in the recipient's (core.emails), and every written time carries its zone's
abbreviation ("17:24 EST"), so that a time read on a page, in an e-mail, in an
export and in an autosave message means one thing.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.core.exceptions import ValidationError
from django.utils import dateformat, timezone

#: Time zones of U.S. states and territories, where these programs run: offered first.
COMMON_TIME_ZONES = [
    ("America/New_York", "Eastern (New York)"),
    ("America/Chicago", "Central (Chicago)"),
    ("America/Denver", "Mountain (Denver)"),
    ("America/Phoenix", "Mountain, no daylight saving (Phoenix)"),
    ("America/Los_Angeles", "Pacific (Los Angeles)"),
    ("America/Anchorage", "Alaska (Anchorage)"),
    ("Pacific/Honolulu", "Hawaii (Honolulu)"),
    ("America/Puerto_Rico", "Atlantic (Puerto Rico)"),
    ("Pacific/Guam", "Chamorro (Guam)"),
    ("UTC", "UTC"),
]

#: How a date and time is written on pages; `format_local` adds the zone.
DATETIME_FORMAT = "j F Y, H:i"


@cache
def all_time_zone_names() -> frozenset[str]:
    """Every zone name this machine's tz database knows (IANA names, e.g. Europe/Paris)."""
    return frozenset(available_timezones())


def time_zone_choices() -> list:
    """Grouped choices for a select: the common U.S. zones, then every other zone."""
    common = {name for name, _ in COMMON_TIME_ZONES}
    others = sorted(all_time_zone_names() - common)
    return [
        ("United States", COMMON_TIME_ZONES),
        ("All time zones", [(name, name.replace("_", " ")) for name in others]),
    ]


def is_time_zone(name: str) -> bool:
    return name in all_time_zone_names() or name == "UTC"


def validate_time_zone(name: str) -> None:
    """Model and form validator: `name` must be a zone the tz database knows."""
    if name and not is_time_zone(name):
        raise ValidationError(f"Unknown time zone: {name}.", code="invalid")


def zone_info(name: str | None) -> ZoneInfo | None:
    """The zone called `name`, or None when it is empty or unknown."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def format_local(moment: datetime | None, fmt: str = DATETIME_FORMAT) -> str:
    """`moment` written in the active zone (the viewer's or recipient's), labelled.

    "6 December 2026, 17:24 EST": Django's date format of `fmt` followed by the
    zone's abbreviation for that moment (EST or EDT as daylight saving applies).
    """
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return f"{dateformat.format(local, fmt)} {local.tzname()}"
