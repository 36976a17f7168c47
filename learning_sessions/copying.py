"""Copying a collaborative brings its calendar forward (collaboratives.copying).

Every event that was not cancelled, and every series, moves by `shift_days` on the
local wall clock: a session at 13:00 New York time stays at 13:00 in the copy's zone
even when the shift crosses a daylight-saving change. Registrations, attendance,
evaluations and recordings belong to the run that happened and are never copied.
Tracks and the credit offered come along; materials do not (their files belong to
the event they were uploaded to, and removing one deletes its file).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from collaboratives.copying import copy_step
from collaboratives.models import Collaborative

from .models import Event, EventCredit, EventSeries

#: What an event brings into the copy (not its registrations, recording or sequence).
COPIED_EVENT_FIELDS = (
    "kind",
    "title",
    "description",
    "agenda",
    "location",
    "join_url",
    "capacity",
)
COPIED_SERIES_FIELDS = (
    "frequency",
    "interval",
    "weekday",
    "week_of_month",
    "start_time",
    "duration_minutes",
    "count",
    "kind",
    "title",
    "description",
    "location",
    "join_url",
    "capacity",
    "created_by_id",
)


def shift_local(
    moment: datetime, *, source_zone: ZoneInfo, target_zone: ZoneInfo, days: int
) -> datetime:
    """`moment`'s wall-clock time in the source zone, `days` later, in the target zone."""
    local = moment.astimezone(source_zone).replace(tzinfo=None) + timedelta(days=days)
    return local.replace(tzinfo=target_zone)


@copy_step("learning_sessions")
def copy_calendar(source: Collaborative, target: Collaborative, shift_days: int) -> None:
    """The source's live events and its series, moved forward by `shift_days`."""
    source_zone = ZoneInfo(source.timezone)
    target_zone = ZoneInfo(target.timezone)
    series_map: dict[int, EventSeries] = {}
    for series in EventSeries.objects.filter(
        program_id=source.program_id, collaborative=source
    ).order_by("id"):
        series_map[series.pk] = EventSeries.objects.create(
            program_id=target.program_id,
            collaborative=target,
            first_date=series.first_date + timedelta(days=shift_days),
            timezone=target.timezone,
            **{name: getattr(series, name) for name in COPIED_SERIES_FIELDS},
        )
    events, originals = [], []
    for event in (
        Event.objects.filter(program_id=source.program_id, collaborative=source, is_cancelled=False)
        .prefetch_related("tracks", "credits")
        .order_by("starts_at", "id")
    ):
        starts_at = shift_local(
            event.starts_at, source_zone=source_zone, target_zone=target_zone, days=shift_days
        )
        ends_at = shift_local(
            event.ends_at, source_zone=source_zone, target_zone=target_zone, days=shift_days
        )
        if ends_at.astimezone(UTC) <= starts_at.astimezone(UTC):
            # A wall-clock end that a clock change folds back before the start.
            ends_at = starts_at + (event.ends_at - event.starts_at)
        events.append(
            Event(
                program_id=target.program_id,
                collaborative=target,
                series=series_map.get(event.series_id),
                starts_at=starts_at,
                ends_at=ends_at,
                **{name: getattr(event, name) for name in COPIED_EVENT_FIELDS},
            )
        )
        originals.append(event)
    Event.objects.bulk_create(events)
    _copy_tracks_and_credits(originals, events, program_id=target.program_id)


def _copy_tracks_and_credits(originals: list[Event], copies: list[Event], *, program_id) -> None:
    """Each copy offers the same credit and sits on the same (program-wide) tracks."""
    links, credits = [], []
    for original, copy in zip(originals, copies, strict=True):
        links += [
            Event.tracks.through(event_id=copy.pk, focusarea_id=track.pk)
            for track in original.tracks.all()
        ]
        credits += [
            EventCredit(
                program_id=program_id,
                event=copy,
                credit_type=credit.credit_type,
                amount=credit.amount,
            )
            for credit in original.credits.all()
        ]
    Event.tracks.through.objects.bulk_create(links)
    EventCredit.objects.bulk_create(credits)
