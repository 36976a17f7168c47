"""One event of the tenant's active collaborative, in a series, with the member
registered and checked in, a check-in code and a staged meeting report; a past event
the lead attended and evaluated (the collaborative's evaluation form with a retired
question and its written answer: retired, so that tests start from a form that asks
nothing); the member's calendar subscription address. For the isolation guard
(tests/conftest.py). Private text carries `marker`."""

import hashlib
import secrets
from datetime import time, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from learning_sessions.models import (
    Attendance,
    AttendanceCode,
    AttendanceImport,
    AttendanceSource,
    CalendarFeed,
    CreditType,
    EvaluationAnswer,
    EvaluationForm,
    EvaluationQuestion,
    EvaluationResponse,
    Event,
    EventCredit,
    EventKind,
    EventMaterial,
    EventSeries,
    ImportPlatform,
    MaterialKind,
    QuestionKind,
    Registration,
    RegistrationStatus,
    SeriesFrequency,
)

#: A minimal complete PDF (a signature and an end marker).
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


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
    event.tracks.set([tenant.focus_area])
    EventCredit.objects.create(
        program=tenant.program, event=event, credit_type=CreditType.NURSING, amount=1.5
    )
    material = EventMaterial(
        program=tenant.program,
        event=event,
        kind=MaterialKind.FILE,
        title=f"Slides{m}",
        original_name="slides.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
    )
    material.file.save("slides.pdf", ContentFile(PDF_BYTES), save=False)
    material.save()
    # The member's feed address (made directly: the service's audit row would show in
    # other apps' tests of the audit trail).
    CalendarFeed.objects.create(
        user=tenant.member,
        token_digest=hashlib.sha256(secrets.token_urlsafe(32).encode()).hexdigest(),
        created_at=timezone.now(),
    )
    question = _evaluated_past_event(tenant, m)
    return {
        "event_id": event.public_id,
        "import_id": staged.public_id,
        "material_id": material.public_id,
        "question_id": question.public_id,
        "series_id": series.public_id,
    }


def _evaluated_past_event(tenant, m: str) -> EvaluationQuestion:
    program = tenant.program
    starts = timezone.now() - timedelta(days=10)
    past = Event.objects.create(
        program=program,
        collaborative=tenant.collaborative,
        kind=EventKind.WEBINAR,
        title=f"{program.name} Past Webinar{m}",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
    )
    form = EvaluationForm.objects.create(
        program=program, collaborative=tenant.collaborative, intro=f"Evaluation intro{m}"
    )
    question = EvaluationQuestion.objects.create(
        program=program,
        form=form,
        kind=QuestionKind.TEXT,
        prompt=f"What changed?{m}",
        is_active=False,
    )
    Attendance.objects.create(
        program=program, event=past, user=tenant.lead, source=AttendanceSource.ROSTER
    )
    response = EvaluationResponse.objects.create(
        program=program, event=past, user=tenant.lead, submitted_at=timezone.now()
    )
    EvaluationAnswer.objects.create(
        program=program, response=response, question=question, text=f"Private comment{m}"
    )
    return question
