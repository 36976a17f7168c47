"""Reading a meeting platform's participant report: Zoom and Microsoft Teams.

Pure functions, no database: bytes in, a list of rows (who, e-mail, join and leave
times or a duration) out, or a ReportError whose message staff can act on.

Layouts read (header names are matched case-insensitively, extra columns ignored):

* Zoom "Participants" export (Reports > Usage > Participants, comma-separated),
  optionally preceded by the meeting's own header row ("Meeting ID, Topic, ...") and
  a blank line: "Name (Original Name), User Email, Join Time, Leave Time, Duration
  (Minutes), Guest, Recording Consent / Recording disclaimer response, In Waiting
  Room"; newer exports say "Email" and "Join time". One row per join, so a person who
  rejoins has several rows. Rows spent in the waiting room are not attendance.
* Microsoft Teams attendance report (UTF-16 LE with a BOM, tab-separated): "1.
  Summary", then "2. Participants" (Name, First Join, Last Leave, In-Meeting
  Duration, Email, Participant ID (UPN), Role) and sometimes "3. In-Meeting
  Activities" with one row per join (Name, Join Time, Leave Time, Duration, Email,
  Role). The per-join rows are used when present, the per-person summary otherwise.
* The older Teams layout: "Full Name, User Action (Joined / Joined before / Left),
  Timestamp", paired into intervals per name.

Encodings: UTF-8 (with or without BOM), UTF-16 LE/BE (BOM, or none when the NUL
bytes say so), else Windows-1252 (Latin-1), which Excel on Windows writes.
Times without a zone are read in the zone given (the collaborative's); ISO times
with an offset keep it.
"""

from __future__ import annotations

import codecs
import csv
import re
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

#: Biggest report accepted, in bytes and in data rows (a 1,000-person congress with
#: rejoins stays far below both).
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
#: Years a meeting can plausibly have happened in (a 1900 date is a broken export).
YEARS = (2000, 2200)
#: How many row problems one message lists before "and N more".
MAX_LISTED = 8


class ReportError(ValueError):
    """The file cannot be read as a participant report; the message says why."""


@dataclass
class ReportRow:
    """One line of the report: one join of one person (or their per-person summary)."""

    line: int
    name: str
    email: str
    join: datetime | None = None
    leave: datetime | None = None
    #: Seconds present when the report gives a total rather than an interval
    #: (Teams' per-person summary, whose first join to last leave spans the gaps).
    seconds: int | None = None


@dataclass
class ParsedReport:
    platform: str  # "zoom" or "teams" (ImportPlatform values)
    layout: str  # in words, for the review screen
    encoding: str  # in words, for the review screen
    rows: list[ReportRow]
    notes: list[str] = field(default_factory=list)


# --- text -----------------------------------------------------------------------------


def decode(data: bytes) -> tuple[str, str]:
    """The file's text and the name of its encoding, trying BOMs, then UTF-8, then cp1252."""
    try:
        if data.startswith(codecs.BOM_UTF8):
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "UTF-8 with BOM"
        if data.startswith(codecs.BOM_UTF16_LE):
            return data[2:].decode("utf-16-le"), "UTF-16 LE"
        if data.startswith(codecs.BOM_UTF16_BE):
            return data[2:].decode("utf-16-be"), "UTF-16 BE"
        head = data[:400]
        if head.count(0) > len(head) // 4:  # UTF-16 without a BOM: every other byte NUL
            if head[1::2].count(0) >= head[0::2].count(0):
                return data.decode("utf-16-le"), "UTF-16 LE"
            return data.decode("utf-16-be"), "UTF-16 BE"
    except UnicodeDecodeError:
        raise ReportError(
            "The file says it is UTF-16 text but is damaged (cut short?). Export the "
            "report again and upload it unchanged."
        ) from None
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    # cp1252 leaves five bytes undefined; latin-1 reads every byte.
    try:
        return data.decode("cp1252"), "Windows-1252 (Latin-1)"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "Latin-1"


def _clean(cell: str) -> str:
    return cell.replace("\ufeff", "").replace("\u202f", " ").replace("\xa0", " ").strip()


def _key(cell: str) -> str:
    return re.sub(r"\s+", " ", _clean(cell).strip('"').lower())


def _split(text: str) -> list[tuple[int, list[str]]]:
    """(line number, cells) for each line; tab-separated if the text has tabs, else commas."""
    delimiter = "\t" if "\t" in text[:5000] else ","
    reader = csv.reader(text.splitlines(), delimiter=delimiter)
    try:
        return [(reader.line_num, [_clean(c) for c in cells]) for cells in reader]
    except csv.Error as error:
        raise ReportError(f"Line {reader.line_num} cannot be read as CSV ({error}).") from None


# --- values ---------------------------------------------------------------------------

_FORMATS = (
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%y %I:%M:%S %p",
    "%m/%d/%y %I:%M %p",
    "%m/%d/%y %H:%M:%S",
    "%m/%d/%y %H:%M",
    "%Y-%m-%d %I:%M:%S %p",
)

