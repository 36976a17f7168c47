"""Time and memory of reading the worst upload files we can build (measures.imports).

Builds each file (all within the 5 MB upload limit), then reads it with
`measures.imports.read_table` in a fresh Python process of its own, twice: once for the
wall time and the growth of the process's peak RSS (resource.getrusage), once under
tracemalloc for Python's peak allocation (tracemalloc slows the reading down, so its
time is not the one printed). Prints one line per file: accepted or refused (with the
message), wall time, tracemalloc peak, RSS growth.

Run from the repository root (no database is needed):

    .venv/bin/python benchmarks/xlsx_import_benchmark.py
    .venv/bin/python benchmarks/xlsx_import_benchmark.py --code /path/to/other/checkout
    .venv/bin/python benchmarks/xlsx_import_benchmark.py --only probe --timeout 120

`--code` reads the files with another checkout's measures.imports (e.g. the code before
these limits) while building them here; a file that takes longer than `--timeout`
seconds is stopped and reported as such.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import io
import json
import os
import random
import string
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
HEADER = ["Team", "Measure", "Period", "Numerator", "Denominator", "Value", "Note"]
EXPORT_HEADER = [
    *HEADER[:2],
    "Measure name",
    "Kind",
    *HEADER[2:],
    "Team ID",
    "Measure ID",
    "Shown as",
    "Status",
    "Entered by",
    "Last changed",
]
UPLOAD_LIMIT = 5 * 1024 * 1024


def _letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _workbook(sheet_xml: bytes, shared_strings: bytes | None = None) -> bytes:
    """A minimal valid workbook around `sheet_xml` (as openpyxl or Excel lays it out)."""
    types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        + (
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            if shared_strings
            else ""
        )
        + "</Types>"
    )
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    workbook = (
        f"<workbook {NS} "
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    workbook_rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        + (
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            if shared_strings
            else ""
        )
        + "</Relationships>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        if shared_strings:
            archive.writestr("xl/sharedStrings.xml", shared_strings)
    return out.getvalue()


def _sheet(rows: str, dimension: str | None = None) -> bytes:
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f"<worksheet {NS}>{declared}<sheetData>{rows}</sheetData></worksheet>".encode()


def _text(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _header_row(names: list[str]) -> str:
    return (
        '<row r="1">'
        + "".join(_text(f"{_letters(i + 1)}1", n) for i, n in enumerate(names))
        + "</row>"
    )


def probe() -> bytes:
    """The outside probe's file: A1:XFD5000 declared, a cell in A and in XFD per row."""
    rows = "".join(
        f'<row r="{n}"><c r="A{n}"><v>{n}</v></c><c r="XFD{n}"><v>{n}</v></c></row>'
        for n in range(1, 5001)
    )
    return _workbook(_sheet(rows, "A1:XFD5000"))


def probe_undeclared() -> bytes:
    """The probe's cells without a dimension: the value in XFD is found while reading."""
    rows = _header_row(HEADER) + "".join(
        f'<row r="{n}"><c r="A{n}"><v>{n}</v></c><c r="XFD{n}"><v>{n}</v></c></row>'
        for n in range(2, 5001)
    )
    return _workbook(_sheet(rows))


def wide_empty_rows() -> bytes:
    """Rows of styled empty cells across all 16,384 columns (allowed: nothing to read),
    as many as fit under the 5 MB upload and the 100-to-1 compression bound."""
    random.seed(1)
    row_cells = "".join(
        f'<c r="{_letters(c)}{{n}}" s="{random.randint(1, 9)}"/>' for c in range(1, 16385)
    )
    rows, size = [], 0
    n = 1
    while size < 30 * 1024 * 1024:
        row = f'<row r="{n}">' + row_cells.replace("{n}", str(n)) + "</row>"
        rows.append(row)
        size += len(row)
        n += 1
    return _workbook(_sheet("".join(rows)))


