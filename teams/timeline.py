"""What happened in a team's months, for the flags on its charts.

Measures draws a team's charts but must not know the features that fill the team's
months (PDSA cycles now; learning sessions attended later). Each feature registers a
source from its AppConfig.ready():

    register_timeline_source("pdsa", cycles_between)

A source is called as `source(team=..., first=..., last=..., measure_id=...)` for a
team the caller may see and returns `TimelineEvent`s dated between `first` and `last`;
`measure_id` is the measure being charted, so that a source can say which events are
linked to it (the flag then reads "Test of change linked to this measure: ...").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from .models import Team


@dataclass(frozen=True)
class TimelineEvent:
    """One thing that happened on `day`, in words fit for a chart flag."""

    day: date
    label: str
    url: str = ""
    #: Groups flags of one source on the chart ("pdsa", ...).
    kind: str = "event"
    #: Its dates in words ("planned 2 March 2026, tested 9 March 2026"), for the list
    #: under the chart.
    dates: str = ""


TimelineSource = Callable[..., list[TimelineEvent]]

_SOURCES: dict[str, TimelineSource] = {}


def register_timeline_source(name: str, source: TimelineSource) -> None:
    """Add (or replace, by name) a source of timeline events."""
    _SOURCES[name] = source


def team_timeline(*, team: Team, first: date, last: date, measure_id: int) -> list[TimelineEvent]:
    """Every source's events for the team between the dates, oldest first."""
    events = [
        event
        for name in sorted(_SOURCES)
        for event in _SOURCES[name](team=team, first=first, last=last, measure_id=measure_id)
    ]
    return sorted(events, key=lambda event: event.day)