_DURATION = re.compile(r"^(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*(?:(\d+)\s*s(?:ec)?)?$", re.I)


def parse_time(value: str, *, zone: tzinfo) -> datetime:
    """A report's time: "11/17/2026 01:58:03 PM", "3/17/25, 2:58:11 PM", ISO 8601.

    Raises ValueError for anything else, and for years outside YEARS.
    """
    text = re.sub(r"\s+", " ", _clean(value).replace(",", " "))
    moment = None
    try:
        moment = datetime.fromisoformat(_clean(value).replace("Z", "+00:00"))
    except ValueError:
        for pattern in _FORMATS:
            try:
                moment = datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
    if moment is None:
        raise ValueError(f"“{value}” is not a date and time")
    if not YEARS[0] <= moment.year <= YEARS[1]:
        raise ValueError(f"“{value}” is not a plausible date (year {moment.year})")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment


def parse_duration(value: str) -> int:
    """Seconds in "1h 5m 3s", "45m 2s", "59s", "1:05:03", or whole minutes ("65")."""
    text = _clean(value)
    if re.fullmatch(r"\d+", text):
        return int(text) * 60
    if re.fullmatch(r"\d+:\d{1,2}:\d{1,2}", text):
        hours, minutes, seconds = (int(p) for p in text.split(":"))
        return hours * 3600 + minutes * 60 + seconds
    match = _DURATION.fullmatch(text)
    if text and match and any(match.groups()):
        hours, minutes, seconds = (int(g or 0) for g in match.groups())
        return hours * 3600 + minutes * 60 + seconds
    raise ValueError(f"“{value}” is not a duration")


# --- layouts --------------------------------------------------------------------------

_NAME = ("name (original name)", "name", "full name", "participant", "user name", "display name")
_EMAIL = ("user email", "email", "e-mail", "email address", "attendee email")
_JOIN = ("join time", "first join", "join")
_LEAVE = ("leave time", "last leave", "leave")
_DURATION_COLS = ("in-meeting duration", "duration", "duration (minutes)", "attendance duration")
_SECTION = re.compile(r"^\d+\.\s")
_TEAMS_SECTION = re.compile(r"^\d\. (summary|participants|in-meeting)")


def _find(header: list[str], names: tuple[str, ...]) -> int | None:
    keys = [_key(h) for h in header]
    for name in names:
        if name in keys:
            return keys.index(name)
    return None


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


def _section(lines: list[tuple[int, list[str]]], start: int) -> list[tuple[int, list[str]]]:
    """The data lines after a header at `start`, up to a blank line or the next "3. ..."."""
    rows = []
    for number, cells in lines[start + 1 :]:
        if not any(cells):
            break
        if len([c for c in cells if c]) == 1 and _SECTION.match(cells[0]):
            break
        rows.append((number, cells))
    return rows


class _Problems(list):
    def fail_if_any(self) -> None:
        if self:
            shown = self[:MAX_LISTED]
            more = f" (and {len(self) - MAX_LISTED} more)" if len(self) > MAX_LISTED else ""
            raise ReportError(
                "Nothing was imported: " + "; ".join(shown) + more + ". Correct the file or "
                "export the report again."
            )


def _interval_rows(
    data: list[tuple[int, list[str]]], header: list[str], *, zone: tzinfo, summary: bool
) -> tuple[list[ReportRow], int]:
    """Rows with join and leave times (and a duration, used for Teams' summary).

    Returns the rows and how many were skipped as time in Zoom's waiting room.
    """
    name_i, email_i = _find(header, _NAME), _find(header, _EMAIL)
    join_i, leave_i = _find(header, _JOIN), _find(header, _LEAVE)
    duration_i = _find(header, _DURATION_COLS)
    waiting_i = _find(header, ("in waiting room",))
    upn_i = _find(header, ("participant id (upn)",))
    problems = _Problems()
    rows: list[ReportRow] = []
    waiting = 0
    for number, cells in data:
        name, email = _cell(cells, name_i), _cell(cells, email_i)
        if not email and "@" in _cell(cells, upn_i):
            email = _cell(cells, upn_i)  # Teams leaves Email empty for some guests
        who = name or email or "a participant"
        if _cell(cells, waiting_i).lower() in ("yes", "true", "y"):
            waiting += 1
            continue
        try:
            join = parse_time(_cell(cells, join_i), zone=zone)
            leave = parse_time(_cell(cells, leave_i), zone=zone)
            seconds = None
            if summary and duration_i is not None and _cell(cells, duration_i):
                seconds = parse_duration(_cell(cells, duration_i))
        except ValueError as error:
            problems.append(f"line {number} ({who}): {error}")
            continue
        if leave < join:
            problems.append(f"line {number} ({who}): leaves at {leave:%H:%M} before joining")
            continue
        if seconds is not None and seconds > (leave - join).total_seconds() + 60:
            problems.append(
                f"line {number} ({who}): {_cell(cells, duration_i)} in the meeting is longer "
                "than from first join to last leave"
            )
            continue
        rows.append(ReportRow(number, name, email.strip(), join, leave, seconds))
    problems.fail_if_any()
    return rows, waiting


