"""Attendance services: the session code and its window, staff's roster, people's own
statements, and the precedence between sources."""

import re
from datetime import timedelta

import pytest
import qrcode
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone
from qrcode.constants import ERROR_CORRECT_M

from core.models import AuditEvent
from learning_sessions.attendance import services
from learning_sessions.attendance.qr import qr_svg
from learning_sessions.attendance.selectors import attended, counts_of, roster_of
from learning_sessions.models import Attendance, AttendanceCode

from .conftest import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def live_event(tenant_a):
    """Started ten minutes ago, one hour long."""
    starts = timezone.now() - timedelta(minutes=10)
    return make_event(
        tenant_a, starts_at=starts, ends_at=starts + timedelta(hours=1), recording_url=""
    )


def _code(event, tenant):
    return services.code_for(event=event, actor=tenant.staff).code


def _record(event, user):
    return Attendance.objects.filter(event=event, user=user).first()


# --- the code --------------------------------------------------------------------------


def test_code_uses_an_unambiguous_alphabet_and_is_stable_until_regenerated(tenant_a, live_event):
    code = _code(live_event, tenant_a)
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{6}", code)
    assert _code(live_event, tenant_a) == code
    new = services.code_regenerate(event=live_event, actor=tenant_a.staff).code
    assert new != code
    assert AttendanceCode.objects.filter(event=live_event).count() == 1
    assert AuditEvent.objects.filter(verb="attendance.code_regenerated").count() == 1
    with pytest.raises(ValidationError, match="not right"):
        services.check_in_with_code(event=live_event, user=tenant_a.member, code=code)


def test_entering_the_code_in_the_window_records_attendance(tenant_a, live_event):
    code = _code(live_event, tenant_a)
    outcome = services.check_in_with_code(
        event=live_event, user=tenant_a.member, code=f" {code.lower()[:3]}-{code[3:]} "
    )
    assert outcome.changed
    record = _record(live_event, tenant_a.member)
    assert (record.source, record.present, record.mode, record.minutes) == (
        "code",
        True,
        "live",
        None,
    )
    assert record.recorded_by is None
    audit = AuditEvent.objects.get(verb="attendance.checked_in")
    assert audit.actor == tenant_a.member
    # again: nothing changes, no second audit row
    assert not services.check_in_with_code(
        event=live_event, user=tenant_a.member, code=code
    ).changed
    assert AuditEvent.objects.filter(verb="attendance.checked_in").count() == 1


@pytest.mark.parametrize(
    ("start_offset", "message"),
    [
        (timedelta(minutes=16), "Check-in opens at"),  # starts in 16 minutes
        (timedelta(minutes=-91), "Check-in closed at"),  # ended 31 minutes ago (1h event)
    ],
)
def test_code_outside_the_window_is_refused(tenant_a, start_offset, message):
    starts = timezone.now() + start_offset
    event = make_event(tenant_a, starts_at=starts, ends_at=starts + timedelta(hours=1))
    code = _code(event, tenant_a)
    with pytest.raises(ValidationError, match=message):
        services.check_in_with_code(event=event, user=tenant_a.member, code=code)
    assert not Attendance.objects.filter(event=event).exists()


def test_window_edges_are_accepted(tenant_a):
    starts = timezone.now() + timedelta(minutes=14)  # opens 15 minutes before
    event = make_event(tenant_a, starts_at=starts, ends_at=starts + timedelta(hours=1))
    services.check_in_with_code(event=event, user=tenant_a.member, code=_code(event, tenant_a))
    starts = timezone.now() - timedelta(minutes=89)  # ended 29 minutes ago
    late = make_event(tenant_a, starts_at=starts, ends_at=starts + timedelta(hours=1))
    services.check_in_with_code(event=late, user=tenant_a.lead, code=_code(late, tenant_a))
    assert Attendance.objects.filter(event__in=[event, late], source="code").count() == 2


def test_code_of_another_event_is_recognised(tenant_a, live_event):
    other = make_event(tenant_a, starts_at=live_event.starts_at, ends_at=live_event.ends_at)
    _code(live_event, tenant_a)
    with pytest.raises(ValidationError, match="code of a different event"):
        services.check_in_with_code(
            event=live_event, user=tenant_a.member, code=_code(other, tenant_a)
        )
    assert not Attendance.objects.filter(event__title__startswith="Sepsis").exists()


