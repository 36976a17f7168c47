"""One event of the tenant's active collaborative, with the member registered, for the
isolation guard (tests/conftest.py). Private text carries `marker`."""

from datetime import timedelta

from django.utils import timezone

from learning_sessions.models import Event, EventKind, Registration, RegistrationStatus


def build(tenant, marker: str) -> dict:
    m = f" {marker}" if marker else ""
    starts = timezone.now() + timedelta(days=7)
    event = Event.objects.create(
        program=tenant.program,
        collaborative=tenant.collaborative,
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
    return {"event_id": event.public_id}