def _action_rows(
    data: list[tuple[int, list[str]]], header: list[str], *, zone: tzinfo
) -> tuple[list[ReportRow], int]:
    """Teams' older layout: "Joined"/"Left" events per name, paired into intervals.

    Returns the rows and how many people never left (closed at the report's end)."""
    name_i, action_i = _find(header, _NAME), _find(header, ("user action",))
    time_i, email_i = _find(header, ("timestamp",)), _find(header, _EMAIL)
    problems = _Problems()
    open_joins: dict[str, tuple[int, datetime, str]] = {}
    rows: list[ReportRow] = []
    names: dict[str, str] = {}
    events = []
    for number, cells in data:
        name = _cell(cells, name_i)
        try:
            moment = parse_time(_cell(cells, time_i), zone=zone)
        except ValueError as error:
            problems.append(f"line {number} ({name or 'a participant'}): {error}")
            continue
        events.append((moment, number, name, _cell(cells, action_i).lower(), _cell(cells, email_i)))
    problems.fail_if_any()
    for moment, number, name, action, email in sorted(events, key=lambda e: (e[0], e[1])):
        key = (email or name).lower()
        names.setdefault(key, name)
        if action.startswith("join"):
            open_joins.setdefault(key, (number, moment, email))
        elif action.startswith("left") or action.startswith("leave"):
            if key not in open_joins:
                problems.append(f"line {number} ({name}): leaves without having joined")
                continue
            line, join, join_email = open_joins.pop(key)
            names[key] = name
            rows.append(ReportRow(line, name, email or join_email, join, moment))
        else:
            problems.append(f"line {number} ({name}): unknown action “{action}”")
    problems.fail_if_any()
    # Teams writes no "Left" for people still in the meeting when the report was taken:
    # they count until the report's last moment, which the review screen says.
    last = max(e[0] for e in events) if events else None
    for key, (line, join, email) in open_joins.items():
        rows.append(ReportRow(line, names.get(key, key), email, join, last))
    return rows, len(open_joins)


def parse_report(data: bytes, *, zone: tzinfo) -> ParsedReport:
    """Read a Zoom or Teams participant report, or raise ReportError saying why not."""
    if not data.strip(b"\x00\r\n\t ,\xef\xbb\xbf\xff\xfe"):
        raise ReportError("The file is empty.")
    if len(data) > MAX_BYTES:
        raise ReportError(
            f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB: a participant report "
            "is far smaller. Check that you chose the right file."
        )
    text, encoding = decode(data)
    lines = _split(text)
    found = None
    saw_teams_section = False
    for index, (_number, cells) in enumerate(lines):
        keys = {_key(c) for c in cells if c}
        if len(keys) == 1 and _TEAMS_SECTION.match(next(iter(keys))):
            saw_teams_section = True
        elif {"first join", "last leave"} <= keys:
            found = found or ("teams-summary", index)
        elif {"user action", "timestamp"} <= keys:
            found = ("teams-actions", index)
            break
        elif {"join time", "leave time"} <= keys and keys & set(_NAME + _EMAIL):
            teams = saw_teams_section or "role" in keys
            found = ("teams-activities" if teams else "zoom", index)
            break
    if found is None:
        first = next((cells for _n, cells in lines if any(cells)), [])
        seen = ", ".join(c for c in first if c)[:200] or "nothing readable"
        raise ReportError(
            "This is not a Zoom or Microsoft Teams participant report: no line names the "
            "columns we need (a name or e-mail, and join and leave times). The first line "
            f"reads: {seen}."
        )
    kind, index = found
    header = lines[index][1]
    data_lines = _section(lines, index)
    if len(data_lines) > MAX_ROWS:
        raise ReportError(
            f"The report has {len(data_lines):,} rows; at most {MAX_ROWS:,} are read at once."
        )
    notes = []
    if kind == "teams-actions":
        rows, still_in = _action_rows(data_lines, header, zone=zone)
        platform, layout = "teams", "Microsoft Teams attendance list (joined/left)"
        if still_in:
            notes.append(
                f"{still_in} {'people have' if still_in != 1 else 'person has'} no “Left” "
                "row: counted until the report's last time."
            )
    else:
        rows, waiting = _interval_rows(
            data_lines, header, zone=zone, summary=kind == "teams-summary"
        )
        if waiting:
            rows_were = "rows were" if waiting != 1 else "row was"
            notes.append(f"{waiting} {rows_were} time in the waiting room, not counted.")
        platform = "zoom" if kind == "zoom" else "teams"
        layout = {
            "zoom": "Zoom participants report",
            "teams-summary": "Microsoft Teams attendance report (participants)",
            "teams-activities": "Microsoft Teams attendance report (in-meeting activities)",
        }[kind]
    if not rows:
        raise ReportError("The report lists no participants.")
    return ParsedReport(platform, layout, encoding, rows, notes)
