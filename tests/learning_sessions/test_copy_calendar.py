"""Copying a collaborative brings its calendar forward, through the real copy service."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from collaboratives.copying import registered_copy_steps
from collaboratives.services import collaborative_copy
from learning_sessions.models import Event, EventSeries, Registration, RegistrationStatus
from learning_sessions.recurrence import Pattern
from learning_sessions.series_services import series_create

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")


def test_the_step_is_registered():
    assert "learning_sessions" in registered_copy_steps()


def test_copy_moves_events_and_series_by_the_shift_on_the_local_clock(tenant_a):
    source = tenant_a.collaborative
    source.start_date, source.end_date = date(2026, 1, 1), date(2026, 12, 31)
    source.timezone = "America/New_York"
    source.save()
    Event.objects.filter(collaborative=source).delete()
    EventSeries.objects.filter(collaborative=source).delete()
    # 13:00 EST on a February Tuesday; the copy lands in DST (shift of 49 days)
    winter = Event.objects.create(
        program=tenant_a.program,
        collaborative=source,
        kind="webinar",
        title="Winter webinar",
        starts_at=datetime(2026, 2, 17, 18, 0, tzinfo=UTC),
        ends_at=datetime(2026, 2, 17, 19, 30, tzinfo=UTC),
        recording_url="https://video.example/old",
        sequence=3,
        join_url="https://meet.example/room",
    )
    Registration.objects.create(
        program=tenant_a.program,
        event=winter,
        user=tenant_a.member,
        status=RegistrationStatus.REGISTERED,
        created_at=timezone.now(),
    )
    Event.objects.create(
        program=tenant_a.program,
        collaborative=source,
        kind="webinar",
        title="Cancelled one",
        starts_at=datetime(2026, 3, 3, 18, 0, tzinfo=UTC),
        ends_at=datetime(2026, 3, 3, 19, 0, tzinfo=UTC),
        is_cancelled=True,
    )
    series = series_create(
        collaborative=source,
        actor=tenant_a.staff,
        pattern=Pattern(
            frequency="monthly",
            interval=1,
            weekday=1,
            week_of_month=3,
            first_date=date(2026, 4, 1),
            start_time=time(13, 0),
            duration_minutes=60,
            count=3,
            timezone="America/New_York",
        ),
        kind="learning_session",
        title="Monthly session",
    )

    copy = collaborative_copy(
        source=source, actor=tenant_a.staff, title="Next run", start_date=date(2026, 2, 19)
    )

    shift = (date(2026, 2, 19) - date(2026, 1, 1)).days
    copied = list(Event.objects.filter(collaborative=copy).order_by("starts_at"))
    assert [e.title for e in copied] == ["Winter webinar"] + ["Monthly session"] * 3
    moved = copied[0]
    local = moved.starts_at.astimezone(NEW_YORK)
    assert local.date() == date(2026, 2, 17) + timedelta(days=shift)
    assert local.time() == time(13, 0)  # same wall clock, though now in EDT
    assert moved.starts_at.astimezone(UTC).hour == 17
    assert moved.ends_at.astimezone(NEW_YORK).time() == time(14, 30)
    assert moved.recording_url == "" and moved.sequence == 0
    assert moved.join_url == "https://meet.example/room"
    assert not Registration.objects.filter(event__collaborative=copy).exists()
    # the source is untouched
    assert Event.objects.filter(collaborative=source).count() == 5

    new_series = EventSeries.objects.get(collaborative=copy)
    assert new_series.first_date == series.first_date + timedelta(days=shift)
    assert new_series.program == tenant_a.program
    assert {e.series_id for e in copied[1:]} == {new_series.pk}
    assert {e.starts_at.astimezone(NEW_YORK).time() for e in copied[1:]} == {time(13, 0)}


def test_copy_brings_tracks_and_credit_but_not_materials(tenant_a):
    """The next run offers the same credit on the same tracks; the uploaded files stay
    with the event they were uploaded to."""
    from learning_sessions.models import CreditType, EventCredit, EventMaterial, MaterialKind

    source = tenant_a.collaborative
    event = Event.objects.get(public_id=tenant_a.extras["event_id"])
    event.tracks.set([tenant_a.focus_area])
    EventCredit.objects.get_or_create(
        program=tenant_a.program,
        event=event,
        credit_type=CreditType.AMA_PRA_1,
        defaults={"amount": "1.00"},
    )
    assert EventMaterial.objects.filter(event=event, kind=MaterialKind.FILE).exists()

    copy = collaborative_copy(
        source=source,
        actor=tenant_a.staff,
        title="Next run",
        start_date=source.start_date + timedelta(days=365),
    )
    copied = Event.objects.get(collaborative=copy, title=event.title)
    assert list(copied.tracks.all()) == [tenant_a.focus_area]
    assert sorted(copied.credits.values_list("credit_type", "amount")) == sorted(
        event.credits.values_list("credit_type", "amount")
    )
    assert all(c.program_id == tenant_a.program.pk for c in copied.credits.all())
    assert not EventMaterial.objects.filter(event=copied).exists()
