"""One event of the tenant's active collaborative, with the member registered, for the
isolation guard (tests/conftest.py). Private text carries `marker`."""

from datetime import timedelta

from django.utils import timezone

from learning_sessions.models import (
    Attendance,
    AttendanceCode,
    AttendanceImport,
    AttendanceSource,
    Event,
    EventKind,
    ImportPlatform,
    Registration,
    RegistrationStatus,
)


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
    # Attendance: the member checked in, a check-in code, and a staged meeting report
    # whose rows carry the marker (the review page must not leak them).
    Attendance.objects.create(
        program=tenant.program,
        event=event,
        user=tenant.member,
        source=AttendanceSource.CODE,
    )
    AttendanceCode.objects.create(
        program=tenant.program, event=event, code=f"{tenant.program.slug.upper()[:4]}23"
    )
    person = {"name": f"Report Person{m}", "email": "", "minutes": 40, "rows": 1}
    staged = AttendanceImport.objects.create(
        program=tenant.program,
        event=event,
        platform=ImportPlatform.ZOOM,
        filename=f"zoom{m}.csv",
        uploaded_by=tenant.staff,
        result={
            "layout": "Zoom participants report",
            "encoding": "UTF-8",
            "row_count": 2,
            "matched": [
                {
                    "user": tenant.lead.pk,
                    "name": tenant.lead.display_name,
                    "email": tenant.lead.email,
                    "minutes": 55,
                    "rows": 1,
                    "by": "email",
                    "first_join": None,
                    "last_leave": None,
                }
            ],
            "unmatched": [person | {"reason": "No e-mail in the report."}],
            "ambiguous": [],
            "refused": [],
            "notes": [],
        },
    )
    return {"event_id": event.public_id, "import_id": staged.public_id}
