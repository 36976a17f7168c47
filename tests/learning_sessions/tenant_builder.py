"""One event of the tenant's active collaborative, with the member registered, and a
series holding it, for the isolation guard (tests/conftest.py). Private text carries
`marker`. The member also has a calendar subscription address."""

from datetime import time, timedelta

from django.utils import timezone

from learning_sessions.feeds import feed_regenerate
from learning_sessions.models import (
    Event,
    EventKind,
    EventSeries,
    Registration,
    RegistrationStatus,
    SeriesFrequency,
)


def build(tenant, marker: str) -> dict:
    m = f" {marker}" if marker else ""
    starts = timezone.now() + timedelta(days=7)
    series = EventSeries.objects.create(
        program=tenant.program,
        collaborative=tenant.collaborative,
        frequency=SeriesFrequency.MONTHLY,
        interval=1,
        weekday=1,
        week_of_month=3,
        first_date=starts.date(),
        start_time=time(13, 0),
        duration_minutes=90,
        count=1,
        timezone=tenant.collaborative.timezone,
        kind=EventKind.LEARNING_SESSION,
        title=f"{tenant.program.name} Monthly Series{m}",
    )
    event = Event.objects.create(
        program=tenant.program,
        collaborative=tenant.collaborative,
        series=series,
        kind=EventKind.LEARNING_SESSION,
        title=f"{tenant.program.name} Learning Session{m}",
        description=f"Session notes{m}",
        starts_at=starts,
        ends_at=starts + timedelta(minutes=90),
        join_url=f"https://meet.example/{tenant.program.slug}-join",
        capacity=20,
    )
    Registration.objects.create(
        program=tenant.program,
        event=event,
        user=tenant.member,
        status=RegistrationStatus.REGISTERED,
        created_at=timezone.now(),
    )
    feed_regenerate(user=tenant.member)
    return {"event_id": event.public_id, "series_id": series.public_id}
