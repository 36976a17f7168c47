"""Reading Zoom and Teams participant reports (files in tests/data/attendance/): every
encoding, every layout, and the files that must be refused. No database."""

import codecs
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from learning_sessions.attendance.imports import seconds_present
from learning_sessions.attendance.parsing import (
    MAX_ROWS,
    ReportError,
    decode,
    parse_duration,
    parse_report,
    parse_time,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "attendance"
ZONE = ZoneInfo("America/New_York")


def _minutes_by_person(name: str) -> dict[str, int]:
    report = parse_report((DATA / name).read_bytes(), zone=ZONE)
    groups: dict[str, list] = {}
    for row in report.rows:
        groups.setdefault((row.email or row.name).lower(), []).append(row)
    return {key: seconds_present(rows) // 60 for key, rows in groups.items()}


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("zoom_participants_utf8_bom.csv", "UTF-8 with BOM"),
        ("zoom_participants_cp1252.csv", "Windows-1252 (Latin-1)"),
    ],
)
def test_zoom_report_in_utf8_bom_and_cp1252_reads_the_same(name, encoding):
    report = parse_report((DATA / name).read_bytes(), zone=ZONE)
    assert (report.platform, report.encoding) == ("zoom", encoding)
    assert report.layout == "Zoom participants report"
    # the meeting block above the participants is skipped; the waiting-room row too
    assert len(report.rows) == 11
    assert report.notes == ["1 row was time in the waiting room, not counted."]
    assert "Muñoz, José" in {r.name for r in report.rows}
    minutes = _minutes_by_person(name)
    # Dana: 12:58:03-13:40:10 and 13:39:30-14:31:15 overlap (two devices): 93 min, not 95
    assert minutes["dana.reyes@riverside.example"] == 93
    # Marcus: 28 + 45, and the duplicated row is not counted twice
    assert minutes["marcus.chen@riverside.example"] == 73
    assert minutes["iphone de laura"] == 65  # a guest without an e-mail


def test_zoom_times_are_read_in_the_given_zone():
    report = parse_report((DATA / "zoom_participants_utf8_bom.csv").read_bytes(), zone=ZONE)
    staff = next(r for r in report.rows if r.email == "staff@alpha.example")
    assert staff.join == datetime(2026, 11, 17, 17, 55, 41, tzinfo=UTC)


def test_newer_zoom_layout_with_iso_times_and_offsets():
    report = parse_report((DATA / "zoom_participants_iso_utf8.csv").read_bytes(), zone=ZONE)
    assert (report.platform, report.encoding) == ("zoom", "UTF-8")
    dana = [r for r in report.rows if r.email == "dana.reyes@riverside.example"]
    assert dana[0].join == datetime(2026, 11, 17, 17, 58, 3, tzinfo=UTC)  # "Z"
    assert dana[1].join == datetime(2026, 11, 17, 18, 39, 30, tzinfo=UTC)  # "-05:00"
    assert (
        _minutes_by_person("zoom_participants_iso_utf8.csv")["dana.reyes@riverside.example"] == 93
    )


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("teams_attendance_utf16le.csv", "UTF-16 LE"), ("teams_attendance_utf16be.csv", "UTF-16 BE")],
)
def test_teams_report_uses_the_per_join_rows_across_midnight(name, encoding):
    report = parse_report((DATA / name).read_bytes(), zone=ZONE)
    assert (report.platform, report.encoding) == ("teams", encoding)
    assert "in-meeting activities" in report.layout
    minutes = _minutes_by_person(name)
    # Dana left at 23:20 and rejoined 23:45:50 to 00:01:55 the next day: 48m58s + 16m5s
    assert minutes["dana.reyes@riverside.example"] == 65
    assert minutes["staff@alpha.example"] == 95
    assert minutes["caller +1 555 0100"] == 30
    last = max(r.leave for r in report.rows if r.email == "Dana.Reyes@riverside.example")
    assert last == datetime(2026, 11, 19, 5, 1, 55, tzinfo=UTC)


def test_teams_participants_section_alone_uses_the_in_meeting_duration():
    report = parse_report((DATA / "teams_participants_only_utf8.csv").read_bytes(), zone=ZONE)
    assert report.layout == "Microsoft Teams attendance report (participants)"
    # first join to last leave spans 1h30m, but Dana was in the meeting 1h 5m 3s
    assert (
        _minutes_by_person("teams_participants_only_utf8.csv")["dana.reyes@riverside.example"] == 65
    )


