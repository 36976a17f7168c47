"""Reading one sheet of an uploaded XLSX workbook in bounded memory and time.

openpyxl's read-only reader pads every row to the width the sheet *declares* (its
`<dimension ref>`), so a 38 KB file declaring `A1:XFD5000` made it build 82 million
empty cells (16.8 s, 460 MB), and it parses a row's every cell however far right it lies.
This reader opens the zip itself and streams the sheet's XML through expat, so that:

- a part's uncompressed size (from the zip directory, and counted again while it is
  read) and its compression ratio are checked before and while it is decompressed;
- a declared dimension beyond the bounds is refused before any row is read;
- cells beyond the bounds are never stored: an empty one is ignored, a value is refused
  with its cell reference (nothing is silently dropped);
- shared strings are resolved after the sheet, keeping only those its cells use;
- DTDs (and so entity expansion) are refused in every part;
- reading stops at a deadline.

Values come back as openpyxl gives them with `data_only=False`: numbers as int or float,
numbers in a date format as datetimes, booleans, text, and formulas as `Formula`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import io
import posixpath
import re
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

#: The largest text Excel keeps in one cell.
MAX_CELL_CHARS = 32_767
#: Bytes read from a part at a time: the deadline and the size are checked between chunks.
CHUNK_BYTES = 64 * 1024

_CELL_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})$")


class Formula(str):
    """A cell that holds a formula: its text, starting with "="."""


class XlsxError(Exception):
    """The workbook cannot be read within the limits; the message says why."""


@dataclass(frozen=True)
class Limits:
    """What one import may read. `max_rows` and `max_columns` count the sheet's rows and
    columns from A1; the byte limits are uncompressed sizes; `max_cells` bounds the cells
    with a value kept in memory (20,000 rows of 20); `seconds` is the deadline."""

    max_rows: int
    max_columns: int
    max_sheet_bytes: int = 32 * 1024 * 1024
    max_part_bytes: int = 16 * 1024 * 1024
    max_ratio: int = 100
    max_cells: int = 400_000
    max_members: int = 1_000
    seconds: float = 10.0


def too_many_cells_message(limit: int) -> str:
    return (
        f"The file has more than {limit:,} filled cells, more than an import reads. Delete "
        "the columns the import does not use, or split the file into smaller files."
    )


def column_letters(number: int) -> str:
    """1 -> "A", 27 -> "AA"."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@functools.lru_cache(maxsize=20_000)  # every column to XFD and a few more
def _column_number(letters: str) -> int:
    """A column's number from its letters ("A" is 1, "XFD" 16,384); 0 if they are not."""
    if not (letters.isascii() and letters.isalpha()):
        return 0
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def _split_ref(ref: str) -> tuple[int, int] | None:
    """("B", "12") from "B12" as (column 2, row 12); None when it is not a cell reference."""
    match = _CELL_REF.match(ref.strip())
    if not match:
        return None
    return _column_number(match[1]), int(match[2])


def _local(name: str) -> str:
    """An expat name "namespace local" (namespace_separator " ") without its namespace."""
    return name.rpartition(" ")[2]


class _Stop(Exception):
    """Raised by a handler to stop parsing a part early (it has what it needs)."""