def export_20000_rows() -> bytes:
    """20,000 rows as our XLSX export writes them (15 columns, inline strings): accepted."""
    rows = [_header_row(EXPORT_HEADER)]
    for n in range(2, 20002):
        values = [
            f"Riverside ED Peds Ready {n % 300}",
            f"M{n % 10}",
            "Weight in kilograms recorded",
            "proportion",
            "2026-03",
            None,
            None,
            None,
            "a note about this month's data" if n % 3 == 0 else None,
            "7f1c2d3e-4b5a-6978-8a9b-0c1d2e3f4a5b",
            "1f1c2d3e-4b5a-6978-8a9b-0c1d2e3f4a5b",
            "45.0%",
            "submitted",
            "lead@demo.example",
            None,
        ]
        cells = []
        for c, value in enumerate(values, start=1):
            ref = f"{_letters(c)}{n}"
            if value is not None:
                cells.append(_text(ref, value))
            elif c == 6:
                cells.append(f'<c r="{ref}"><v>{n % 50}</v></c>')
            elif c == 7:
                cells.append(f'<c r="{ref}"><v>50</v></c>')
        rows.append(f'<row r="{n}">' + "".join(cells) + "</row>")
    return _workbook(_sheet("".join(rows), "A1:O20001"))


def dense_20000_by_40() -> bytes:
    """20,001 rows of 40 numbers each: within the rows and columns, over the cell bound."""
    random.seed(2)
    rows = [_header_row(HEADER)]
    for n in range(2, 20002):
        cells = "".join(
            f'<c r="{_letters(c)}{n}"><v>{random.randint(0, 99999)}</v></c>' for c in range(1, 41)
        )
        rows.append(f'<row r="{n}">{cells}</row>')
    return _workbook(_sheet("".join(rows), "A1:AN20001"))


def zip_bomb() -> bytes:
    """A sheet of 200 MB of spaces: a few hundred KB packed."""
    sheet = _sheet(_header_row(HEADER) + " " * (200 * 1024 * 1024))
    return _workbook(sheet)


def many_shared_strings() -> bytes:
    """As many distinct shared strings as fit under 16 MB unpacked and the upload limit,
    the sheet's 20,000 rows using the last ones."""
    random.seed(3)
    strings, size = [], 0
    while size < 15 * 1024 * 1024:
        text = "".join(random.choices(string.ascii_letters, k=8))
        item = f"<si><t>{text}</t></si>"
        strings.append(item)
        size += len(item)
    shared = f'<sst {NS} count="{len(strings)}">{"".join(strings)}</sst>'.encode()
    last = len(strings) - 1
    rows = [_header_row(HEADER)]
    for n in range(2, 20002):
        rows.append(
            f'<row r="{n}"><c r="A{n}" t="s"><v>{last - n}</v></c>'
            f'<c r="B{n}" t="s"><v>{last - n - 1}</v></c></row>'
        )
    return _workbook(_sheet("".join(rows)), shared)


def many_members() -> bytes:
    """54,000 empty members beside a small workbook: zipfile lists every one on opening."""
    source = zipfile.ZipFile(io.BytesIO(_workbook(_sheet(_header_row(HEADER)))))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for item in source.infolist():
            archive.writestr(item.filename, source.read(item.filename))
        for number in range(54_000):
            archive.writestr(f"x/{number}", b"")
    return out.getvalue()


def csv_100000_columns() -> bytes:
    """A CSV whose second row runs to 100,000 columns, a value in the last."""
    return (",".join(HEADER) + "\n" + "Team,M1,2026-03,7,10" + "," * 99_995 + "x\n").encode()


def csv_trailing_commas() -> bytes:
    """A CSV of one row whose 5 MB are nearly all empty trailing cells (allowed)."""
    line = "Team,M1,2026-03,7,10,,"
    return (",".join(HEADER) + "\n" + line + "," * (UPLOAD_LIMIT - 200) + "\n").encode()


def csv_20000_by_40() -> bytes:
    random.seed(4)
    header = ",".join(HEADER + [f"Extra {i}" for i in range(33)])
    rows = [header]
    for _ in range(20_000):
        rows.append(",".join(str(random.randint(0, 99)) for _ in range(40)))
    return ("\n".join(rows) + "\n").encode()


FILES = {
    "probe": ("probe.xlsx", probe),
    "probe_undeclared": ("probe_undeclared.xlsx", probe_undeclared),
    "wide_empty_rows": ("wide_empty_rows.xlsx", wide_empty_rows),
    "export_20000_rows": ("export.xlsx", export_20000_rows),
    "dense_20000_by_40": ("dense.xlsx", dense_20000_by_40),
    "zip_bomb": ("bomb.xlsx", zip_bomb),
    "many_shared_strings": ("shared.xlsx", many_shared_strings),
    "many_members": ("members.xlsx", many_members),
    "csv_100000_columns": ("wide.csv", csv_100000_columns),
    "csv_trailing_commas": ("trailing.csv", csv_trailing_commas),
    "csv_20000_by_40": ("dense.csv", csv_20000_by_40),
}


