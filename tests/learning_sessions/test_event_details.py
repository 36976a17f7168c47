"""Event details: focus-area tracks and the calendar's filter, CE credit per credit type
(quarter hours bounded by the event's length), materials (files checked by their
content and served only as downloads to people who see the event; http/https links),
and the recording link only once the event has started."""

import io
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from learning_sessions import materials, services
from learning_sessions.credits import credit_errors, hours_cap
from learning_sessions.models import EventCredit, EventKind, EventMaterial, MaterialKind

from .conftest import make_event
from .tenant_builder import PDF_BYTES

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(name: str, event, **extra) -> str:
    return reverse(f"learning_sessions:{name}", kwargs={"event_id": event.public_id, **extra})


def office_file(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(part, "<x/>")
    return buffer.getvalue()


# --- credit rules ------------------------------------------------------------------------


def _errors(kind, minutes, **credits):
    starts = timezone.now()
    return credit_errors(
        kind=kind,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=minutes),
        credits={k: Decimal(v) for k, v in credits.items()},
    )


def test_live_credit_is_60_minutes_per_credit_in_quarter_hours():
    assert hours_cap(starts_at=timezone.now(), ends_at=timezone.now() + timedelta(minutes=100)) == (
        Decimal("1.5")
    )
    assert _errors(EventKind.LEARNING_SESSION, 90, ama_pra_1="1.5", nursing="1.25") == {}
    too_much = _errors(EventKind.LEARNING_SESSION, 90, ama_pra_1="1.75")
    assert "at most 1.5" in too_much["ama_pra_1"][0]
    assert "quarter-hour" in _errors(EventKind.WEBINAR, 90, ems="0.3")["ems"][0]
    assert "negative" in _errors(EventKind.WEBINAR, 90, participation="-1")["participation"][0]


def test_a_module_is_not_bounded_by_its_window_and_moc_counts_points():
    assert _errors(EventKind.MODULE, 60, nursing="6") == {}
    assert _errors(EventKind.LEARNING_SESSION, 60, moc_part4="25") == {}
    assert "units of 25" in _errors(EventKind.LEARNING_SESSION, 60, moc_part4="10")["moc_part4"][0]
    assert _errors(EventKind.WEBINAR, 60, ama_pra_1="0") == {}  # none offered


def test_moving_an_event_shorter_than_its_credit_is_refused(tenant_a):
    event = make_event(tenant_a)  # one hour
    services.event_update(event=event, actor=tenant_a.staff, credits={"ama_pra_1": Decimal("1")})
    with pytest.raises(ValidationError) as error:
        services.event_update(
            event=event, actor=tenant_a.staff, ends_at=event.starts_at + timedelta(minutes=30)
        )
    assert "credit_ama_pra_1" in error.value.error_dict
    event.refresh_from_db()
    assert event.ends_at - event.starts_at == timedelta(hours=1)


def test_credit_changes_are_audited_with_the_amounts(tenant_a):
    event = make_event(tenant_a, days=3)
    services.event_update(
        event=event, actor=tenant_a.staff, credits={"nursing": Decimal("0.75"), "ems": None}
    )
    assert list(EventCredit.objects.filter(event=event).values_list("credit_type", "amount")) == [
        ("nursing", Decimal("0.75"))
    ]
    record = AuditEvent.objects.filter(verb="event.updated").latest("id")
    assert record.data["credits"] == {"nursing": "0.75"}
    services.event_update(event=event, actor=tenant_a.staff, credits={})
    assert not EventCredit.objects.filter(event=event).exists()


# --- the staff form and the pages --------------------------------------------------------


def _form(tenant, **overrides) -> dict:
    data = {
        "kind": "learning_session",
        "title": "Learning session 5",
        "starts_at": "2026-12-15T13:00",
        "ends_at": "2026-12-15T14:30",
        "tracks": [str(tenant.focus_area.pk)],
        "credit_ama_pra_1": "1.5",
        "credit_nursing": "1.5",
        "credit_moc_part4": "",
    }
    data.update(overrides)
    return data


def test_staff_set_tracks_and_credit_on_the_form(tenant_a):
    url = reverse(
        "learning_sessions:event_create",
        kwargs={"collaborative_id": tenant_a.collaborative.public_id},
    )
    response = client_for(tenant_a.staff).post(url, _form(tenant_a))
    assert response.status_code == 302
    event = tenant_a.collaborative.events.get(title="Learning session 5")
    assert list(event.tracks.all()) == [tenant_a.focus_area]
    credits = dict(EventCredit.objects.filter(event=event).values_list("credit_type", "amount"))
    assert credits == {"ama_pra_1": Decimal("1.5"), "nursing": Decimal("1.5")}
    detail = client_for(tenant_a.member).get(page("event_detail", event)).content.decode()
    assert "AMA PRA Category 1 Credit(s)" in detail and "1.5 hours" in detail
    assert tenant_a.focus_area.name in detail


def test_too_much_credit_shows_the_rule_and_saves_nothing(tenant_a):
    url = reverse(
        "learning_sessions:event_create",
        kwargs={"collaborative_id": tenant_a.collaborative.public_id},
    )
    response = client_for(tenant_a.staff).post(url, _form(tenant_a, credit_ama_pra_1="2"))
    assert response.status_code == 200
    assert "at most 1.5" in response.content.decode()
    assert not tenant_a.collaborative.events.filter(title="Learning session 5").exists()