class _Reader:
    def __init__(self, archive: zipfile.ZipFile, limits: Limits) -> None:
        self.archive = archive
        self.limits = limits
        self.deadline = time.monotonic() + limits.seconds

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise XlsxError(
                f"The Excel file took longer than {self.limits.seconds:g} seconds to read. "
                "Split it into smaller files, or save it as CSV."
            )

    def info(self, name: str, limit: int) -> zipfile.ZipInfo | None:
        try:
            info = self.archive.getinfo(name)
        except KeyError:
            return None
        if info.file_size > limit:
            raise XlsxError(_too_big(name, limit))
        if info.file_size > 1024 * 1024 and info.file_size > self.limits.max_ratio * max(
            info.compress_size, 1
        ):
            ratio = info.file_size // max(info.compress_size, 1)
            raise XlsxError(
                f"The Excel file's part {name} is compressed {ratio:,} to 1, far more than a "
                f"spreadsheet compresses (at most {self.limits.max_ratio} to 1 is read). Save "
                "it again from Excel, or as CSV."
            )
        return info

    def parse(
        self, name: str, limit: int, handlers: dict[str, Callable], *, namespaces: bool = True
    ) -> bool:
        """Stream the part through expat with the given handlers; False if it is absent.

        A DTD is refused outright (no entity can then be declared or expanded), and the
        bytes are counted as they are decompressed, whatever the zip directory said.
        Without `namespaces` (a third faster on the sheet's millions of elements) names
        arrive as written, "c" or "x:c"."""
        info = self.info(name, limit)
        if info is None:
            return False
        parser = expat.ParserCreate(namespace_separator=" ") if namespaces else expat.ParserCreate()
        parser.buffer_text = True
        parser.buffer_size = CHUNK_BYTES

        def refuse_dtd(*_args) -> None:
            raise XlsxError(
                "The Excel file's contents could not be read: they declare a DTD or entities, "
                "which Excel data never does. Save it again as an .xlsx workbook, or as CSV."
            )

        parser.StartDoctypeDeclHandler = refuse_dtd
        parser.EntityDeclHandler = refuse_dtd
        for event, handler in handlers.items():
            setattr(parser, event, handler)
        read = 0
        try:
            with self.archive.open(info) as stream:
                while chunk := stream.read(CHUNK_BYTES):
                    read += len(chunk)
                    if read > limit:
                        raise XlsxError(_too_big(name, limit))
                    self.check_time()
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except _Stop:
            pass
        except expat.ExpatError as error:
            raise XlsxError(
                "The Excel file's contents are damaged or not plain Excel data (its XML could "
                f"not be read: {expat.ErrorString(error.code)}). Save it again as an .xlsx "
                "workbook, or as CSV."
            ) from None
        return True


def _too_big(name: str, limit: int) -> str:
    size = f"{limit // 1024 // 1024} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
    return (
        f"The Excel file's part {name} is larger than {size} once "
        "unpacked, more than an import reads. Split the file, or save it as CSV."
    )


def _text_collector(parts: list[str], where: Callable[[], str]) -> Callable[[str], None]:
    def collect(text: str) -> None:
        parts.append(text)
        if sum(len(p) for p in parts) > MAX_CELL_CHARS:
            raise XlsxError(
                f"{where()} holds more than {MAX_CELL_CHARS:,} characters, more than Excel "
                "keeps in a cell."
            )

    return collect


def _sheet_path(reader: _Reader, preferred: str) -> tuple[str, str, bool]:
    """The path, the name of the sheet called `preferred` (or the first one), and whether
    the workbook counts dates from 1904."""
    sheets: list[tuple[str, str]] = []
    date1904 = [False]

    def start(name: str, attrs: dict) -> None:
        local = _local(name)
        if local == "sheet":
            # r:id, whichever namespace (transitional or strict OOXML) it is written in.
            rel_id = next((v for k, v in attrs.items() if k.endswith(" id")), "")
            sheets.append((attrs.get("name", ""), rel_id))
        elif local == "workbookPr":
            date1904[0] = attrs.get("date1904", "").lower() in ("1", "true")

    limit = reader.limits.max_part_bytes
    if not reader.parse("xl/workbook.xml", limit, {"StartElementHandler": start}) or not sheets:
        raise XlsxError("The Excel file has no sheets. Save it again as an .xlsx workbook.")
    targets: dict[str, str] = {}

    def relation(name: str, attrs: dict) -> None:
        if _local(name) == "Relationship":
            targets[attrs.get("Id", "")] = attrs.get("Target", "")

    reader.parse("xl/_rels/workbook.xml.rels", limit, {"StartElementHandler": relation})
    title, rel_id = next(((n, r) for n, r in sheets if n == preferred), sheets[0])
    target = targets.get(rel_id, "")
    if not target:
        raise XlsxError(f"The Excel file's sheet “{title}” could not be found in the file.")
    path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
    return posixpath.normpath(path), title, date1904[0]


