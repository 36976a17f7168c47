"""Events of a collaborative (learning sessions, office hours, ...) and who registered.

Every row carries `program` (the tenant) so reads filter by tenant without a join.
Times are stored in UTC; forms take and pages show them in a zone (the collaborative's
for entry, the viewer's for reading). Series, attendance, evaluations and reminders
(issue 14, later slices) hang off Event and Registration, in sibling modules.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class EventKind(models.TextChoices):
    LEARNING_SESSION = "learning_session", "Learning session"
    FIRESIDE_CHAT = "fireside_chat", "Fireside chat"
    OFFICE_HOURS = "office_hours", "Office hours"
    WEBINAR = "webinar", "Webinar"
    MODULE = "module", "Module"
    TABLETOP = "tabletop", "Tabletop exercise"
    IN_PERSON = "in_person", "In-person meeting"
    CONGRESS = "congress", "Congress"


class Event(models.Model):
    """One event on a collaborative's calendar."""

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    collaborative = models.ForeignKey(
        "collaboratives.Collaborative", on_delete=models.CASCADE, related_name="events"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    agenda = models.TextField(blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.CharField(max_length=300, blank=True)
    join_url = models.URLField(
        max_length=500, blank=True, help_text="Shown only to people who registered."
    )
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text="Seats; empty means no limit."
    )
    recording_url = models.URLField(
        max_length=500, blank=True, help_text="Shown once the event has started."
    )
    #: When staff last posted or changed the recording link (event_create/event_update):
    #: the recording notice (learning_sessions.reminders) is due from then.
    recording_posted_at = models.DateTimeField(null=True, blank=True, editable=False)
    #: The series this event was created in, if any (models/series.py); editing the
    #: event alone never changes its siblings.
    series = models.ForeignKey(
        "learning_sessions.EventSeries",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="occurrences",
    )
    #: Focus-area tracks (the program's focus areas) the event belongs to; the
    #: calendar filters by them. CE credit offered is in EventCredit (details.py).
    tracks = models.ManyToManyField(
        "collaboratives.FocusArea", blank=True, related_name="learning_events"
    )
    is_cancelled = models.BooleanField(default=False)
    #: RFC 5545 SEQUENCE: raised on every change people's calendars must pick up.
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["program", "collaborative", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="learning_event_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", "Registered"
    WAITLISTED = "waitlisted", "On the waiting list"
    CANCELLED = "cancelled", "Cancelled"


class Registration(models.Model):
    """A person's place at an event: a seat, a place in the queue, or given up.

    One row per person and event; cancelling keeps the row (status cancelled) and
    registering again reuses it at the back of the queue.
    """

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    status = models.CharField(max_length=12, choices=RegistrationStatus.choices)
    #: When the person last (re-)registered: the waiting list's order.
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"], name="learning_registration_once_per_event"
            ),
        ]
        indexes = [models.Index(fields=["program", "event", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.event} ({self.get_status_display()})"
