"""Scoped reads of events and registrations.

Who sees a collaborative's events: the people who see the collaborative
(collaboratives.selectors.collaboratives_visible_to: its program's staff and coaches,
and the members of its teams). Everyone else gets a 404, exactly as for an event that
does not exist. Program staff also manage them (`can_manage`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from accounts.models import User
from accounts.selectors import is_program_staff
from collaboratives.models import Collaborative, FocusArea
from collaboratives.selectors import collaboratives_visible_to
from core.clock import now

from .models import (
    Event,
    EventCredit,
    EventMaterial,
    EventSeries,
    Registration,
    RegistrationStatus,
)


def collaborative_or_404(*, user: User, collaborative_id) -> Collaborative:
    """The collaborative named in a URL if `user` may see its calendar; else Http404."""
    try:
        return collaboratives_visible_to(user=user).get(public_id=collaborative_id)
    except (Collaborative.DoesNotExist, ValidationError, ValueError):
        raise Http404("No such collaborative.") from None


def events_visible_to(*, user: User) -> QuerySet[Event]:
    """Events of every collaborative `user` may see."""
    visible = collaboratives_visible_to(user=user).values("pk")
    return Event.objects.filter(collaborative_id__in=visible).select_related(
        "collaborative", "program"
    )


def event_or_404(*, user: User, event_id) -> Event:
    """One event `user` may see, or Http404."""
    try:
        return events_visible_to(user=user).get(public_id=event_id)
    except (Event.DoesNotExist, ValidationError, ValueError):
        raise Http404("No such event.") from None


def can_manage(*, user: User, collaborative: Collaborative) -> bool:
    """Program staff create, edit and cancel a collaborative's events."""
    return is_program_staff(user=user, program=collaborative.program)


def with_seats(qs: QuerySet[Event]) -> QuerySet[Event]:
    """`seats_taken` on each event: the registrations holding a seat."""
    return qs.annotate(
        seats_taken=Count("registrations", filter=Q(registrations__status="registered"))
    )


@dataclass
class Calendar:
    upcoming: list[Event]
    past: list[Event]


def tracks_of(*, collaborative: Collaborative) -> QuerySet[FocusArea]:
    """The focus areas the collaborative's calendar can be filtered by: its program's."""
    return FocusArea.objects.filter(program_id=collaborative.program_id).order_by("name")


def calendar_of(*, collaborative: Collaborative, track: FocusArea | None = None) -> Calendar:
    """The collaborative's events: upcoming (soonest first), then past (latest first),
    optionally only those of one focus-area track.

    An event still running counts as upcoming until it ends.
    """
    qs = with_seats(
        Event.objects.filter(program_id=collaborative.program_id, collaborative=collaborative)
    ).prefetch_related("tracks")
    if track is not None:
        qs = qs.filter(tracks=track)
    moment = now()
    return Calendar(
        upcoming=list(qs.filter(ends_at__gt=moment).order_by("starts_at", "id")),
        past=list(qs.filter(ends_at__lte=moment).order_by("-starts_at", "-id")),
    )


def seats_taken(*, event: Event) -> int:
    return Registration.objects.filter(
        program_id=event.program_id, event=event, status=RegistrationStatus.REGISTERED
    ).count()


@dataclass
class Place:
    """The viewer's place at an event, for the event page and the .ics."""

    status: str | None  # a RegistrationStatus value, or None (never registered / cancelled)
    position: int | None = None  # 1 = next in line, for the waiting list

    @property
    def is_registered(self) -> bool:
        return self.status == RegistrationStatus.REGISTERED

    @property
    def is_waitlisted(self) -> bool:
        return self.status == RegistrationStatus.WAITLISTED


def place_of(*, event: Event, user: User) -> Place:
    """Whether `user` holds a seat, their position on the waiting list, or neither."""
    registration = Registration.objects.filter(
        program_id=event.program_id, event=event, user=user
    ).first()
    if registration is None or registration.status == RegistrationStatus.CANCELLED:
        return Place(status=None)
    if registration.status == RegistrationStatus.REGISTERED:
        return Place(status=registration.status)
    ahead = Registration.objects.filter(
        Q(created_at__lt=registration.created_at)
        | Q(created_at=registration.created_at, id__lt=registration.id),
        program_id=event.program_id,
        event=event,
        status=RegistrationStatus.WAITLISTED,
    ).count()
    return Place(status=registration.status, position=ahead + 1)


def registrations_of(*, event: Event) -> QuerySet[Registration]:
    """Who holds a seat or waits, for staff: seats first, then the queue in order."""
    return (
        Registration.objects.filter(program_id=event.program_id, event=event)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("user")
        .order_by("status", "created_at", "id")
    )


def series_or_404(*, user: User, series_id) -> EventSeries:
    """One series `user` may see (its collaborative is visible to them), or Http404."""
    visible = collaboratives_visible_to(user=user).values("pk")
    try:
        return EventSeries.objects.select_related("collaborative", "program").get(
            public_id=series_id, collaborative_id__in=visible
        )
    except (EventSeries.DoesNotExist, ValidationError, ValueError):
        raise Http404("No such series.") from None


def occurrences_of(*, series: EventSeries) -> QuerySet[Event]:
    """A series' events as they are now (each may have been edited or cancelled)."""
    return with_seats(
        Event.objects.filter(program_id=series.program_id, series=series).order_by(
            "starts_at", "id"
        )
    )


def recording_visible(*, event: Event) -> bool:
    """The recording link is shown once the event has started (never before: a link
    posted early would otherwise stand in for the live event)."""
    return bool(event.recording_url) and event.starts_at <= now()


def materials_of(*, event: Event) -> QuerySet[EventMaterial]:
    return EventMaterial.objects.filter(program_id=event.program_id, event=event)


def material_or_404(*, event: Event, material_id) -> EventMaterial:
    """A material of an event the caller may see (the event was found through
    event_or_404), or Http404."""
    try:
        return materials_of(event=event).get(public_id=material_id)
    except (EventMaterial.DoesNotExist, ValidationError, ValueError):
        raise Http404("No such material.") from None


def credits_of(*, event: Event) -> QuerySet[EventCredit]:
    return EventCredit.objects.filter(program_id=event.program_id, event=event)
