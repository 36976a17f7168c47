"""Writes: staff keep a collaborative's events; participants register and cancel.

Seats are counted under a row lock on the event (select_for_update), so two people
taking the last seat at once cannot both get it: the second waits for the first's
transaction and then sees the seat gone (waiting list). Whoever gives a seat up
hands it to the first person on the waiting list in the same transaction.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from accounts.models import User
from collaboratives.models import Collaborative
from core.audit import audit_record
from core.background import enqueue_on_commit
from core.clock import now

from .credits import credit_errors
from .materials import check_material
from .models import (
    Event,
    EventCredit,
    EventMaterial,
    MaterialKind,
    Registration,
    RegistrationStatus,
)
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
    tracks = data.get("tracks")
    if tracks is not None and any(area.program_id != collaborative.program_id for area in tracks):
        errors.setdefault("tracks", []).append("Choose tracks among the program's focus areas.")
    credits = data.get("credits")
    if credits is not None:
        for credit_type, messages in credit_errors(
            kind=data.get("kind"), starts_at=starts_at, ends_at=ends_at, credits=credits
        ).items():
            errors.setdefault(f"credit_{credit_type}", []).extend(messages)
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
    if data.get("tracks"):
        event.tracks.set(data["tracks"])
    _set_credits(event, data.get("credits") or {})
    audit_record(
        actor=actor,
        verb="event.created",
        target=event,
        data={"credits": _credits_record(event)} if data.get("credits") else None,
    )
    return event


def _credits_record(event: Event) -> dict[str, str]:
    """{credit type: amount} as stored, for the audit trail."""
    return {
        c.credit_type: str(c.amount)
        for c in EventCredit.objects.filter(program_id=event.program_id, event=event)
    }


def _set_credits(event: Event, credits: dict) -> bool:
    """Make the event's credit rows match `credits` ({type: amount or None}); True if
    anything changed. A type left out or empty offers no credit of that type."""
    wanted = {t: amount for t, amount in credits.items() if amount}
    rows = {
        c.credit_type: c
        for c in EventCredit.objects.filter(program_id=event.program_id, event=event)
    }
    changed = False
    for credit_type, row in rows.items():
        if credit_type not in wanted:
            row.delete()
            changed = True
    for credit_type, amount in wanted.items():
        row = rows.get(credit_type)
        if row is None:
            EventCredit.objects.create(
                program_id=event.program_id, event=event, credit_type=credit_type, amount=amount
            )
            changed = True
        elif row.amount != amount:
            row.amount = amount
            row.save(update_fields=["amount"])
            changed = True
    return changed


@transaction.atomic
def event_update(*, event: Event, actor: User, **data) -> Event:
    """Change an event; more seats hand them to the waiting list at once."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    # Checked as the event will be: a change of times alone must still fit the credits.
    merged = {name: getattr(event, name) for name in EVENT_FIELDS} | data
    if "credits" not in data:
        merged["credits"] = {
            c.credit_type: c.amount
            for c in EventCredit.objects.filter(program_id=event.program_id, event=event)
        }
    validate_event(collaborative=event.collaborative, data=merged)
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
    if "tracks" in data and set(event.tracks.all()) != set(data["tracks"]):
        event.tracks.set(data["tracks"])
        changed.append("tracks")
    if "credits" in data and _set_credits(event, data["credits"]):
        changed.append("credits")
    if changed:
        record = {"fields": changed}
        if "credits" in changed:
            record["credits"] = _credits_record(event)
        audit_record(actor=actor, verb="event.updated", target=event, data=record)
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


# --- materials ---------------------------------------------------------------------------


@transaction.atomic
def material_add_file(*, event: Event, actor: User, title: str, upload) -> EventMaterial:
    """Store an uploaded file (checked by its content) as a material of the event."""
    kind = check_material(upload)
    name = (upload.name or "material").rsplit("/", 1)[-1][:200]
    material = EventMaterial(
        program_id=event.program_id,
        event=event,
        kind=MaterialKind.FILE,
        title=(title or name)[:200],
        original_name=name,
        content_type=kind.content_type,
        size=upload.size,
        added_by=actor,
    )
    # The stored name's extension is the one the content proved (materials.py).
    material.file.save(f"material{kind.extensions[0]}", upload, save=False)
    material.save()
    audit_record(
        actor=actor,
        verb="event.material_added",
        target=event,
        data={"material": str(material.public_id), "title": material.title, "file": name},
    )
    return material


@transaction.atomic
def material_add_link(*, event: Event, actor: User, title: str, url: str) -> EventMaterial:
    """A link (http or https only) as a material of the event."""
    url = (url or "").strip()
    errors: dict[str, list[str]] = {}
    if not url:
        errors["url"] = ["Give the link's address."]
    else:
        try:
            check_web_address(url)
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            errors["url"] = ["Use a web address starting with https:// or http://."]
    if not (title or "").strip():
        errors["title"] = ["Give the link a title."]
    if errors:
        raise ValidationError(errors)
    material = EventMaterial.objects.create(
        program_id=event.program_id,
        event=event,
        kind=MaterialKind.LINK,
        title=title.strip()[:200],
        url=url,
        added_by=actor,
    )
    audit_record(
        actor=actor,
        verb="event.material_added",
        target=event,
        data={"material": str(material.public_id), "title": material.title, "url": url},
    )
    return material


def material_remove(*, material: EventMaterial, actor: User) -> None:
    """Remove a material; its file leaves storage once the row is gone for good."""
    event = material.event
    stored = material.file.name if material.file else ""
    with transaction.atomic():
        material.delete()
        audit_record(
            actor=actor,
            verb="event.material_removed",
            target=event,
            data={"material": str(material.public_id), "title": material.title},
        )
        if stored:
            storage = material.file.storage
            transaction.on_commit(lambda: storage.delete(stored))
