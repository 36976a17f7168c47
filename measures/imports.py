"""Reading and checking an uploaded CSV or XLSX file of measure values.

Two steps, both without writing anything:

1. `read_table(file_name, data)` turns the bytes into a header and rows of cells,
   whatever the encoding (UTF-8 with or without a byte-order mark, Windows-1252,
   UTF-16 from Excel's "Unicode text"), delimiter (comma, semicolon, tab) or format
   (XLSX, where Excel dates arrive as dates and formulas are refused);
2. `check_rows(table, context)` checks every row and column against the collaborative
   (known teams, measures in the team's set, reporting periods, numbers that make
   sense, periods still open) and returns the rows ready to write plus every problem,
   each with its row number and column name.

The import service (measures.services.imports) stores the result as a preview; the
commit writes all rows or none. A row without any number or note changes nothing
(a blank template row never deletes a value).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from . import xlsx
from .models import Measure, ReportingPeriod
from .periods import MONTH_NAMES, has_started, not_started_message, period_start_for
from .validation import Entry, parse_number, value_problems

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_PROBLEMS = 500
#: Columns a file may use: the export has 15 (A to O); the rest leaves room for columns
#: people add for themselves. A value further right is refused with its cell, not dropped.
MAX_COLUMNS = 40
#: Cells with a value a file may hold: 20,000 rows of 20 (the export fills 15), so that the
#: rows kept in memory stay within some 30 MB whatever their shape.
MAX_CELLS = 400_000
#: An XLSX is read with these bounds (a header row, then MAX_ROWS rows) before any row is
#: kept; see measures.xlsx for the unpacked sizes and the deadline.
XLSX_LIMITS = xlsx.Limits(max_rows=MAX_ROWS + 1, max_columns=MAX_COLUMNS, max_cells=MAX_CELLS)
#: Separators one CSV row may hold before it is parsed: Excel's widest sheet (XFD, 16,384
#: columns) saved as CSV, trailing empty cells and all. Bounds the row's list in memory.
MAX_CSV_SEPARATORS = 16_384

#: Column name as people write it -> the column it means.
COLUMN_ALIASES = {
    "team": "team",
    "team name": "team",
    "team id": "team_id",
    "measure": "measure",
    "measure code": "measure",
    "code": "measure",
    "short name": "measure",
    "measure id": "measure_id",
    "period": "period",
    "month": "period",
    "numerator": "numerator",
    "denominator": "denominator",
    "value": "value",
    "note": "note",
    "notes": "note",
}
#: Columns our own exports add for people to read; an import ignores them.
INFORMATIONAL = {
    "measure name",
    "kind",
    "unit",
    "shown as",
    "status",
    "entered by",
    "last changed",
}
COLUMN_TITLES = {
    "team": "Team",
    "team_id": "Team ID",
    "measure": "Measure",
    "measure_id": "Measure ID",
    "period": "Period",
    "numerator": "Numerator",
    "denominator": "Denominator",
    "value": "Value",
    "note": "Note",
}
EXCEL_EPOCH = dt.date(1899, 12, 30)


class _Formula(str):
    """A cell that holds a formula: refused, because its value is not in the file."""


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why and what to do."""


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[object]]]
    problems: list[Problem] = field(default_factory=list)


# --- reading the file ------------------------------------------------------------------


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportFileError("The file's text could not be read as UTF-16.") from None
    if b"\x00" in data[:4096]:
        raise ImportFileError(
            "This does not look like a CSV or Excel file. Upload the template saved as "
            "CSV (UTF-8) or as an Excel workbook (.xlsx)."
        )
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(
        "The file's characters could not be read. Save it as “CSV UTF-8” and upload it again."
    )


def _outside_columns_message(cell: str) -> str:
    return (
        f"Cell {cell} is outside the {MAX_COLUMNS} columns an import may use (A to "
        f"{_column_letter(MAX_COLUMNS - 1)}): delete what is there, or move it into the table, "
        "and upload the file again."
    )


