"""Events and registrations: constraints, capacity, the waiting list and its promotion."""

import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.utils import timezone

from learning_sessions import services
from learning_sessions.models import Event, EventKind, Registration, RegistrationStatus
from learning_sessions.selectors import place_of, seats_taken
from tests.factories import TeamMembershipFactory, UserFactory

from .conftest import make_event

pytestmark = pytest.mark.django_db


def people(tenant, n):
    out = []
    for i in range(n):
        user = UserFactory(email=f"p{i}@alpha.example")
        TeamMembershipFactory(team=tenant.team, user=user)
        out.append(user)
    return out


def test_an_event_that_ends_before_it_starts_is_refused_by_the_database(tenant_a):
    starts = timezone.now() + timedelta(days=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(
            program=tenant_a.program,
            collaborative=tenant_a.collaborative,
            kind=EventKind.WEBINAR,
            title="Backwards",
            starts_at=starts,
            ends_at=starts,
        )


def test_one_registration_per_person_and_event_in_the_database(tenant_a, event):
    Registration.objects.create(
        program=tenant_a.program,
        event=event,
        user=tenant_a.member,
        status=RegistrationStatus.REGISTERED,
        created_at=timezone.now(),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            program=tenant_a.program,
            event=event,
            user=tenant_a.member,
            status=RegistrationStatus.WAITLISTED,
            created_at=timezone.now(),
        )


def test_the_service_refuses_bad_events(tenant_a):
    starts = timezone.now() + timedelta(days=3)
    collaborative = tenant_a.collaborative
    base = {"kind": EventKind.WEBINAR, "title": "x", "starts_at": starts}
    with pytest.raises(ValidationError) as error:
        services.event_create(
            collaborative=collaborative, actor=tenant_a.staff, ends_at=starts, **base
        )
    assert "end after it starts" in str(error.value)
    with pytest.raises(ValidationError) as error:
        services.event_create(
            collaborative=collaborative,
            actor=tenant_a.staff,
            ends_at=starts + timedelta(hours=1),
            join_url="javascript:alert(1)",
            **base,
        )
    assert "https://" in str(error.value)
    far = timezone.now() + timedelta(days=800)
    with pytest.raises(ValidationError) as error:
        services.event_create(
            collaborative=collaborative,
            actor=tenant_a.staff,
            kind=EventKind.CONGRESS,
            title="Too late",
            starts_at=far,
            ends_at=far + timedelta(hours=2),
        )
    assert "within its dates" in str(error.value)
    with pytest.raises(ValidationError):
        services.event_create(
            collaborative=collaborative,
            actor=tenant_a.staff,
            ends_at=starts + timedelta(hours=1),
            capacity=-1,
            **base,
        )
    assert not Event.objects.filter(program=tenant_a.program, title__in=["x", "Too late"]).exists()


def test_seats_then_waiting_list_then_promotion_in_order(tenant_a, event):
    a, b, c, d = people(tenant_a, 4)
    assert services.register(event=event, user=a).status == RegistrationStatus.REGISTERED
    assert services.register(event=event, user=b).status == RegistrationStatus.REGISTERED
    assert services.register(event=event, user=c).status == RegistrationStatus.WAITLISTED
    assert services.register(event=event, user=d).status == RegistrationStatus.WAITLISTED
    assert place_of(event=event, user=c).position == 1
    assert place_of(event=event, user=d).position == 2

    services.cancel_registration(event=event, user=a)

    assert place_of(event=event, user=c).is_registered
    assert place_of(event=event, user=d).position == 1
    assert seats_taken(event=event) == 2
    assert place_of(event=event, user=a).status is None


def test_more_seats_promote_the_waiting_list(tenant_a, event):
    a, b, c = people(tenant_a, 3)
    for user in (a, b, c):
        services.register(event=event, user=user)
    data = {name: getattr(event, name) for name in services.EVENT_FIELDS if name != "capacity"}
    services.event_update(event=event, actor=tenant_a.staff, capacity=3, **data)
    assert place_of(event=event, user=c).is_registered


def test_double_registration_is_refused(tenant_a, event):
    services.register(event=event, user=tenant_a.member)
    with pytest.raises(ValidationError, match="already registered"):
        services.register(event=event, user=tenant_a.member)
    assert seats_taken(event=event) == 1


def test_registering_again_after_cancelling_goes_to_the_back(tenant_a, event):
    a, b, c = people(tenant_a, 3)
    services.register(event=event, user=a)
    services.register(event=event, user=b)
    services.register(event=event, user=c)  # waiting, 1st
    services.cancel_registration(event=event, user=c)
    services.cancel_registration(event=event, user=b)  # no one waits: seat stays free
    assert seats_taken(event=event) == 1
    assert services.register(event=event, user=c).status == RegistrationStatus.REGISTERED


def test_a_cancelled_event_refuses_registration(tenant_a, event):
    services.event_cancel(event=event, actor=tenant_a.staff)
    event.refresh_from_db()
    assert event.is_cancelled and event.sequence == 1
    with pytest.raises(ValidationError, match="cancelled"):
        services.register(event=event, user=tenant_a.member)


def test_a_past_event_refuses_registration(tenant_a):
    past = make_event(tenant_a, days=-3)
    with pytest.raises(ValidationError, match="over"):
        services.register(event=past, user=tenant_a.member)


def test_moving_an_event_raises_its_sequence(tenant_a, event):
    data = {name: getattr(event, name) for name in services.EVENT_FIELDS}
    data["starts_at"] = event.starts_at + timedelta(hours=1)
    data["ends_at"] = event.ends_at + timedelta(hours=1)
    services.event_update(event=event, actor=tenant_a.staff, **data)
    event.refresh_from_db()
    assert event.sequence == 1
    data["recording_url"] = "https://video.example/r"  # not a calendar field
    services.event_update(event=event, actor=tenant_a.staff, **data)
    event.refresh_from_db()
    assert event.sequence == 1 and event.recording_url == "https://video.example/r"


@pytest.mark.django_db(transaction=True)
def test_two_people_taking_the_last_seat_at_once_never_overbook(tenant_a):
    """Two threads, two connections: the row lock makes the second one wait and queue."""
    event = make_event(tenant_a, capacity=1)
    users = people(tenant_a, 2)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def take(user):
        close_old_connections()
        try:
            barrier.wait()
            results.append(services.register(event=event, user=user).status)
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED]
    assert seats_taken(event=event) == 1


def test_event_dates_checked_in_the_collaborative_zone(tenant_a):
    """Late evening on the collaborative's last day in its own zone is within its dates,
    although it is the next day in UTC."""
    collaborative = tenant_a.collaborative
    collaborative.timezone = "America/Los_Angeles"
    collaborative.end_date = date.today() + timedelta(days=30)
    collaborative.save()
    zone = ZoneInfo("America/Los_Angeles")
    last = collaborative.end_date
    starts = datetime(last.year, last.month, last.day, 20, 0, tzinfo=zone)
    event = services.event_create(
        collaborative=collaborative,
        actor=tenant_a.staff,
        kind=EventKind.OFFICE_HOURS,
        title="Late office hours",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
    )
    assert event.pk