def test_person_outside_the_collaborative_cannot_check_in(tenant_a, live_event, people):
    with pytest.raises(ValidationError, match="Only members of the collaborative"):
        services.check_in_with_code(
            event=live_event, user=people.pat, code=_code(live_event, tenant_a)
        )
    assert not Attendance.objects.filter(event__title__startswith="Sepsis").exists()


def test_cancelled_event_refuses_the_code(tenant_a, live_event):
    code = _code(live_event, tenant_a)
    live_event.is_cancelled = True
    live_event.save()
    with pytest.raises(ValidationError, match="cancelled"):
        services.check_in_with_code(event=live_event, user=tenant_a.member, code=code)


def test_guessing_is_throttled_per_person_and_event(tenant_a, live_event):
    code = _code(live_event, tenant_a)
    for _ in range(services.CODE_TRIES):
        with pytest.raises(ValidationError, match="not right"):
            services.check_in_with_code(event=live_event, user=tenant_a.member, code="ZZZZZZ")
    with pytest.raises(ValidationError, match="Too many wrong codes"):
        services.check_in_with_code(event=live_event, user=tenant_a.member, code=code)
    assert not Attendance.objects.filter(event=live_event).exists()
    # another person at the same event is not locked out
    services.check_in_with_code(event=live_event, user=tenant_a.lead, code=code)


# --- own statements and precedence -----------------------------------------------------


def test_self_attestation_live_only_after_the_start(tenant_a):
    event = make_event(tenant_a, days=1)
    with pytest.raises(ValidationError, match="once the event has started"):
        services.self_attest(event=event, user=tenant_a.member, kind="live")
    assert not Attendance.objects.filter(event__title__startswith="Sepsis").exists()


def test_self_attestation_recording_needs_a_recording_and_sane_minutes(tenant_a, live_event):
    with pytest.raises(ValidationError, match="No recording"):
        services.self_attest(event=live_event, user=tenant_a.member, kind="recording", minutes=30)
    live_event.recording_url = "https://video.example/1"
    live_event.save()
    with pytest.raises(ValidationError, match="between 0 and 180"):  # 60-minute event x 3
        services.self_attest(event=live_event, user=tenant_a.member, kind="recording", minutes=181)
    with pytest.raises(ValidationError, match="at least 1"):
        services.self_attest(event=live_event, user=tenant_a.member, kind="recording", minutes=0)
    services.self_attest(event=live_event, user=tenant_a.member, kind="recording", minutes=45)
    record = _record(live_event, tenant_a.member)
    assert (record.source, record.mode, record.minutes) == ("self_recording", "recording", 45)


def test_minutes_cap_never_exceeds_a_thousand(tenant_a):
    starts = timezone.now()
    congress = make_event(tenant_a, starts_at=starts, ends_at=starts + timedelta(hours=8))
    assert services.minutes_cap(event=congress) == 1000


def test_a_person_may_correct_their_own_statement(tenant_a, live_event):
    live_event.recording_url = "https://video.example/1"
    live_event.save()
    services.self_attest(event=live_event, user=tenant_a.member, kind="live")
    services.self_attest(event=live_event, user=tenant_a.member, kind="recording", minutes=20)
    assert _record(live_event, tenant_a.member).source == "self_recording"


def test_self_attestation_never_downgrades_a_code(tenant_a, live_event):
    services.check_in_with_code(
        event=live_event, user=tenant_a.member, code=_code(live_event, tenant_a)
    )
    outcome = services.self_attest(event=live_event, user=tenant_a.member, kind="live")
    assert not outcome.changed
    assert _record(live_event, tenant_a.member).source == "code"


def test_code_upgrades_a_self_attestation(tenant_a, live_event):
    services.self_attest(event=live_event, user=tenant_a.member, kind="live")
    services.check_in_with_code(
        event=live_event, user=tenant_a.member, code=_code(live_event, tenant_a)
    )
    record = _record(live_event, tenant_a.member)
    assert record.source == "code"
    audit = AuditEvent.objects.get(verb="attendance.checked_in")
    assert audit.data["replaced"]["source"] == "self_live"