def _within_columns(cells: list[str], number: int) -> list[str]:
    """The row's first MAX_COLUMNS cells; a value further right is refused, not dropped."""
    if len(cells) <= MAX_COLUMNS:
        return cells
    for index in range(MAX_COLUMNS, len(cells)):
        if cells[index].strip():
            raise ImportFileError(_outside_columns_message(f"{_column_letter(index)}{number}"))
    return cells[:MAX_COLUMNS]


class _BoundedLines:
    """The text's lines for csv.reader, refusing a row with more than MAX_CSV_SEPARATORS
    separators before csv builds its list of cells (a 5 MB row of commas would otherwise
    become a list of five million cells). Separators inside quotes count too."""

    def __init__(self, text: str, delimiter: str) -> None:
        self._lines = io.StringIO(text, newline="")
        self._delimiter = delimiter
        self._separators = 0
        self._row = 1

    def __iter__(self) -> _BoundedLines:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self._separators += line.count(self._delimiter)
        if self._separators > MAX_CSV_SEPARATORS:
            raise ImportFileError(
                f"Row {self._row:,} has more than {MAX_CSV_SEPARATORS:,} columns, more than a "
                f"spreadsheet has (an import reads {MAX_COLUMNS}). Save the file again with "
                "only the table's columns."
            )
        return line

    def record_done(self, next_row: int) -> None:
        """csv.reader has returned a row: count the next one's separators from zero."""
        self._separators = 0
        self._row = next_row


def _read_csv(data: bytes) -> Table:
    text = _decode(data)
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    lines = _BoundedLines(text, delimiter)
    reader = csv.reader(lines, delimiter=delimiter)
    headers: list[str] | None = None
    rows: list[tuple[int, list[object]]] = []
    filled = 0
    try:
        for number, cells in enumerate(reader, start=1):
            lines.record_done(number + 1)
            if headers is None:
                if not any(c.strip() for c in cells):
                    continue
                headers = _within_columns(cells, number)
                continue
            if len(rows) >= MAX_ROWS:
                raise ImportFileError(
                    f"The file has more than {MAX_ROWS:,} rows: split it into smaller files."
                )
            cells = _within_columns(cells, number)
            filled += sum(1 for c in cells if c)
            if filled > MAX_CELLS:
                raise ImportFileError(xlsx.too_many_cells_message(MAX_CELLS))
            rows.append((number, [_Formula(c) if c.startswith("=") else c for c in cells]))
    except csv.Error as error:
        raise ImportFileError(f"The CSV file is malformed: {error}.") from None
    return Table(headers=headers or [], rows=rows)


def _read_xlsx(data: bytes) -> Table:
    """The header and rows of the workbook's "Data" sheet, or its first, read within
    XLSX_LIMITS (see measures.xlsx: declared and real bounds, unpacked sizes, a deadline)."""
    try:
        sheet_rows = xlsx.read_rows(data, limits=XLSX_LIMITS, preferred_sheet="Data")
    except xlsx.XlsxError as error:
        raise ImportFileError(str(error)) from None
    headers: list[str] | None = None
    rows: list[tuple[int, list[object]]] = []
    for number, cells in sheet_rows:
        if headers is None:
            if not any(v not in (None, "") for v in cells):
                continue
            headers = ["" if v is None else str(v) for v in cells]
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(
                f"The file has more than {MAX_ROWS:,} rows: split it into smaller files."
            )
        rows.append(
            (
                number,
                [_Formula(v) if isinstance(v, str) and v.startswith("=") else v for v in cells],
            )
        )
    return Table(headers=headers or [], rows=rows)


