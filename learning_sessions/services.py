"""Writes: staff keep a collaborative's events; participants register and cancel.

Seats are counted under a row lock on the event (select_for_update), so two people
taking the last seat at once cannot both get it: the second waits for the first's
transaction and then sees the seat gone (waiting list). Whoever gives a seat up
hands it to the first person on the waiting list in the same transaction.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from collaboratives.models import Collaborative
from core.audit import audit_record
from core.background import enqueue_on_commit
from core.clock import now

from .models import Event, Registration, RegistrationStatus
from .tasks import send_event_reminders

#: The fields staff set on an event (forms and services agree on these names).
EVENT_FIELDS = (
    "kind",
    "title",
    "description",
    "agenda",
    "starts_at",
    "ends_at",
    "location",
    "join_url",
    "capacity",
    "recording_url",
    "ce_hours_offered",
)

#: Changes that move or re-point an event in people's calendars (SEQUENCE goes up).
_CALENDAR_FIELDS = ("title", "description", "starts_at", "ends_at", "location", "join_url")


def check_web_address(value: str) -> None:
    """Only http and https links: a javascript: or data: link would run in the viewer's page."""
    if value and urlsplit(value).scheme.lower() not in ("http", "https"):
        raise ValidationError("Use a web address starting with https:// or http://.")


def validate_event(*, collaborative: Collaborative, data: dict) -> None:
    """The rules every event keeps, whichever way it is written (form, service, later API)."""
    errors: dict[str, list[str]] = {}
    starts_at: datetime | None = data.get("starts_at")
    ends_at: datetime | None = data.get("ends_at")
    if starts_at and ends_at and ends_at <= starts_at:
        errors.setdefault("ends_at", []).append("The event must end after it starts.")
    zone = ZoneInfo(collaborative.timezone)
    if (
        starts_at
        and collaborative.start_date
        and starts_at.astimezone(zone).date() < (collaborative.start_date)
    ):
        errors.setdefault("starts_at", []).append(
            f"The collaborative starts on {collaborative.start_date:%-d %B %Y}; "
            "events fall within its dates."
        )
    if (
        ends_at
        and collaborative.end_date
        and ends_at.astimezone(zone).date() > (collaborative.end_date)
    ):
        errors.setdefault("ends_at", []).append(
            f"The collaborative ends on {collaborative.end_date:%-d %B %Y}; "
            "events fall within its dates."
        )
    capacity = data.get("capacity")
    if capacity is not None and capacity < 0:
        errors.setdefault("capacity", []).append("Seats cannot be fewer than 0.")
    hours = data.get("ce_hours_offered")
    if hours is not None and hours < Decimal(0):
        errors.setdefault("ce_hours_offered", []).append("CE hours cannot be negative.")
    for name in ("join_url", "recording_url"):
        try:
            check_web_address(data.get(name) or "")
        except ValidationError as error:
            errors.setdefault(name, []).extend(error.messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def event_create(*, collaborative: Collaborative, actor: User, **data) -> Event:
    """A new event on the collaborative's calendar (program staff; the view checks)."""
    validate_event(collaborative=collaborative, data=data)
    event = Event.objects.create(
        program_id=collaborative.program_id,
        collaborative=collaborative,
        recording_posted_at=now() if data.get("recording_url") else None,
        **{name: data[name] for name in EVENT_FIELDS if name in data},
    )
    audit_record(actor=actor, verb="event.created", target=event)
    return event


@transaction.atomic
def event_update(*, event: Event, actor: User, **data) -> Event:
    """Change an event; more seats hand them to the waiting list at once."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    validate_event(collaborative=event.collaborative, data=data)
    changed = [n for n in EVENT_FIELDS if n in data and getattr(event, n) != data[n]]
    for name in changed:
        setattr(event, name, data[name])
    if any(name in _CALENDAR_FIELDS for name in changed):
        event.sequence += 1
    recording_posted = "recording_url" in changed and bool(event.recording_url)
    if recording_posted:
        # The recording notice is due from now (once per link, learning_sessions.reminders).
        event.recording_posted_at = now()
    event.save()
    if changed:
        audit_record(actor=actor, verb="event.updated", target=event, data={"fields": changed})
    if not event.is_cancelled:
        _fill_seats(event)
    if recording_posted and not event.is_cancelled:
        # Tell people now rather than at the next periodic scan; the scan is the safety net.
        enqueue_on_commit(send_event_reminders, event.pk)
    return event


@transaction.atomic
def event_cancel(*, event: Event, actor: User) -> Event:
    """Cancel the event: it stays on the calendar, marked cancelled, and refuses registration."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not event.is_cancelled:
        event.is_cancelled = True
        event.sequence += 1
        event.save(update_fields=["is_cancelled", "sequence", "updated_at"])
        audit_record(actor=actor, verb="event.cancelled", target=event)
    return event


def _seats_taken(event: Event) -> int:
    return Registration.objects.filter(
        program_id=event.program_id, event=event, status=RegistrationStatus.REGISTERED
    ).count()


def _fill_seats(event: Event) -> None:
    """Give free seats to the waiting list, first come first served (event row locked)."""
    waiting = Registration.objects.select_for_update().filter(
        program_id=event.program_id, event=event, status=RegistrationStatus.WAITLISTED
    )
    free = None if event.capacity is None else max(event.capacity - _seats_taken(event), 0)
    queue = waiting.order_by("created_at", "id")
    promoted = list(queue if free is None else queue[:free])
    for registration in promoted:
        registration.status = RegistrationStatus.REGISTERED
        registration.save(update_fields=["status", "updated_at"])


@transaction.atomic
def register(*, event: Event, user: User) -> Registration:
    """A seat for `user`, or a place on the waiting list when the event is full.

    Refused (ValidationError) for a cancelled or finished event and for someone who
    already holds a seat or a place in the queue.
    """
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.is_cancelled:
        raise ValidationError("This event was cancelled; registration is closed.")
    if event.ends_at <= now():
        raise ValidationError("This event is over; registration is closed.")
    registration = (
        Registration.objects.select_for_update()
        .filter(program_id=event.program_id, event=event, user=user)
        .first()
    )
    if registration is not None and registration.status != RegistrationStatus.CANCELLED:
        raise ValidationError("You are already registered for this event.")
    full = event.capacity is not None and _seats_taken(event) >= event.capacity
    status = RegistrationStatus.WAITLISTED if full else RegistrationStatus.REGISTERED
    if registration is None:
        registration = Registration(program_id=event.program_id, event=event, user=user)
    registration.status = status
    registration.created_at = now()
    registration.save()
    return registration


@transaction.atomic
def cancel_registration(*, event: Event, user: User) -> Registration:
    """Give up a seat or a place in the queue; a freed seat goes to the next in line."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    registration = (
        Registration.objects.select_for_update()
        .filter(program_id=event.program_id, event=event, user=user)
        .exclude(status=RegistrationStatus.CANCELLED)
        .first()
    )
    if registration is None:
        raise ValidationError("You are not registered for this event.")
    registration.status = RegistrationStatus.CANCELLED
    registration.save(update_fields=["status", "updated_at"])
    if not event.is_cancelled:
        _fill_seats(event)
    return registration
