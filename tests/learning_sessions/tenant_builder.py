"""One event of the tenant's active collaborative, with the member registered, for the
isolation guard (tests/conftest.py). Private text carries `marker`."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from learning_sessions.models import (
    CreditType,
    Event,
    EventCredit,
    EventKind,
    EventMaterial,
    MaterialKind,
    Registration,
    RegistrationStatus,
)

#: A minimal complete PDF (a signature and an end marker).
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


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
    return {"event_id": event.public_id, "material_id": material.public_id}
