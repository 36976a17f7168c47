"""Imports stay bounded in memory and time whatever the file declares or holds.

An outside probe's 38 KB XLSX declaring `A1:XFD5000` took 16.8 s and 460 MB: the reader
padded every row to the declared width. These files are refused before their rows are
read, values beyond the bounds are refused with their cell (never silently dropped),
and a sheet that unpacks to more than an import reads is refused from the zip directory.
"""

import dataclasses
import io
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from measures import imports
from tests.clock import month

from .conftest import client_for
from .test_imports import HEADER, messages, preview, xlsx, ym

pytestmark = pytest.mark.django_db

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
COLUMNS = ["Team", "Measure", "Period", "Numerator", "Denominator"]


def _text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _number_cell(ref: str, number: int) -> str:
    return f'<c r="{ref}"><v>{number}</v></c>'


def _header_row() -> str:
    cells = "".join(_text_cell(f"{chr(65 + i)}1", name) for i, name in enumerate(COLUMNS))
    return f'<row r="1">{cells}</row>'


def _value_row(number: int, team: str, period: str, extra: str = "") -> str:
    cells = (
        _text_cell(f"A{number}", team)
        + _text_cell(f"B{number}", "M1")
        + _text_cell(f"C{number}", period)
        + _number_cell(f"D{number}", 7)
        + _number_cell(f"E{number}", 10)
    )
    return f'<row r="{number}">{cells}{extra}</row>'


def _sheet(rows: str, dimension: str | None = None, tail: str = "</sheetData></worksheet>"):
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f"<worksheet {NS}>{declared}<sheetData>{rows}{tail}".encode()


SHARED_STRINGS_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)


