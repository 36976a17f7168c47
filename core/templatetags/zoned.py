"""`{{ moment|zoned }}`: a time as the viewer reads it, with its zone ("17:24 EST")."""

from datetime import datetime

from django import template

from core.timezones import DATETIME_FORMAT, format_local

register = template.Library()


@register.filter
def zoned(moment: datetime | None, fmt: str = DATETIME_FORMAT) -> str:
    """`moment` in the viewer's zone (activated per request), labelled with the zone.

    Use it wherever a page shows a time of day; dates alone need no label.
    """
    return format_local(moment, fmt)
