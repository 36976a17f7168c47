"""Importing Zoom and Teams reports: matching, the review's plan, the all-or-nothing
commit that happens once, and the files that store nothing."""

import pytest
from django.core.exceptions import ValidationError

from core.models import AuditEvent
from learning_sessions.attendance import imports, services
from learning_sessions.models import Attendance, AttendanceImport, ImportStatus
from teams.models import TeamMembership

from .conftest import make_event, report

pytestmark = pytest.mark.django_db


def _stage(event, tenant, name):
    return imports.stage_import(event=event, actor=tenant.staff, data=report(name), filename=name)


def _by_email(entries):
    return {e["email"].lower(): e for e in entries}


@pytest.mark.parametrize("name", ["zoom_participants_utf8_bom.csv", "zoom_participants_cp1252.csv"])
def test_zoom_report_is_matched_and_staged_without_recording(tenant_a, people, zoom_event, name):
    staged = _stage(zoom_event, tenant_a, name)
    result = staged.result
    assert staged.status == ImportStatus.STAGED and staged.platform == "zoom"
    matched = _by_email(result["matched"])
    assert set(matched) == {
        "staff@alpha.example",
        "dana.reyes@riverside.example",
        "marcus.chen@riverside.example",  # the report says MARCUS.CHEN@Riverside.example
        "jose.munoz@riverside.example",
    }
    assert matched["dana.reyes@riverside.example"]["minutes"] == 93  # overlap merged
    assert matched["marcus.chen@riverside.example"]["minutes"] == 73  # duplicate row once
    assert matched["jose.munoz@riverside.example"]["name"].startswith("José Muñoz")
    # a guest row without an e-mail whose name two people in the collaborative share
    assert [(e["name"], e["email"]) for e in result["ambiguous"]] == [("Ann Lee", "")]
    assert {e["email"] for e in result["refused"]} == {"pat.morgan@alpha-other.example"}
    assert {(e["name"], e["email"]) for e in result["unmatched"]} == {
        ("iPhone de Laura", ""),
        ("Jordan Doe", "j.doe.1987@gmail.com"),
    }
    assert any("waiting room" in note for note in result["notes"])
    assert not Attendance.objects.filter(event=zoom_event).exists()
    assert AuditEvent.objects.filter(verb="attendance.import_staged").count() == 1


def test_commit_records_minutes_once_and_a_second_commit_does_nothing(tenant_a, people, zoom_event):
    staged = _stage(zoom_event, tenant_a, "zoom_participants_utf8_bom.csv")
    summary = imports.commit_import(staged=staged, actor=tenant_a.staff)
    assert (summary.recorded, summary.kept, summary.left, summary.already) == (4, 0, 0, False)
    dana = Attendance.objects.get(event=zoom_event, user=people.dana)
    assert (dana.source, dana.minutes, dana.mode, dana.recorded_by) == (
        "import",
        93,
        "live",
        tenant_a.staff,
    )
    assert not Attendance.objects.filter(
        user__in=[people.pat, people.ann, people.ann_again]
    ).exists()
    staged.refresh_from_db()
    assert staged.status == ImportStatus.COMMITTED and staged.decided_by == tenant_a.staff
    audits = AuditEvent.objects.count()
    again = imports.commit_import(staged=staged, actor=tenant_a.staff)
    assert again.already and Attendance.objects.filter(event=zoom_event).count() == 4
    assert AuditEvent.objects.count() == audits
    assert not imports.discard_import(staged=staged, actor=tenant_a.staff)


def test_import_upgrades_own_statements_and_codes_and_keeps_roster_marks(
    tenant_a, people, zoom_event
):
    services.record_attendance(
        event=zoom_event,
        person=people.dana,
        source="self_live",
        actor=people.dana,
        verb="attendance.attested",
    )
    services.record_attendance(
        event=zoom_event, person=people.marcus, source="code", actor=people.marcus, verb="x"
    )
    services.roster_mark(event=zoom_event, actor=tenant_a.staff, person=people.jose, present=False)
    staged = _stage(zoom_event, tenant_a, "zoom_participants_utf8_bom.csv")
    plan = {p.entry["email"]: p for p in imports.planned_rows(staged=staged)}
    assert plan["dana.reyes@riverside.example"].action.startswith("Replaces their own statement")
    assert plan["marcus.chen@riverside.example"].action == "Adds the minutes to their code check-in"
    assert plan["jose.munoz@riverside.example"].action == (
        "Kept as is: staff marked them absent on the roster"
    )
    assert not plan["jose.munoz@riverside.example"].applies
    assert plan["staff@alpha.example"].action == "New: present"
    summary = imports.commit_import(staged=staged, actor=tenant_a.staff)
    assert (summary.recorded, summary.kept) == (3, 1)
    records = {a.user: a for a in Attendance.objects.filter(event=zoom_event)}
    assert (records[people.dana].source, records[people.dana].minutes) == ("import", 93)
    assert (records[people.marcus].source, records[people.marcus].minutes) == ("import", 73)
    assert (records[people.jose].source, records[people.jose].present) == ("roster", False)