def read_table(file_name: str, data: bytes) -> Table:
    """The header and the rows of the file, or ImportFileError saying why not."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportFileError(file_too_large_message(len(data)))
    if not data.strip():
        raise ImportFileError("The file is empty.")
    name = (file_name or "").lower()
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            "Old Excel files (.xls) are not supported: save the file as .xlsx or CSV."
        )
    if data.startswith(b"PK\x03\x04") or name.endswith((".xlsx", ".xlsm")):
        return _read_xlsx(data)
    if name.endswith((".pdf", ".doc", ".docx", ".png", ".jpg", ".jpeg", ".zip")):
        raise ImportFileError("Upload a CSV or Excel (.xlsx) file.")
    return _read_csv(data)


def file_too_large_message(size: int) -> str:
    return (
        f"The file is {size / 1024 / 1024:.1f} MB; the limit is "
        f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB. Split it by team or by year and upload the "
        "parts one after the other."
    )


# --- columns ---------------------------------------------------------------------------


def _normalise_header(text: object) -> str:
    words = re.sub(r"[_\-]+", " ", str(text or "")).replace("\ufeff", "").strip().lower()
    return " ".join(words.split())


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def map_columns(headers: list[str], *, need_team: bool) -> tuple[dict[str, int], list[Problem]]:
    """Column -> index, and the problems with the header row."""
    problems: list[Problem] = []
    columns: dict[str, int] = {}
    if not any(h.strip() for h in headers):
        return {}, [Problem(1, "", "The file has no header row.")]
    for index, header in enumerate(headers):
        name = _normalise_header(header)
        if not name:
            continue
        if name in INFORMATIONAL:
            continue
        key = COLUMN_ALIASES.get(name)
        where = f"column {_column_letter(index)}"
        if key is None:
            problems.append(
                Problem(
                    1,
                    str(header),
                    f"Unknown column “{header}” ({where}). Use the template's columns: "
                    + ", ".join(COLUMN_TITLES.values())
                    + ".",
                )
            )
            continue
        if key in columns:
            problems.append(Problem(1, str(header), f"The column {header} appears twice."))
            continue
        columns[key] = index
    if "period" not in columns:
        problems.append(Problem(1, "Period", "The Period column is missing."))
    if "measure" not in columns and "measure_id" not in columns:
        problems.append(Problem(1, "Measure", "The Measure column is missing."))
    if need_team and "team" not in columns and "team_id" not in columns:
        problems.append(
            Problem(1, "Team", "The Team column is missing: say which team each row is for.")
        )
    if not {"numerator", "denominator", "value"} & set(columns):
        problems.append(
            Problem(1, "Numerator", "Add the Numerator and Denominator (or Value) columns.")
        )
    return columns, problems


# --- cells -----------------------------------------------------------------------------

_MONTHS = {name.lower(): i for i, name in enumerate(MONTH_NAMES, start=1)}
_MONTHS.update({name[:3].lower(): i for i, name in enumerate(MONTH_NAMES, start=1)})
_MONTHS["sept"] = 9


def parse_period(cell: object) -> dt.date:
    """A date in the period: "2026-03", "2026-03-01", "03/2026", "3/1/2026" (US),
    "March 2026", "Mar-26", "2026-Q1", an Excel date or an Excel serial number."""
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return _serial(cell)
    text = str(cell).strip()
    if not text:
        raise ValueError("is empty")
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        return _serial(float(text))
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?(?:[ T].*)?", text):
        return dt.date(int(m[1]), int(m[2]), int(m[3] or 1))
    if m := re.fullmatch(r"(\d{4})\s*-?\s*[Qq]([1-4])", text) or re.fullmatch(
        r"[Qq]([1-4])\s*[-/ ]?\s*(\d{4})", text
    ):
        year, quarter = (m[1], m[2]) if len(m[1]) == 4 else (m[2], m[1])
        return dt.date(int(year), 3 * (int(quarter) - 1) + 1, 1)
    if m := re.fullmatch(r"(\d{1,2})/(\d{4})", text):
        return dt.date(int(m[2]), int(m[1]), 1)
    if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})", text):
        year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
        return dt.date(year, int(m[1]), int(m[2]))
    if m := re.fullmatch(r"([A-Za-z]+)\.?[\s\-/]+(\d{2}|\d{4})", text):
        month = _MONTHS.get(m[1].lower())
        if month:
            year = int(m[2]) + (2000 if len(m[2]) == 2 else 0)
            return dt.date(year, month, 1)
    raise ValueError(f"“{text}” is not a period (write it as 2026-03, or March 2026)")


def _serial(number: float) -> dt.date:
    if not 20000 <= number <= 80000:
        raise ValueError(f"“{number:g}” is not a period (write it as 2026-03, or March 2026)")
    return EXCEL_EPOCH + dt.timedelta(days=int(number))


def _text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    text = str(cell).strip()
    if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@"):
        return text[1:]  # our exports neutralise formulas this way: read them back as typed
    return text


# --- rows ------------------------------------------------------------------------------


@dataclass
class ImportContext:
    """What the rows are checked against, read once (see services.imports.build_context)."""

    collaborative_title: str
    teams_by_id: dict[str, object]
    teams_by_name: dict[str, list[object]]
    team_sets: dict[int, dict[int, Measure]]
    periods: dict[tuple[str, dt.date], ReportingPeriod]
    period_range: str
    handed_in: set[tuple[int, int]]
    existing: dict[tuple[int, int, int], Entry]
    today: dt.date
    fixed_team: object | None = None
    may_edit_handed_in: bool = False


@dataclass
class CheckedRow:
    row: int
    team_id: int
    measure_id: int
    period_id: int
    numerator: str | None
    denominator: str | None
    value: str | None
    note: str
    action: str
    team_name: str
    measure_name: str
    period_label: str

    def entry(self) -> Entry:
        return Entry(
            None if self.numerator is None else Decimal(self.numerator),
            None if self.denominator is None else Decimal(self.denominator),
            None if self.value is None else Decimal(self.value),
            self.note,
        )

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _find_measure(team_set: dict[int, Measure], cell_id: str, cell_name: str):
    if cell_id:
        for measure in team_set.values():
            if str(measure.public_id) == cell_id.lower():
                return measure, None
        return None, f"“{cell_id}” is not one of this team's measures"
    wanted = cell_name.strip().lower()
    matches = [
        m
        for m in team_set.values()
        if wanted in {m.code.lower(), m.short_name.lower(), m.name.lower()} - {""}
    ]
    if len(matches) == 1:
        return matches[0], None
    if len(matches) > 1:
        return None, f"“{cell_name}” matches several measures: use the measure's code"
    return None, f"“{cell_name}” is not one of this team's measures"


def check_rows(table: Table, context: ImportContext) -> tuple[list[CheckedRow], list[Problem]]:
    """Check every row; return the rows to write and every problem found."""
    columns, problems = map_columns(table.headers, need_team=context.fixed_team is None)
    problems = list(table.problems) + problems
    if problems:
        return [], problems
    checked: list[CheckedRow] = []
    seen: dict[tuple[int, int, int], int] = {}

    def cell(cells: list[object], key: str) -> object:
        index = columns.get(key)
        if index is None or index >= len(cells):
            return None
        return cells[index]

    for number, cells in table.rows:
        if len(problems) >= MAX_PROBLEMS:
            problems.append(
                Problem(None, "", f"More than {MAX_PROBLEMS} problems: fix these and try again.")
            )
            break
        if all(c is None or str(c).strip() == "" for c in cells):
            continue  # empty rows are skipped
        row_problems: list[Problem] = []

        def bad(column: str, message: str, number=number, row_problems=row_problems) -> None:
            row_problems.append(Problem(number, COLUMN_TITLES.get(column, column), message))

        for key in columns:
            if isinstance(cell(cells, key), _Formula):
                bad(
                    key,
                    f"contains a formula ({str(cell(cells, key))[:40]}): paste the values "
                    "instead (Paste special → Values)",
                )
        if row_problems:
            problems.extend(row_problems)
            continue

        # team
        team = context.fixed_team
        team_id_text, team_name = _text(cell(cells, "team_id")), _text(cell(cells, "team"))
        if team is not None:
            if team_id_text and team_id_text.lower() != str(team.public_id):
                bad("team_id", f"this file is for {team.name}; the row names another team")
            elif team_name and not team_id_text and team_name.lower() != team.name.lower():
                bad("team", f"this file is for {team.name}, not “{team_name}”")
        elif team_id_text:
            team = context.teams_by_id.get(team_id_text.lower())
            if team is None:
                bad("team_id", f"“{team_id_text}” is not a team of {context.collaborative_title}")
        elif team_name:
            found = context.teams_by_name.get(team_name.lower(), [])
            if len(found) == 1:
                team = found[0]
            elif found:
                bad("team", f"several teams are called “{team_name}”: use the Team ID column")
            else:
                bad("team", f"“{team_name}” is not a team of {context.collaborative_title}")
        else:
            bad("team", "say which team this row is for")

        # measure
        measure = None
        measure_id_text, measure_name = (
            _text(cell(cells, "measure_id")),
            _text(cell(cells, "measure")),
        )
        if team is not None:
            if not measure_id_text and not measure_name:
                bad("measure", "say which measure this row is for")
            else:
                measure, message = _find_measure(
                    context.team_sets.get(team.pk, {}), measure_id_text, measure_name
                )
                if message:
                    bad("measure_id" if measure_id_text else "measure", message)

        # period
        period = None
        raw_period = cell(cells, "period")
        try:
            day = parse_period(raw_period if raw_period is not None else "")
        except ValueError as error:
            bad("period", str(error))
        else:
            if measure is not None:
                start = period_start_for(measure.frequency, day)
                period = context.periods.get((measure.frequency, start))
                if period is None:
                    bad(
                        "period",
                        f"{_text(raw_period) or day} is not a reporting period of "
                        f"{context.collaborative_title} ({context.period_range})",
                    )
                elif not has_started(period, context.today):
                    bad("period", not_started_message(period).rstrip("."))
                elif (
                    team is not None
                    and (team.pk, period.pk) in context.handed_in
                    and not context.may_edit_handed_in
                ):
                    bad(
                        "period",
                        f"{period.label} is already submitted: ask your coach to return it first",
                    )

        # numbers
        numbers: dict[str, Decimal | None] = {}
        for key in ("numerator", "denominator", "value"):
            try:
                numbers[key] = parse_number(cell(cells, key))
            except ValueError as error:
                bad(key, str(error))
        note = _text(cell(cells, "note"))
        if row_problems:
            problems.extend(row_problems)
            continue
        entry = Entry(numbers["numerator"], numbers["denominator"], numbers["value"], note)
        if entry.is_blank and not note:
            continue  # a blank template row changes nothing
        for key, message in value_problems(measure, entry).items():
            bad(key, message)
        key = (team.pk, measure.pk, period.pk)
        if key in seen:
            bad("period", f"repeats row {seen[key]} ({team.name}, {measure.short_name})")
        if row_problems:
            problems.extend(row_problems)
            continue
        seen[key] = number
        before = context.existing.get(key)
        if before is None:
            action = "create"
        elif before.same_as(entry):
            action = "unchanged"
        else:
            action = "update"
        checked.append(
            CheckedRow(
                row=number,
                team_id=team.pk,
                measure_id=measure.pk,
                period_id=period.pk,
                numerator=None if entry.numerator is None else str(entry.numerator),
                denominator=None if entry.denominator is None else str(entry.denominator),
                value=None if entry.value is None else str(entry.value),
                note=note,
                action=action,
                team_name=team.name,
                measure_name=measure.short_name,
                period_label=period.label,
            )
        )
    if not checked and not problems:
        problems.append(Problem(None, "", "The file has no values to import."))
    return checked, problems


def counts_of(rows: Iterable[CheckedRow]) -> dict[str, int]:
    counts = {"create": 0, "update": 0, "unchanged": 0}
    for row in rows:
        counts[row.action] += 1
    counts["rows"] = sum(counts.values())
    return counts