def test_staff_absent_mark_cannot_be_overturned_by_the_person(tenant_a, live_event):
    services.roster_mark(
        event=live_event, actor=tenant_a.staff, person=tenant_a.member, present=False
    )
    with pytest.raises(ValidationError, match="marked you absent"):
        services.self_attest(event=live_event, user=tenant_a.member, kind="live")
    with pytest.raises(ValidationError, match="marked you absent"):
        services.check_in_with_code(
            event=live_event, user=tenant_a.member, code=_code(live_event, tenant_a)
        )
    record = _record(live_event, tenant_a.member)
    assert (record.source, record.present) == ("roster", False)
    assert not attended(event=live_event).exists()


def test_roster_outranks_a_code_and_is_audited(tenant_a, live_event):
    services.check_in_with_code(
        event=live_event, user=tenant_a.member, code=_code(live_event, tenant_a)
    )
    services.roster_mark(
        event=live_event, actor=tenant_a.staff, person=tenant_a.member, present=True, minutes=55
    )
    record = _record(live_event, tenant_a.member)
    assert (record.source, record.minutes, record.recorded_by) == ("roster", 55, tenant_a.staff)
    audit = AuditEvent.objects.get(verb="attendance.marked")
    assert audit.actor == tenant_a.staff and audit.data["replaced"]["source"] == "code"
    # the same mark again changes nothing
    assert not services.roster_mark(
        event=live_event, actor=tenant_a.staff, person=tenant_a.member, present=True, minutes=55
    ).changed
    # absent drops the minutes
    services.roster_mark(
        event=live_event, actor=tenant_a.staff, person=tenant_a.member, present=False, minutes=55
    )
    assert _record(live_event, tenant_a.member).minutes is None


def test_roster_refuses_people_outside_the_collaborative_and_bad_minutes(
    tenant_a, live_event, people
):
    with pytest.raises(ValidationError, match="Only members"):
        services.roster_mark(
            event=live_event, actor=tenant_a.staff, person=people.pat, present=True
        )
    with pytest.raises(ValidationError, match="between 0 and 180"):
        services.roster_mark(
            event=live_event,
            actor=tenant_a.staff,
            person=tenant_a.member,
            present=True,
            minutes=500,
        )
    assert not Attendance.objects.filter(event__title__startswith="Sepsis").exists()


def test_roster_and_counts(tenant_a, live_event, people):
    services.roster_mark(event=live_event, actor=tenant_a.staff, person=people.dana, present=True)
    services.roster_mark(
        event=live_event, actor=tenant_a.staff, person=tenant_a.lead, present=False
    )
    services.self_attest(event=live_event, user=tenant_a.member, kind="live")
    rows = {row.person: row for row in roster_of(event=live_event)}
    assert people.pat not in rows  # another collaborative's team
    assert {tenant_a.staff, tenant_a.coach, tenant_a.admin, people.dana} <= set(rows)
    assert rows[people.dana].state == "present"
    assert rows[tenant_a.lead].state == "absent"
    assert rows[tenant_a.coach].state == "unknown"
    counts = counts_of(event=live_event)
    assert (counts.present, counts.absent) == (2, 1)
    assert dict(counts.by_source) == {
        "Marked by staff": 1,
        "Said they attended live": 1,
    }


def test_qr_svg_draws_exactly_the_modules_of_the_code_without_inline_style():
    link = "https://qi.example/events/0f7a/check-in/?code=AB2345"
    svg = str(qr_svg(link, title="Code <AB2345>"))
    assert "style" not in svg and "<script" not in svg
    assert "Code &lt;AB2345&gt;" in svg
    drawn = {tuple(map(int, m)) for m in re.findall(r"M(\d+),(\d+)h1v1h-1z", svg)}
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4)
    code.add_data(link)
    code.make(fit=True)
    expected = {
        (x, y) for y, line in enumerate(code.get_matrix()) for x, dark in enumerate(line) if dark
    }
    assert drawn == expected and len(expected) > 200