def _reset_peak_rss() -> None:
    """Make the process's peak RSS its current RSS (Linux: /proc/self/clear_refs), so that
    the peak after reading measures the reading, not Django's start-up."""
    # Elsewhere the growth shown is only what exceeds the start-up peak.
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _peak_rss_kb() -> int:
    """The process's peak RSS: VmHWM on Linux (getrusage's ru_maxrss of a child also
    counts the parent's size at exec), getrusage elsewhere."""
    import resource

    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def read_one(path: str, name: str, traced: bool) -> dict:
    """Read one file in this (fresh) process; what happened, how long and how much."""
    import time
    import tracemalloc

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from measures.imports import ImportFileError, read_table

    if traced:
        # tracemalloc slows reading several times over: lift the deadline (where there is
        # one) so that the peak is the whole reading's, not the part before the deadline.
        from measures import imports

        if hasattr(imports, "XLSX_LIMITS"):
            imports.XLSX_LIMITS = dataclasses.replace(imports.XLSX_LIMITS, seconds=3600)
    data = Path(path).read_bytes()
    _reset_peak_rss()
    before = _peak_rss_kb()
    if traced:
        tracemalloc.start()
    start = time.perf_counter()
    try:
        table = read_table(name, data)
        outcome = f"accepted: {len(table.rows):,} rows"
    except ImportFileError as error:
        outcome = f"refused: {error}"
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] if traced else 0
    after = _peak_rss_kb()
    return {
        "outcome": outcome,
        "seconds": seconds,
        "peak_mb": peak / 1024 / 1024,
        "rss_mb": max(after - before, 0) / 1024,
    }


def _run(code: Path, path: str, name: str, traced: bool, timeout: float) -> dict | None:
    command = [sys.executable, __file__, "--read", path, name, "--code", str(code)]
    if traced:
        command.append("--traced")
    try:
        done = subprocess.run(  # noqa: S603 - this script, with our own arguments
            command, capture_output=True, text=True, timeout=timeout, cwd=code, check=True
        )
    except subprocess.TimeoutExpired:
        return None
    except subprocess.CalledProcessError as error:
        return {
            "outcome": "crashed: " + error.stderr.strip().splitlines()[-1],
            "seconds": 0.0,
            "peak_mb": 0.0,
            "rss_mb": 0.0,
        }
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", default=str(ROOT), help="checkout whose measures.imports reads")
    parser.add_argument("--only", action="append", choices=sorted(FILES), help="files to read")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per file")
    parser.add_argument("--read", nargs=2, metavar=("PATH", "NAME"), help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    code = Path(args.code).resolve()
    if args.read:
        sys.path.insert(0, str(code))
        print(json.dumps(read_one(args.read[0], args.read[1], args.traced)))
        return
    print(f"reading with {code}")
    print(f"{'file':<22} {'packed':>9} {'wall s':>7} {'peak MB':>8} {'RSS+ MB':>8}  outcome")
    with tempfile.TemporaryDirectory() as folder:
        for key in args.only or FILES:
            name, build = FILES[key]
            data = build()
            if len(data) > UPLOAD_LIMIT:
                print(f"{key:<22} {len(data):>9,} over the upload limit: not read")
                continue
            path = os.path.join(folder, name)
            Path(path).write_bytes(data)
            plain = _run(code, path, name, False, args.timeout)
            traced = _run(code, path, name, True, args.timeout * 3) if plain else None
            if plain is None:
                print(f"{key:<22} {len(data):>9,} stopped after {args.timeout:g} s")
                continue
            peak = f"{traced['peak_mb']:>8.1f}" if traced else f"{'(>t/o)':>8}"
            outcome = plain["outcome"]
            print(
                f"{key:<22} {len(data):>9,} {plain['seconds']:>7.2f} {peak} "
                f"{plain['rss_mb']:>8.1f}  {outcome[:150]}"
            )


if __name__ == "__main__":
    main()
