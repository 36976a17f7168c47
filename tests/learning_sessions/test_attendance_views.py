"""Attendance pages and API: what each person sees and may do, and 404 across programs."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from learning_sessions.attendance import services
from learning_sessions.models import Attendance, AttendanceImport, Event, ImportStatus

from .conftest import make_event, report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def live_event(tenant_a):
    starts = timezone.now() - timedelta(minutes=5)
    return make_event(tenant_a, starts_at=starts, ends_at=starts + timedelta(hours=1))


def url(name, event, **extra):
    return reverse(f"learning_sessions:{name}", kwargs={"event_id": event.public_id, **extra})


# --- check-in -------------------------------------------------------------------------


def test_qr_link_prefills_the_code_and_a_post_checks_in(tenant_a, live_event):
    code = services.code_for(event=live_event, actor=tenant_a.staff).code
    member = client_for(tenant_a.member)
    page = member.get(url("check_in", live_event) + f"?code={code.lower()}")
    assert page.status_code == 200
    assert f'value="{code}"' in page.content.decode()
    assert "15 minutes before the start until 30 minutes after the end" in page.content.decode()
    response = member.post(url("check_in", live_event), {"code": code})
    assert response.status_code == 302
    assert Attendance.objects.get(event=live_event, user=tenant_a.member).source == "code"
    page = member.get(url("event_detail", live_event))
    assert "Your attendance is recorded: Entered the session code" in page.content.decode()


def test_check_in_needs_a_login_and_keeps_the_code(live_event):
    response = Client().get(url("check_in", live_event) + "?code=ABC234")
    assert response.status_code == 302
    assert "code%3DABC234" in response["Location"] or "code=ABC234" in response["Location"]


def test_wrong_code_shows_a_message_and_records_nothing(tenant_a, live_event):
    services.code_for(event=live_event, actor=tenant_a.staff)
    response = client_for(tenant_a.member).post(url("check_in", live_event), {"code": "ZZZZZZ"})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert not Attendance.objects.filter(event=live_event).exists()


def test_check_in_is_csrf_protected(tenant_a, live_event):
    code = services.code_for(event=live_event, actor=tenant_a.staff).code
    client = Client(enforce_csrf_checks=True)
    client.force_login(tenant_a.member)
    assert client.post(url("check_in", live_event), {"code": code}).status_code == 403
    assert not Attendance.objects.filter(event=live_event).exists()


def test_display_shows_the_code_and_a_qr_code_to_staff_only(tenant_a, tenant_b, live_event):
    page = client_for(tenant_a.staff).get(url("check_in_display", live_event))
    assert page.status_code == 200
    code = live_event.attendance_code.code
    body = page.content.decode()
    assert code in body and "<svg" in body and 'role="img"' in body
    assert "style=" not in body.split("<svg", 1)[1].split("</svg>", 1)[0]
    for persona in (tenant_a.member, tenant_a.lead, tenant_a.coach):
        assert client_for(persona).get(url("check_in_display", live_event)).status_code == 403
    assert client_for(tenant_b.staff).get(url("check_in_display", live_event)).status_code == 404


def test_staff_regenerate_the_code(tenant_a, live_event):
    old = services.code_for(event=live_event, actor=tenant_a.staff).code
    assert (
        client_for(tenant_a.member).post(url("check_in_regenerate", live_event)).status_code == 403
    )
    response = client_for(tenant_a.staff).post(url("check_in_regenerate", live_event))
    assert response.status_code == 302
    live_event.attendance_code.refresh_from_db()
    assert live_event.attendance_code.code != old


def test_other_program_and_other_collaborative_get_404(tenant_a, tenant_b, people, live_event):
    for user in (tenant_b.member, tenant_b.staff, people.pat):
        client = client_for(user)
        assert client.get(url("check_in", live_event)).status_code == 404
        assert client.post(url("check_in", live_event), {"code": "X"}).status_code == 404
        assert (
            client.post(url("attendance_attest", live_event), {"kind": "live"}).status_code == 404
        )
        assert client.get(url("attendance_roster", live_event)).status_code == 404
    assert not Attendance.objects.filter(event=live_event).exists()


# --- own statement -------------------------------------------------------------------


def test_participant_attests_from_the_event_page(tenant_a, live_event):
    member = client_for(tenant_a.member)
    page = member.get(url("event_detail", live_event)).content.decode()
    assert "I attended live" in page and "I watched the recording" not in page
    member.post(url("attendance_attest", live_event), {"kind": "live"})
    assert Attendance.objects.get(event=live_event, user=tenant_a.member).source == "self_live"
    live_event.recording_url = "https://video.example/rec"
    live_event.save()
    response = member.post(
        url("attendance_attest", live_event), {"kind": "recording", "minutes": "9999"}, follow=True
    )
    assert "Ensure this value is less than or equal to 1000" in response.content.decode()
    response = member.post(
        url("attendance_attest", live_event), {"kind": "recording", "minutes": "500"}, follow=True
    )
    assert "between 0 and 180" in response.content.decode()
    member.post(url("attendance_attest", live_event), {"kind": "recording", "minutes": "40"})
    record = Attendance.objects.get(event=live_event, user=tenant_a.member)
    assert (record.source, record.minutes) == ("self_recording", 40)


# --- roster ---------------------------------------------------------------------------


def test_roster_is_for_staff(tenant_a, live_event):
    for persona in (tenant_a.member, tenant_a.lead, tenant_a.coach):
        client = client_for(persona)
        assert client.get(url("attendance_roster", live_event)).status_code == 403
        response = client.post(
            url("attendance_mark", live_event),
            {"person": tenant_a.member.public_id, "present": "yes"},
        )
        assert response.status_code == 403
    assert not Attendance.objects.filter(event=live_event).exists()


def test_staff_mark_people_on_the_roster(tenant_a, people, live_event):
    staff = client_for(tenant_a.staff)
    page = staff.get(url("attendance_roster", live_event)).content.decode()
    assert people.dana.display_name in page and tenant_a.coach.display_name in page
    assert people.pat.display_name not in page
    staff.post(
        url("attendance_mark", live_event),
        {"person": people.dana.public_id, "present": "yes", "minutes": "50"},
    )
    staff.post(
        url("attendance_mark", live_event), {"person": tenant_a.lead.public_id, "present": "no"}
    )
    records = {a.user: a for a in Attendance.objects.filter(event=live_event)}
    assert (records[people.dana].source, records[people.dana].minutes) == ("roster", 50)
    assert records[tenant_a.lead].present is False
    page = staff.get(url("attendance_roster", live_event)).content.decode()
    assert "Absent" in page and "50 min" in page and "Marked by staff" in page
    response = staff.post(
        url("attendance_mark", live_event),
        {"person": people.dana.public_id, "present": "yes", "minutes": "-3"},
        follow=True,
    )
    assert "minutes as a whole number" in response.content.decode()
    assert Attendance.objects.get(event=live_event, user=people.dana).minutes == 50


def test_roster_mark_of_someone_outside_is_404(tenant_a, tenant_b, people, live_event):
    staff = client_for(tenant_a.staff)
    for person in (tenant_b.member, people.pat):
        response = staff.post(
            url("attendance_mark", live_event), {"person": person.public_id, "present": "yes"}
        )
        assert response.status_code == 404
    assert not Attendance.objects.filter(event=live_event).exists()


def test_event_page_shows_staff_the_counts(tenant_a, live_event):
    services.self_attest(event=live_event, user=tenant_a.member, kind="live")
    page = client_for(tenant_a.staff).get(url("event_detail", live_event)).content.decode()
    assert "1 present" in page and "Said they attended live: 1" in page
    member_page = client_for(tenant_a.member).get(url("event_detail", live_event)).content.decode()
    assert "Attendance so far" not in member_page


# --- import ---------------------------------------------------------------------------


def test_import_upload_review_commit(tenant_a, people, zoom_event):
    staff = client_for(tenant_a.staff)
    upload = SimpleUploadedFile("zoom.csv", report("zoom_participants_utf8_bom.csv"))
    response = staff.post(url("attendance_import", zoom_event), {"report": upload})
    staged = AttendanceImport.objects.get(event=zoom_event)
    assert response["Location"] == url(
        "attendance_import_review", zoom_event, import_id=staged.public_id
    )
    page = staff.get(response["Location"]).content.decode()
    assert "Matched: 4" in page and "Ambiguous: 1" in page and "Not matched: 2" in page
    assert "Refused (outside the collaborative): 1" in page
    assert "Pat Morgan" in page and "iPhone de Laura" in page
    assert not Attendance.objects.filter(event=zoom_event).exists()
    staff.post(url("attendance_import_commit", zoom_event, import_id=staged.public_id))
    staff.post(url("attendance_import_commit", zoom_event, import_id=staged.public_id))
    assert Attendance.objects.filter(event=zoom_event, source="import").count() == 4
    staged.refresh_from_db()
    assert staged.status == ImportStatus.COMMITTED


def test_import_of_a_bad_file_says_why_and_stores_nothing(tenant_a, zoom_event):
    staff = client_for(tenant_a.staff)
    upload = SimpleUploadedFile("year.csv", report("year_1900.csv"))
    response = staff.post(url("attendance_import", zoom_event), {"report": upload})
    assert response.status_code == 200
    assert "year 1900" in response.content.decode()
    assert not AttendanceImport.objects.filter(event=zoom_event).exists()


def test_import_discard(tenant_a, people, zoom_event):
    staff = client_for(tenant_a.staff)
    staff.post(
        url("attendance_import", zoom_event),
        {"report": SimpleUploadedFile("z.csv", report("zoom_participants_utf8_bom.csv"))},
    )
    staged = AttendanceImport.objects.get(event=zoom_event)
    staff.post(url("attendance_import_discard", zoom_event, import_id=staged.public_id))
    staff.post(url("attendance_import_commit", zoom_event, import_id=staged.public_id))
    assert not Attendance.objects.filter(event=zoom_event).exists()
    staged.refresh_from_db()
    assert staged.status == ImportStatus.DISCARDED


def test_import_pages_are_for_staff_and_an_import_belongs_to_its_event(tenant_a, zoom_event):
    staged_id = tenant_a.extras["import_id"]
    builder_event = AttendanceImport.objects.get(public_id=staged_id).event
    for persona in (tenant_a.member, tenant_a.coach):
        client = client_for(persona)
        assert client.get(url("attendance_import", builder_event)).status_code == 403
        review = url("attendance_import_review", builder_event, import_id=staged_id)
        assert client.get(review).status_code == 403
        commit = url("attendance_import_commit", builder_event, import_id=staged_id)
        assert client.post(commit).status_code == 403
    # the import under another event's address is not found
    staff = client_for(tenant_a.staff)
    assert (
        staff.get(url("attendance_import_review", zoom_event, import_id=staged_id)).status_code
        == 404
    )
    assert (
        staff.post(url("attendance_import_commit", zoom_event, import_id=staged_id)).status_code
        == 404
    )
    assert AttendanceImport.objects.get(public_id=staged_id).status == ImportStatus.STAGED


# --- API ------------------------------------------------------------------------------


def _api(name, **kwargs):
    return reverse(f"api:{name}", kwargs=kwargs)


def test_api_event_attendance_for_staff_and_coaches(tenant_a, tenant_b, people, live_event):
    services.self_attest(event=live_event, user=tenant_a.member, kind="live")  # coached team
    services.self_attest(event=live_event, user=people.jose, kind="live")  # other team
    path = _api("event-attendance", event_id=live_event.public_id)
    staff = client_for(tenant_a.staff).get(path).json()
    assert {r["name"] for r in staff["results"]} == {
        tenant_a.member.display_name,
        people.jose.display_name,
    }
    coach = client_for(tenant_a.coach).get(path).json()
    assert [r["user"] for r in coach["results"]] == [str(tenant_a.member.public_id)]
    assert client_for(tenant_a.member).get(path).status_code == 403
    assert client_for(tenant_b.staff).get(path).status_code == 404
    assert client_for(people.pat).get(path).status_code == 404


def test_api_staff_mark_and_my_attendance(tenant_a, tenant_b, live_event):
    path = _api("event-attendance", event_id=live_event.public_id)
    body = {"user": str(tenant_a.lead.public_id), "present": True, "minutes": 45}
    assert (
        client_for(tenant_a.coach).post(path, body, content_type="application/json").status_code
        == 403
    )
    response = client_for(tenant_a.staff).post(path, body, content_type="application/json")
    assert response.status_code == 200 and response.json()["source"] == "roster"
    outsider = {"user": str(tenant_b.member.public_id), "present": True}
    response = client_for(tenant_a.staff).post(path, outsider, content_type="application/json")
    assert response.status_code == 400
    mine = client_for(tenant_a.lead).get(_api("my-attendance")).json()
    # the lead's other record is the tenant's past webinar (tenant_builder.py)
    assert {r["event"]: r["minutes"] for r in mine["results"]} == {
        str(live_event.public_id): 45,
        str(Event.objects.get(title="Alpha Program Past Webinar").public_id): None,
    }
    theirs = client_for(tenant_b.lead).get(_api("my-attendance")).json()["results"]
    assert [r["event_title"] for r in theirs] == ["Bravo Program Past Webinar BRAVO-PRIVATE"]