def _workbook(sheet_xml: bytes, *, shared_strings: bytes | None = None) -> bytes:
    """A workbook whose Data sheet is `sheet_xml`, with Excel's shared strings if given."""
    source = zipfile.ZipFile(io.BytesIO(xlsx([COLUMNS])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml
            if item.filename == "[Content_Types].xml" and shared_strings:
                data = data.replace(b"</Types>", SHARED_STRINGS_TYPE.encode())
            target.writestr(item.filename, data, zipfile.ZIP_DEFLATED)
        if shared_strings:
            target.writestr("xl/sharedStrings.xml", shared_strings, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _peak_while(function):
    """The result of `function()` (or the exception it raised) and tracemalloc's peak."""
    tracemalloc.start()
    try:
        result = function()
    except imports.ImportFileError as error:
        result = error
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return result, peak


@pytest.mark.parametrize(
    ("dimension", "words"),
    [
        ("A1:XFD5000", "16,384 columns and 5,000 rows"),
        ("A1:E25000", "5 columns and 25,000 rows"),
    ],
)
def test_a_declared_sheet_beyond_the_limits_is_refused_before_its_rows_are_read(
    world, dimension, words
):
    # The rows after the declaration are broken XML: reading any of them would fail
    # with another message, so the refusal comes from the declaration alone.
    sheet = _sheet(_header_row(), dimension, tail='<row r="2"><c r="A2"><v>')
    client = client_for(world.t.lead)
    url = reverse("measures:team_import", kwargs={"team_id": world.t.team.public_id})
    upload = SimpleUploadedFile("values.xlsx", _workbook(sheet))
    page = client.post(url, {"file": upload}, follow=True).content.decode()
    assert f"The sheet declares its cells as {dimension}: {words}" in page, page[-3000:]
    assert "An import may use at most 40 columns (A to AN) and 20,001 rows" in page


def test_the_probes_file_is_refused_in_bounded_memory(world):
    # One cell in column A and one in XFD on each of 5,000 rows, declared A1:XFD5000.
    rows = "".join(
        f'<row r="{n}">{_number_cell(f"A{n}", n)}{_number_cell(f"XFD{n}", n)}</row>'
        for n in range(1, 5001)
    )
    data = _workbook(_sheet(rows, "A1:XFD5000"))
    error, peak = _peak_while(lambda: imports.read_table("probe.xlsx", data))
    assert isinstance(error, imports.ImportFileError)
    assert "declares its cells as A1:XFD5000" in str(error)
    assert peak < 3 * 1024 * 1024, f"{peak / 1024 / 1024:.1f} MB"


@pytest.mark.parametrize("dimension", [None, "A1:E3"], ids=["no dimension", "lying dimension"])
def test_a_value_beyond_the_column_bound_is_refused_with_its_cell(world, dimension):
    team = world.t.team.name
    rows = (
        _header_row()
        + _value_row(2, team, ym(world.may))
        + _value_row(12, team, ym(month(-5)), extra=_text_cell("XFD12", "far right"))
    )
    data = _workbook(_sheet(rows, dimension))
    error, peak = _peak_while(lambda: imports.read_table("values.xlsx", data))
    assert isinstance(error, imports.ImportFileError), error
    assert str(error).startswith("Cell XFD12 is outside the 40 columns an import may use (A to AN)")
    assert peak < 3 * 1024 * 1024
    batch = preview(world, data, name="values.xlsx")
    assert messages(batch)[0].startswith("None||Cell XFD12 is outside the 40 columns")


@pytest.mark.parametrize("ref", ["A-2", "AAAAAAA2"])
def test_a_cell_reference_that_names_no_cell_is_refused(world, ref):
    team = world.t.team.name
    rows = _header_row() + _value_row(2, team, ym(world.may), extra=_number_cell(ref, 1))
    with pytest.raises(imports.ImportFileError) as refused:
        imports.read_table("values.xlsx", _workbook(_sheet(rows)))
    assert str(refused.value).startswith(f"The Excel file names a cell “{ref}”, which is not")


def test_a_value_below_the_last_row_an_import_reads_is_refused_with_its_cell(world):
    team = world.t.team.name
    # 20,001 rows of values under the header, declared as three rows.
    rows = _header_row() + "".join(
        _value_row(n, team, ym(world.may)) for n in range(2, imports.MAX_ROWS + 3)
    )
    data = _workbook(_sheet(rows, "A1:E3"))
    with pytest.raises(imports.ImportFileError) as refused:
        imports.read_table("values.xlsx", data)
    assert str(refused.value).startswith(
        "Cell A20002 is beyond the 20,001 rows an import may use (a header and 20,000 rows"
    )


def test_a_sheet_compressed_like_a_zip_bomb_is_refused_from_the_zip_directory(world):
    # 4 MB of spaces inside the sheet pack into a few KB: 1,000 to 1.
    padding = " " * (4 * 1024 * 1024)
    sheet = _sheet(_header_row() + padding)
    data = _workbook(sheet)
    assert len(data) < 50_000
    error, peak = _peak_while(lambda: imports.read_table("values.xlsx", data))
    assert isinstance(error, imports.ImportFileError), error
    assert "xl/worksheets/sheet1.xml is compressed" in str(error)
    assert "at most 100 to 1 is read" in str(error)
    assert peak < 1024 * 1024  # refused before a byte of it was unpacked


def test_a_sheet_larger_than_an_import_reads_is_refused(world, monkeypatch):
    monkeypatch.setattr(
        imports,
        "XLSX_LIMITS",
        dataclasses.replace(imports.XLSX_LIMITS, max_sheet_bytes=64 * 1024),
    )
    team = world.t.team.name
    rows = _header_row() + "".join(_value_row(n, team, ym(world.may)) for n in range(2, 600))
    batch = preview(world, _workbook(_sheet(rows)), name="values.xlsx")
    assert messages(batch) == [
        "None||The Excel file's part xl/worksheets/sheet1.xml is larger than 64 KB once "
        "unpacked, more than an import reads. Split the file, or save it as CSV."
    ]


def test_a_zip_directory_that_understates_the_sheets_size_is_refused(world):
    """The directory's sizes are a promise the reader checks while it unpacks."""
    team = world.t.team.name
    rows = _header_row() + "".join(_value_row(n, team, ym(world.may)) for n in range(2, 400))
    data = bytearray(_workbook(_sheet(rows)))
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = archive.getinfo("xl/worksheets/sheet1.xml")
    real = info.file_size.to_bytes(4, "little")
    small = (1000).to_bytes(4, "little")
    # The size sits in the local header and in the central directory: understate both.
    assert bytes(data).count(real) >= 2
    data = bytes(data).replace(real, small)
    batch = preview(world, data, name="values.xlsx")
    assert len(batch.problems) == 1
    assert "could not be opened" in batch.problems[0]["message"]
    assert not batch.rows


def test_a_zip_of_thousands_of_parts_is_refused_before_they_are_listed(world):
    team = world.t.team.name
    out = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(xlsx([COLUMNS, [team, "M1", ym(world.may), 7, 10]])))
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        for number in range(1_000):
            target.writestr(f"xl/media/empty{number}.bin", b"")
    batch = preview(world, out.getvalue(), name="values.xlsx")
    assert messages(batch) == [
        "None||The Excel file holds 1,009 parts; a workbook has a few dozen (at most 1,000 "
        "are read). Save it again from Excel, or as CSV."
    ]


def test_reading_stops_at_the_deadline(world, monkeypatch):
    monkeypatch.setattr(imports, "XLSX_LIMITS", dataclasses.replace(imports.XLSX_LIMITS, seconds=0))
    team = world.t.team.name
    data = xlsx([COLUMNS, [team, "M1", ym(world.may), 7, 10]])
    batch = preview(world, data, name="values.xlsx")
    assert messages(batch) == [
        "None||The Excel file took longer than 0 seconds to read. Split it into smaller "
        "files, or save it as CSV."
    ]


@pytest.mark.parametrize(
    ("separators", "message"),
    [
        (16_383, "Cell XFD2 is outside the 40 columns an import may use (A to AN)"),
        (99_999, "Row 2 has more than 16,384 columns, more than a spreadsheet has"),
        (5_000_000, "Row 2 has more than 16,384 columns, more than a spreadsheet has"),
    ],
)
def test_a_csv_row_wider_than_the_limits_is_refused(world, separators, message):
    team = world.t.team.name
    wide = f"{team},M1,{ym(world.may)},7,10" + "," * (separators - 4) + "far right"
    data = ("Team,Measure,Period,Numerator,Denominator\n" + wide + "\n").encode()
    error, peak = _peak_while(lambda: imports.read_table("values.csv", data))
    assert isinstance(error, imports.ImportFileError), error
    assert str(error).startswith(message), error
    # The text and its line are held, never a list of millions of cells.
    assert peak < 6 * len(data) + 2 * 1024 * 1024, f"{peak / 1024 / 1024:.1f} MB"


SHARED_STRINGS = (
    f'<sst {NS} count="4" uniqueCount="4">'
    "<si><t>Team</t></si><si><t>Measure</t></si><si><t>Period</t></si>"
    "<si><r><t>M</t></r><r><t>1</t></r></si>"
    "</sst>"
).encode()


def test_normal_files_still_import(world):
    team = world.t.team.name
    # As openpyxl writes it: inline strings, a date, numbers.
    batch = preview(world, xlsx([COLUMNS, [team, "M1", ym(world.may), 7, 10]]), name="v.xlsx")
    assert batch.problems == [] and batch.counts["create"] == 1
    # As Excel writes it: shared strings (one in rich-text runs), a styled empty cell
    # far right and an empty formatted row far below, which are ignored.
    header = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>2</v></c>'
        + _text_cell("D1", "Numerator")
        + _text_cell("E1", "Denominator")
        + '<c r="XFD1" s="0"/></row>'
    )
    row = (
        f'<row r="2">{_text_cell("A2", team)}<c r="B2" t="s"><v>3</v></c>'
        f"{_text_cell('C2', ym(month(-5)))}{_number_cell('D2', 3)}{_number_cell('E2', 4)}"
        "</row>"
    )
    sheet = _sheet(header + row + '<row r="1048576" customFormat="1"/>', "A1:E2")
    data = _workbook(sheet, shared_strings=SHARED_STRINGS)
    batch = preview(world, data, name="values.xlsx")
    assert batch.problems == [], batch.problems
    assert [(r["measure_name"], r["numerator"]) for r in batch.rows] == [(world.m1.short_name, "3")]
    # A CSV whose rows trail thousands of empty cells (a spreadsheet's formatting).
    trailing = "," * 5000
    text = HEADER.rstrip("\n") + trailing + "\n" + f"{team},M1,{ym(world.may)},7,10,,{trailing}\n"
    batch = preview(world, text.encode())
    assert batch.problems == [] and batch.counts["create"] == 1


def test_the_data_sheet_is_read_wherever_it_lies_and_prefixed_xml_is_read(world):
    from openpyxl import Workbook

    team = world.t.team.name
    book = Workbook()
    book.active.title = "Notes"
    book.active.append(["not the data"])
    data_sheet = book.create_sheet("Data")
    for row in ([*COLUMNS], [team, "M1", ym(world.may), 7, 10]):
        data_sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    batch = preview(world, buffer.getvalue(), name="values.xlsx")
    assert batch.problems == [] and batch.counts["create"] == 1

    # Some generators write every element with a prefix: <x:c>, <x:v>.
    prefixed = (
        _sheet(_header_row() + _value_row(2, team, ym(month(-5))))
        .replace(b"<worksheet xmlns=", b"<x:worksheet xmlns:x=")
        .replace(b"</worksheet>", b"</x:worksheet>")
    )
    for name in (b"sheetData", b"row", b"c", b"v", b"is", b"t"):
        prefixed = prefixed.replace(b"<" + name, b"<x:" + name).replace(
            b"</" + name + b">", b"</x:" + name + b">"
        )
    batch = preview(world, _workbook(prefixed), name="values.xlsx")
    assert batch.problems == [] and batch.counts["create"] == 1


def test_a_dtd_in_the_shared_strings_is_refused(world):
    team = world.t.team.name
    shared = b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "M1">]>' + SHARED_STRINGS
    row = f'<row r="2">{_text_cell("A2", team)}<c r="B2" t="s"><v>3</v></c></row>'
    data = _workbook(_sheet(_header_row() + row), shared_strings=shared)
    batch = preview(world, data, name="values.xlsx")
    assert len(batch.problems) == 1
    assert batch.problems[0]["message"].startswith(
        "The Excel file's contents could not be read: they declare a DTD or entities"
    )