def _date_styles(reader: _Reader) -> set[int]:
    """The indices of the cell styles whose number format shows a date."""
    custom: dict[int, str] = {}
    style_formats: list[int] = []
    depth = {"cellXfs": False}

    def start(name: str, attrs: dict) -> None:
        local = _local(name)
        if local == "numFmt":
            with contextlib.suppress(ValueError):
                custom[int(attrs.get("numFmtId", ""))] = attrs.get("formatCode", "")
        elif local == "cellXfs":
            depth["cellXfs"] = True
        elif local == "xf" and depth["cellXfs"]:
            try:
                style_formats.append(int(attrs.get("numFmtId", "0")))
            except ValueError:
                style_formats.append(0)

    def end(name: str) -> None:
        if _local(name) == "cellXfs":
            depth["cellXfs"] = False

    handlers = {"StartElementHandler": start, "EndElementHandler": end}
    reader.parse("xl/styles.xml", reader.limits.max_part_bytes, handlers)
    date_formats = {
        format_id
        for format_id in set(style_formats)  # a few distinct formats, however many styles
        if is_date_format(custom.get(format_id) or BUILTIN_FORMATS.get(format_id) or "")
    }
    return {index for index, format_id in enumerate(style_formats) if format_id in date_formats}


class _SharedString(int):
    """A cell's index into the shared strings, resolved once the sheet has been read."""

    __slots__ = ()


def _cell_value(
    kind: str, raw: str | None, style: str | None, date_styles: set[int], epoch: dt.datetime
) -> object:
    """A cell's value as openpyxl gives it (data_only=False), from its type attribute `t`,
    its `<v>` text (or inline text) and its style index `s`."""
    if raw is None:
        return None
    if kind == "inlineStr" or kind in ("str", "e"):
        return raw
    if kind == "s":
        try:
            return _SharedString(int(raw))
        except ValueError:
            return None
    if kind == "b":
        return raw.strip() in ("1", "true")
    if kind == "d":
        try:
            return dt.datetime.fromisoformat(raw.strip().rstrip("Z"))
        except ValueError:
            return raw
    text = raw.strip()
    try:
        number: int | float = float(text) if any(c in text for c in ".eEnN") else int(text)
    except ValueError:
        return raw
    if style and date_styles:
        try:
            is_date = int(style) in date_styles
        except ValueError:
            is_date = False
        if is_date:
            try:
                return from_excel(number, epoch)
            except (ValueError, OverflowError, TypeError):
                return number
    return number


