"""The demo calendar of the active collaborative: the kickoff, monthly learning
sessions, a fireside chat, office hours and a module window; past events with
attendance from every source, evaluations and recordings; upcoming events with
registrations, one full with a waiting list; CE credit per credit type within the
rules. Nothing dated after the day of seeding; seeding twice adds nothing."""

import pytest
from django.db.models import Count, F, Q
from django.test import Client
from django.urls import reverse

from accounts.models import User
from core import clock
from demo.collaboratives import ACTIVE
from demo.seed import seed_demo
from learning_sessions.credits import credit_errors
from learning_sessions.models import (
    Attendance,
    AttendanceSource,
    EvaluationAnswer,
    EvaluationResponse,
    Event,
    EventCredit,
    EventKind,
    EventMaterial,
    Registration,
    RegistrationStatus,
)

pytestmark = pytest.mark.django_db

MODELS = (Event, EventCredit, EventMaterial, Registration, Attendance, EvaluationResponse)


def _counts() -> dict:
    return {m.__name__: m.objects.count() for m in (*MODELS, EvaluationAnswer)}


def test_the_demo_has_a_full_calendar_for_the_active_collaborative(settings):
    settings.MFA_REQUIRED_FOR_STAFF = False
    seed_demo(password="demo-pass-2026")
    now = clock.now()
    events = Event.objects.filter(collaborative__slug=ACTIVE)
    kinds = set(events.values_list("kind", flat=True))
    assert {
        EventKind.LEARNING_SESSION,
        EventKind.FIRESIDE_CHAT,
        EventKind.OFFICE_HOURS,
        EventKind.MODULE,
        EventKind.TABLETOP,
    } <= kinds
    assert events.filter(title="Kickoff learning session", ends_at__lt=now).exists()
    past = events.filter(ends_at__lt=now)
    sessions = past.filter(kind=EventKind.LEARNING_SESSION)
    assert sessions.count() >= 7  # kickoff and a session a month since
    assert not sessions.filter(recording_url="").exists()
    assert not events.filter(starts_at__gt=now).exclude(recording_url="").exists()

    # Attendance from every source, minutes where the source gives them.
    sources = set(Attendance.objects.filter(event__in=past).values_list("source", flat=True))
    assert sources == set(AttendanceSource.values)
    for source in (AttendanceSource.IMPORT, AttendanceSource.SELF_RECORDING):
        assert not Attendance.objects.filter(source=source, minutes__isnull=True).exists()
    assert not Attendance.objects.filter(event__starts_at__gt=now).exists()
    assert not Attendance.objects.exclude(program=F("event__program")).exists()

    # Evaluations of past sessions, with ratings and comments.
    assert EvaluationResponse.objects.filter(event__in=sessions).count() >= 3 * sessions.count()
    assert EvaluationAnswer.objects.filter(rating__isnull=False).exists()
    assert EvaluationAnswer.objects.exclude(text="").exists()
    assert not EvaluationResponse.objects.filter(submitted_at__gt=now).exists()

    # Upcoming events with registrations; one full with a waiting list.
    upcoming = events.filter(starts_at__gt=now)
    registered = Registration.objects.filter(event__in=upcoming)
    assert registered.filter(status=RegistrationStatus.REGISTERED).count() >= 6
    full = upcoming.annotate(
        seats=Count("registrations", filter=Q(registrations__status="registered"))
    ).filter(capacity__isnull=False, seats__gte=1)
    tabletop = full.get(kind=EventKind.TABLETOP)
    assert tabletop.seats == tabletop.capacity
    assert tabletop.registrations.filter(status=RegistrationStatus.WAITLISTED).exists()
    assert not Registration.objects.filter(created_at__gt=now).exists()

    # CE credit per credit type, within the rules (quarter hours, 60 minutes = 1).
    types = set(EventCredit.objects.values_list("credit_type", flat=True))
    assert {"ama_pra_1", "nursing", "ems", "participation"} <= types
    for event in events.prefetch_related("credits"):
        credits = {c.credit_type: c.amount for c in event.credits.all()}
        assert (
            credit_errors(
                kind=event.kind, starts_at=event.starts_at, ends_at=event.ends_at, credits=credits
            )
            == {}
        ), event
    assert events.filter(tracks__name="Prehospital pediatric readiness").exists()

    # The member sees the calendar and a past session's recording.
    client = Client()
    client.force_login(User.objects.get(email="member@demo.example"))
    collaborative = events.first().collaborative
    listing = client.get(
        reverse(
            "learning_sessions:event_list", kwargs={"collaborative_id": collaborative.public_id}
        )
    )
    assert listing.status_code == 200 and "Kickoff learning session" in listing.content.decode()
    kickoff = events.get(title="Kickoff learning session")
    detail = client.get(
        reverse("learning_sessions:event_detail", kwargs={"event_id": kickoff.public_id})
    )
    assert "Watch the recording" in detail.content.decode()

    first = _counts()
    assert seed_demo(password="demo-pass-2026").created == 0
    assert _counts() == first