def test_another_programs_focus_area_cannot_be_a_track(tenant_a, tenant_b):
    url = reverse(
        "learning_sessions:event_create",
        kwargs={"collaborative_id": tenant_a.collaborative.public_id},
    )
    response = client_for(tenant_a.staff).post(
        url, _form(tenant_a, tracks=[str(tenant_b.focus_area.pk)])
    )
    assert response.status_code == 200
    assert not tenant_a.collaborative.events.filter(title="Learning session 5").exists()


def test_the_calendar_filters_by_track(tenant_a):
    on_track = make_event(tenant_a, title="On the track")
    on_track.tracks.set([tenant_a.focus_area])
    make_event(tenant_a, title="Off the track")
    url = reverse(
        "learning_sessions:event_list",
        kwargs={"collaborative_id": tenant_a.collaborative.public_id},
    )
    client = client_for(tenant_a.member)
    filtered = client.get(url, {"track": str(tenant_a.focus_area.public_id)}).content.decode()
    assert "On the track" in filtered and "Off the track" not in filtered
    everything = client.get(url, {"track": "not-an-id"})
    assert everything.status_code == 200 and "Off the track" in everything.content.decode()


def test_the_recording_link_shows_only_once_the_event_has_started(tenant_a):
    future = make_event(tenant_a, recording_url="https://video.example/too-early")
    past = make_event(tenant_a, days=-1, recording_url="https://video.example/rec")
    client = client_for(tenant_a.member)
    assert "too-early" not in client.get(page("event_detail", future)).content.decode()
    assert "video.example/rec" in client.get(page("event_detail", past)).content.decode()


# --- materials ---------------------------------------------------------------------------


def test_staff_upload_a_pdf_and_people_of_the_collaborative_download_it(tenant_a, event):
    upload = SimpleUploadedFile("Slides <b>.pdf", PDF_BYTES, content_type="text/html")
    response = client_for(tenant_a.staff).post(
        page("material_add", event), {"title": "Slides", "file": upload}
    )
    assert response.status_code == 302
    material = EventMaterial.objects.get(event=event)
    assert material.content_type == "application/pdf" and material.size == len(PDF_BYTES)
    assert "Slides" not in material.file.name and material.file.name.endswith(".pdf")
    assert AuditEvent.objects.filter(verb="event.material_added").exists()
    download = client_for(tenant_a.member).get(
        page("material_download", event, material_id=material.public_id)
    )
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF_BYTES


def test_materials_are_404_for_other_programs_and_403_to_change_for_members(
    tenant_a, tenant_b, outsider, event
):
    material = services.material_add_link(
        event=event, actor=tenant_a.staff, title="Reading", url="https://example.org/r"
    )
    download = page("material_download", event, material_id=material.public_id)
    for user in (tenant_b.staff, outsider):
        assert client_for(user).get(download).status_code == 404
    upload = SimpleUploadedFile("s.pdf", PDF_BYTES)
    member = client_for(tenant_a.member)
    assert member.post(page("material_add", event), {"file": upload}).status_code == 403
    remove = page("material_remove", event, material_id=material.public_id)
    assert member.post(remove).status_code == 403
    assert client_for(tenant_b.staff).post(remove).status_code == 404
    assert EventMaterial.objects.filter(pk=material.pk).exists()
    assert client_for(tenant_a.staff).post(remove).status_code == 302
    assert not EventMaterial.objects.filter(pk=material.pk).exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("page.pdf", b"<html><script>alert(1)</script></html>", "is not a PDF"),
        ("slides.png", PDF_BYTES, "content is a PDF"),
        ("empty.pdf", b"", "is empty"),
        ("notes.docx", b"PK\x03\x04 not really a zip", "is not a PDF"),
    ],
)
def test_bad_files_are_refused_with_a_message_and_nothing_is_stored(
    tenant_a, event, name, content, message
):
    upload = SimpleUploadedFile(name, content)
    response = client_for(tenant_a.staff).post(
        page("material_add", event), {"title": "Bad", "file": upload}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not EventMaterial.objects.filter(event=event).exists()


def test_office_documents_are_recognised_by_their_parts(tenant_a, event):
    for name, part, kind in [
        ("notes.docx", "word/document.xml", materials.DOCX),
        ("deck.pptx", "ppt/presentation.xml", materials.PPTX),
        ("data.xlsx", "xl/workbook.xml", materials.XLSX),
    ]:
        assert materials.check_material(SimpleUploadedFile(name, office_file(part))) is kind
    with pytest.raises(ValidationError, match="content is a Word document"):
        materials.check_material(SimpleUploadedFile("deck.pptx", office_file("word/document.xml")))


def test_a_file_over_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(materials, "MAX_MATERIAL_BYTES", 10)
    with pytest.raises(ValidationError, match="at most"):
        materials.check_material(SimpleUploadedFile("s.pdf", PDF_BYTES))


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,x", "ftp://example.org/f", "https://", ""]
)
def test_links_are_http_or_https_only(tenant_a, event, url):
    response = client_for(tenant_a.staff).post(
        page("material_add", event), {"title": "Link", "url": url}
    )
    assert response.status_code == 400
    assert not EventMaterial.objects.filter(event=event).exists()


def test_a_link_material_is_listed_for_members(tenant_a, event):
    client_for(tenant_a.staff).post(
        page("material_add", event), {"title": "Toolkit", "url": "https://example.org/toolkit"}
    )
    material = EventMaterial.objects.get(event=event)
    assert material.kind == MaterialKind.LINK
    body = client_for(tenant_a.member).get(page("event_detail", event)).content.decode()
    assert 'href="https://example.org/toolkit"' in body
    download = page("material_download", event, material_id=material.public_id)
    assert client_for(tenant_a.member).get(download).status_code == 404