def _read_sheet(
    reader: _Reader, path: str, date_styles: set[int], epoch: dt.datetime
) -> list[tuple[int, list[object]]]:
    """The sheet's rows within the limits. The handlers run once per element of a sheet
    that may hold millions, so they keep their state in local variables."""
    limits = reader.limits
    max_columns, max_rows, max_cells = limits.max_columns, limits.max_rows, limits.max_cells
    rows: list[tuple[int, list[object]]] = []
    row_number = 0
    cells: list[object] | None = None
    filled = 0
    # The cell being read: its column, type, style, <v> text, formula, inline text.
    column = 0
    kind = "n"
    style: str | None = None
    value: str | None = None
    formula: str | None = None
    inline: str | None = None
    in_cell = False
    # The text of the <v>, <f> or <t> being read.
    reading: str | None = None
    texts: list[str] = []
    length = 0
    names: dict[str, str] = {}

    def local_of(name: str) -> str:
        local = name.rpartition(":")[2]
        if len(names) < 64:
            names[name] = local
        return local

    def start(name: str, attrs: dict) -> None:
        nonlocal row_number, cells, column, kind, style, value, formula, inline, in_cell
        nonlocal reading, length
        local = names.get(name) or local_of(name)
        if local == "c":
            ref = attrs.get("r")
            if ref:  # "B12"; without one, the cell follows the previous one
                letters = ref.rstrip("0123456789").replace("$", "")
                column = _column_number(letters) if len(letters) <= 3 else 0
                if not column:
                    raise XlsxError(
                        f"The Excel file names a cell “{ref[:20]}”, which is not a cell. Save "
                        "it again from Excel, or as CSV."
                    )
            else:
                column += 1
            kind = attrs.get("t", "n")
            style = attrs.get("s")
            value = formula = inline = None
            in_cell = True
        elif (local == "v" or local == "t" or local == "f") and in_cell:
            texts.clear()
            length = 0
            reading = local
        elif local == "row":
            try:
                number = int(attrs.get("r", ""))
            except ValueError:
                number = row_number + 1
            if number <= row_number:
                raise XlsxError(
                    f"The Excel file's row {number:,} comes after row {row_number:,}. Save "
                    "it again from Excel, or as CSV."
                )
            row_number, column, cells = number, 0, []
        elif local == "dimension":
            _check_dimension(attrs.get("ref", ""), limits)

    def end(name: str) -> None:
        nonlocal cells, value, formula, inline, in_cell, reading, filled
        local = names.get(name) or local_of(name)
        if reading is not None and local == reading:
            text = "".join(texts)
            if local == "v":
                value = text
            elif local == "f":
                formula = text
            else:
                inline = (inline or "") + text
            reading = None
        elif local == "c" and in_cell:
            in_cell = False
            if not (value or inline or formula is not None):
                return  # an empty (styled) cell: nothing to read, wherever it lies
            if column > max_columns or row_number > max_rows:
                raise XlsxError(_outside_message(column, row_number, limits))
            if cells is None:
                raise XlsxError(
                    "The Excel file's sheet has a cell outside any row. Save it again from "
                    "Excel, or as CSV."
                )
            filled += 1
            if filled > max_cells:
                raise XlsxError(too_many_cells_message(max_cells))
            if formula is not None:
                result: object = Formula("=" + formula)
            elif kind == "inlineStr":
                result = inline
            else:
                result = _cell_value(kind, value, style, date_styles, epoch)
            if len(cells) >= column:  # the same cell twice, or out of order: the last wins
                cells[column - 1] = result
            else:
                cells.extend([None] * (column - 1 - len(cells)))
                cells.append(result)
        elif local == "row":
            if cells:
                rows.append((row_number, cells))
            cells = None

    def characters(text: str) -> None:
        nonlocal length
        if reading is not None:
            texts.append(text)
            length += len(text)
            if length > MAX_CELL_CHARS:
                raise XlsxError(
                    f"Cell {column_letters(column)}{row_number} holds more than "
                    f"{MAX_CELL_CHARS:,} characters, more than Excel keeps in a cell."
                )

    handlers = {
        "StartElementHandler": start,
        "EndElementHandler": end,
        "CharacterDataHandler": characters,
    }
    if not reader.parse(path, limits.max_sheet_bytes, handlers, namespaces=False):
        raise XlsxError(f"The Excel file's sheet ({path}) is missing from the file.")
    return rows


def _outside_message(column: int, row: int, limits: Limits) -> str:
    cell = f"{column_letters(column)}{row}"
    if column > limits.max_columns:
        return (
            f"Cell {cell} is outside the {limits.max_columns} columns an import may use "
            f"(A to {column_letters(limits.max_columns)}): delete what is there, or move it "
            "into the table, and upload the file again."
        )
    return (
        f"Cell {cell} is beyond the {limits.max_rows:,} rows an import may use (a header "
        f"and {limits.max_rows - 1:,} rows of values): split the file into smaller files."
    )


def _check_dimension(ref: str, limits: Limits) -> None:
    """Refuse a sheet that declares more rows or columns than an import may use."""
    last = _split_ref(ref.split(":")[-1])
    if last is None:
        return  # no usable declaration: the cells themselves are checked as they come
    columns, rows = last
    if columns <= limits.max_columns and rows <= limits.max_rows:
        return
    raise XlsxError(
        f"The sheet declares its cells as {ref.strip()}: {columns:,} columns and {rows:,} "
        f"rows. An import may use at most {limits.max_columns} columns (A to "
        f"{column_letters(limits.max_columns)}) and {limits.max_rows:,} rows (a header and "
        f"{limits.max_rows - 1:,} rows of values). Delete the rows and columns beyond the "
        "table (or copy the table into a new workbook) and upload it again."
    )