def test_older_teams_layout_pairs_joined_and_left_by_name():
    report = parse_report((DATA / "teams_legacy_joined_left_utf16le.csv").read_bytes(), zone=ZONE)
    assert report.layout == "Microsoft Teams attendance list (joined/left)"
    minutes = _minutes_by_person("teams_legacy_joined_left_utf16le.csv")
    assert minutes == {"dana reyes": 65, "marcus chen": 65, "alpha staff": 95}


def test_older_teams_layout_closes_a_missing_left_at_the_reports_end():
    text = (
        "Full Name\tUser Action\tTimestamp\n"
        "Dana Reyes\tJoined\t11/18/2026, 10:00:00 PM\n"
        "Marcus Chen\tJoined\t11/18/2026, 10:10:00 PM\n"
        "Marcus Chen\tLeft\t11/18/2026, 10:40:00 PM\n"
    )
    report = parse_report(codecs.BOM_UTF16_LE + text.encode("utf-16-le"), zone=ZONE)
    dana = next(r for r in report.rows if r.name == "Dana Reyes")
    assert (dana.leave - dana.join).total_seconds() == 40 * 60
    assert "no “Left” row" in report.notes[0]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "The file is empty."),
        ("not_a_report.csv", "not a Zoom or Microsoft Teams participant report"),
        ("leave_before_join.csv", "line 2 (Dana Reyes): leaves at 13:10 before joining"),
        ("year_1900.csv", "not a plausible date (year 1900)"),
    ],
)
def test_files_that_are_refused_say_why(name, message):
    with pytest.raises(ReportError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_report((DATA / name).read_bytes(), zone=ZONE)


def test_oversized_and_overlong_reports_are_refused():
    with pytest.raises(ReportError, match="larger than 2 MB"):
        parse_report(b"Name,Join Time,Leave Time\n" + b"x" * (2 * 1024 * 1024), zone=ZONE)
    row = "A,a@example.org,11/17/2026 01:00 PM,11/17/2026 02:00 PM\n"
    text = "Name,Email,Join Time,Leave Time\n" + row * (MAX_ROWS + 1)
    with pytest.raises(ReportError, match="5,001 rows"):
        parse_report(text.encode(), zone=ZONE)


def test_a_report_with_headers_but_no_rows_is_refused():
    with pytest.raises(ReportError, match="lists no participants"):
        parse_report(b"Name,Email,Join Time,Leave Time\n", zone=ZONE)


def test_unreadable_times_list_every_bad_line():
    text = (
        "Name,Email,Join Time,Leave Time\n"
        "A,a@example.org,yesterday,11/17/2026 02:00 PM\n"
        "B,b@example.org,11/17/2026 01:00 PM,13/45/2026 02:00 PM\n"
    )
    with pytest.raises(ReportError) as error:
        parse_report(text.encode(), zone=ZONE)
    assert "line 2 (A)" in str(error.value) and "line 3 (B)" in str(error.value)
    assert "Nothing was imported" in str(error.value)


def test_decode_recognises_utf16_without_a_bom_and_damaged_utf16():
    assert decode("Name\tEmail\n".encode("utf-16-le")) == ("Name\tEmail\n", "UTF-16 LE")
    assert decode("Name\tEmail\n".encode("utf-16-be")) == ("Name\tEmail\n", "UTF-16 BE")
    with pytest.raises(ReportError, match="damaged"):
        decode(codecs.BOM_UTF16_LE + "Name".encode("utf-16-le") + b"\x00")


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1h 5m 3s", 3903),
        ("45m 2s", 2702),
        ("59s", 59),
        ("2h", 7200),
        ("65", 3900),
        ("1:05:03", 3903),
    ],
)
def test_durations(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "-5", "1x"])
def test_bad_durations(text):
    with pytest.raises(ValueError):
        parse_duration(text)


def test_times_in_every_format():
    expected = datetime(2026, 3, 17, 14, 58, 11, tzinfo=ZONE)
    for text in (
        "03/17/2026 02:58:11 PM",
        "3/17/26, 2:58:11\u202fPM",
        "3/17/2026, 14:58:11",
        "2026-03-17 14:58:11",
        "2026-03-17T18:58:11Z",
    ):
        assert parse_time(text, zone=ZONE) == expected, text


def test_teams_participant_without_email_falls_back_to_the_upn():
    text = (
        "2. Participants\n"
        "Name\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tParticipant ID (UPN)\tRole\n"
        "Kim Park\t11/18/26, 10:31 PM\t11/18/26, 11:01 PM\t30m\t"
        "\tkim.park@mercy.example\tAttendee\n"
        "Caller\t11/18/26, 10:31 PM\t11/18/26, 11:01 PM\t30m\t\t\tAttendee\n"
    )
    report = parse_report(text.encode("utf-8"), zone=ZONE)
    assert [r.email for r in report.rows] == ["kim.park@mercy.example", ""]