def test_commit_is_all_or_nothing(tenant_a, people, zoom_event, monkeypatch):
    staged = _stage(zoom_event, tenant_a, "zoom_participants_utf8_bom.csv")
    real = imports.record_attendance
    calls = []

    def failing(**kwargs):
        calls.append(kwargs["person"])
        if len(calls) == 3:
            raise RuntimeError("database went away")
        return real(**kwargs)

    monkeypatch.setattr(imports, "record_attendance", failing)
    with pytest.raises(RuntimeError):
        imports.commit_import(staged=staged, actor=tenant_a.staff)
    assert not Attendance.objects.filter(event=zoom_event).exists()
    staged.refresh_from_db()
    assert staged.status == ImportStatus.STAGED
    monkeypatch.setattr(imports, "record_attendance", real)
    assert imports.commit_import(staged=staged, actor=tenant_a.staff).recorded == 4


def test_people_who_left_the_collaborative_since_staging_are_skipped(tenant_a, people, zoom_event):
    staged = _stage(zoom_event, tenant_a, "zoom_participants_utf8_bom.csv")
    TeamMembership.objects.filter(user=people.dana).update(is_active=False)
    summary = imports.commit_import(staged=staged, actor=tenant_a.staff)
    assert (summary.recorded, summary.left) == (3, 1)
    assert not Attendance.objects.filter(user=people.dana).exists()


@pytest.mark.parametrize("name", ["teams_attendance_utf16le.csv", "teams_attendance_utf16be.csv"])
def test_teams_report_matches_by_email_case_insensitively(tenant_a, people, teams_event, name):
    result = _stage(teams_event, tenant_a, name).result
    matched = _by_email(result["matched"])
    assert matched["dana.reyes@riverside.example"]["minutes"] == 65
    assert matched["marcus.chen@riverside.example"]["minutes"] == 65
    assert [e["name"] for e in result["unmatched"]] == ["Caller +1 555 0100"]
    assert matched["ann.lee@lakeside.example"]["minutes"] == 30
    assert result["ambiguous"] == []
    assert not any("far from the event" in note for note in result["notes"])


def test_older_teams_layout_matches_by_name_and_says_so(tenant_a, people, teams_event):
    result = _stage(teams_event, tenant_a, "teams_legacy_joined_left_utf16le.csv").result
    matched = _by_email(result["matched"])
    dana = matched["dana.reyes@riverside.example"]
    assert (dana["by"], dana["minutes"]) == ("name", 65)
    assert matched["staff@alpha.example"]["minutes"] == 95


def test_two_people_with_the_same_name_are_ambiguous(tenant_a, people, teams_event):
    text = "Full Name\tUser Action\tTimestamp\n" + (
        "Ann Lee\tJoined\t11/18/2026, 10:40:00 PM\nAnn Lee\tLeft\t11/18/2026, 11:10:00 PM\n"
    )
    staged = imports.stage_import(
        event=teams_event, actor=tenant_a.staff, data=text.encode(), filename="t.csv"
    )
    assert staged.result["matched"] == []
    assert (
        "2 people in this collaborative have this name" in staged.result["ambiguous"][0]["reason"]
    )


def test_a_report_of_another_day_is_flagged(tenant_a, people):
    event = make_event(tenant_a, days=3)
    result = _stage(event, tenant_a, "zoom_participants_utf8_bom.csv").result
    assert any("far from the event" in note for note in result["notes"])


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "empty"),
        ("not_a_report.csv", "not a Zoom or Microsoft Teams"),
        ("leave_before_join.csv", "before joining"),
        ("year_1900.csv", "year 1900"),
    ],
)
def test_bad_files_store_nothing(tenant_a, zoom_event, name, message):
    with pytest.raises(ValidationError, match=message):
        _stage(zoom_event, tenant_a, name)
    assert not AttendanceImport.objects.filter(event=zoom_event).exists()
    assert not Attendance.objects.filter(event=zoom_event).exists()