def _resolve_shared_strings(reader: _Reader, rows: list[tuple[int, list[object]]]) -> None:
    """Replace each shared-string index by its text, keeping only the strings used."""
    wanted: set[int] = set()
    for _, cells in rows:
        for value in cells:
            if isinstance(value, _SharedString):
                wanted.add(int(value))
    if not wanted:
        return
    strings: dict[int, str] = {}
    state = {"index": -1, "in_t": False, "depth_rph": 0}
    texts: list[str] = []
    parts: list[str] = []

    def where() -> str:
        return f"Shared text number {state['index'] + 1:,}"

    collect = _text_collector(texts, where)
    last_wanted = max(wanted)

    def start(name: str, attrs: dict) -> None:
        local = _local(name)
        if local == "si":
            state["index"] += 1
            parts.clear()
        elif local == "t" and not state["depth_rph"] and state["index"] in wanted:
            texts.clear()
            state["in_t"] = True
        elif local in ("rPh", "phoneticPr"):
            state["depth_rph"] += 1

    def end(name: str) -> None:
        local = _local(name)
        if local == "t" and state["in_t"]:
            parts.append("".join(texts))
            state["in_t"] = False
        elif local in ("rPh", "phoneticPr"):
            state["depth_rph"] -= 1
        elif local == "si":
            if state["index"] in wanted:
                strings[state["index"]] = "".join(parts)
            if state["index"] >= last_wanted:
                raise _Stop

    def characters(text: str) -> None:
        if state["in_t"]:
            collect(text)

    reader.parse(
        _shared_strings_path(reader),
        reader.limits.max_part_bytes,
        {
            "StartElementHandler": start,
            "EndElementHandler": end,
            "CharacterDataHandler": characters,
        },
    )
    for _, cells in rows:
        for position, value in enumerate(cells):
            if isinstance(value, _SharedString):
                cells[position] = strings.get(int(value))


def _shared_strings_path(reader: _Reader) -> str:
    for name in ("xl/sharedStrings.xml", "xl/SharedStrings.xml"):
        if name in reader.archive.NameToInfo:
            return name
    return "xl/sharedStrings.xml"


def _declared_members(data: bytes) -> int | None:
    """The number of members the zip's end record declares, read before zipfile builds an
    object for each of them (a 5 MB file can declare 50,000 empty members). ZIP64 writes
    65,535 here, refused too: no workbook of 5 MB needs it."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        return None  # not a zip: zipfile says so
    return int.from_bytes(data[end + 10 : end + 12], "little")


def read_rows(
    data: bytes, *, limits: Limits, preferred_sheet: str = "Data"
) -> list[tuple[int, list[object]]]:
    """The non-empty rows of the sheet called `preferred_sheet` (or the first), each as
    (row number, values from column A), or XlsxError saying why the file cannot be read
    within `limits`. Trailing empty cells are not included."""
    members = _declared_members(data)
    if members is not None and members > limits.max_members:
        raise XlsxError(
            f"The Excel file holds {members:,} parts; a workbook has a few dozen (at most "
            f"{limits.max_members:,} are read). Save it again from Excel, or as CSV."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise XlsxError(
            f"The Excel file could not be opened ({type(error).__name__}). Save it again as "
            "an .xlsx workbook, or as CSV."
        ) from None
    try:
        reader = _Reader(archive, limits)
        path, _title, date1904 = _sheet_path(reader, preferred_sheet)
        epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        date_styles = _date_styles(reader)
        rows = _read_sheet(reader, path, date_styles, epoch)
        _resolve_shared_strings(reader, rows)
        return rows
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError, OSError) as error:
        # A damaged member (bad CRC, unsupported compression, encryption) surfaces here.
        raise XlsxError(
            f"The Excel file could not be opened ({type(error).__name__}). Save it again as "
            "an .xlsx workbook, or as CSV."
        ) from None
    finally:
        archive.close()
