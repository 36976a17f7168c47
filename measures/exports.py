"""Templates to fill in and exports of entered data, as CSV or XLSX.

Both use the import's columns, so an export can be edited and imported back, and a
template filled in and uploaded. Text that a spreadsheet would run as a formula
("=HYPERLINK(...)", "+1", "@SUM") is neutralised: CSV cells get a leading apostrophe,
XLSX cells are written as plain strings, never as formulas. Rows are scoped by the
caller (a team the user sees, or the teams of a collaborative the user sees).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.http import HttpResponse

from core import clock, spreadsheets
from core.charts import fmt
from core.timezones import format_local

from .display import value_text
from .models import DataPoint, Measure, ReportingPeriod
from .periods import started_periods

COLUMNS = [
    "Team",
    "Measure",
    "Measure name",
    "Kind",
    "Period",
    "Numerator",
    "Denominator",
    "Value",
    "Note",
    "Team ID",
    "Measure ID",
]
#: Columns for people to read, after the import's (an import ignores them). "Shown as" is
#: the value as the pages show it: a proportion's percentage, a rate per its multiplier.
EXPORT_COLUMNS = [*COLUMNS, "Shown as", "Status", "Entered by", "Last changed"]


def period_cell(period: ReportingPeriod) -> str:
    """How a period is written in files: 2026-03 for months, 2026-Q1, or a week's Monday."""
    if period.frequency == "monthly":
        return f"{period.start:%Y-%m}"
    if period.frequency == "quarterly":
        return f"{period.start.year}-Q{(period.start.month - 1) // 3 + 1}"
    return period.start.isoformat()


def _number(value) -> object:
    if value is None:
        return ""
    number = float(value)
    return int(number) if number.is_integer() else float(fmt(number, 4))


@dataclass
class Row:
    team: object
    measure: Measure
    period: ReportingPeriod
    point: DataPoint | None = None
    status: str = ""

    def cells(self, *, export: bool = False) -> list[object]:
        p = self.point
        cells = [
            self.team.name,
            self.measure.code or self.measure.short_name,
            self.measure.name,
            self.measure.get_data_kind_display().split(" (")[0],
            period_cell(self.period),
            _number(p.numerator) if p else "",
            _number(p.denominator) if p else "",
            _number(p.value) if p else "",
            p.note if p else "",
            str(self.team.public_id),
            str(self.measure.public_id),
        ]
        if export:
            cells += [
                value_text(self.measure, p.numerator, p.denominator, p.value) if p else "",
                self.status,
                p.entered_by.display_name if p and p.entered_by else "",
                format_local(p.updated_at, "Y-m-d H:i") if p else "",
            ]
        return cells


def csv_response(rows: Iterable[Row], *, filename: str, export: bool = False) -> HttpResponse:
    return spreadsheets.csv_response(
        filename=f"{filename}.csv",
        header=EXPORT_COLUMNS if export else COLUMNS,
        rows=(row.cells(export=export) for row in rows),
    )


def xlsx_bytes(rows: Iterable[Row], *, export: bool = False, title: str = "Data") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Data"
    headers = EXPORT_COLUMNS if export else COLUMNS
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(row.cells(export=export), start=1):
            cell = sheet.cell(row=number, column=column)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
    widths = {"A": 28, "B": 12, "C": 40, "D": 12, "E": 10, "I": 40, "J": 38, "K": 38}
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    help_sheet = workbook.create_sheet("How to fill in")
    for line in HELP_LINES:
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 110
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


HELP_LINES = [
    "Fill in the Data sheet: one row per team, measure and period.",
    "Proportions and rates: the Numerator and the Denominator (whole numbers). "
    "Counts and continuous measures: the Value.",
    "Period: 2026-03 for March 2026. Leave a row's numbers empty to leave it unchanged.",
    "Type values, not formulas. Do not change the column names.",
    "Upload the file on the Import page: you will see every row checked before anything is saved.",
]


def xlsx_response(rows: Iterable[Row], *, filename: str, export: bool = False) -> HttpResponse:
    response = HttpResponse(
        xlsx_bytes(rows, export=export),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def file_response(rows: Sequence[Row], *, file_format: str, filename: str, export: bool):
    if file_format == "xlsx":
        return xlsx_response(rows, filename=filename, export=export)
    return csv_response(rows, filename=filename, export=export)


def export_filename(prefix: str, slug: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in slug)[:60] or "measures"
    return f"{prefix}-{safe}-{clock.today():%Y-%m-%d}"


def template_rows(*, collaborative, teams: Sequence, today: date | None = None) -> list[Row]:
    """A row per team, measure of its set and started period, with the values already
    entered (periods the team handed in are left out: they are closed to it)."""
    from .models import HANDED_IN, Submission
    from .selectors import periods_of
    from .services import team_sets

    today = today or clock.today()
    periods = started_periods(periods_of(collaborative=collaborative), today)
    sets = team_sets(collaborative=collaborative, teams=teams)
    team_ids = [t.pk for t in teams]
    handed_in = set(
        Submission.objects.filter(
            program_id=collaborative.program_id, team_id__in=team_ids, status__in=HANDED_IN
        ).values_list("team_id", "period_id")
    )
    points = {
        (p.team_id, p.measure_id, p.period_id): p
        for p in DataPoint.objects.filter(
            program_id=collaborative.program_id,
            collaborative=collaborative,
            team_id__in=team_ids,
            deleted_at__isnull=True,
        )
    }
    rows = []
    for team in teams:
        for measure in sets.get(team.pk, {}).values():
            for period in periods:
                if period.frequency != measure.frequency or (team.pk, period.pk) in handed_in:
                    continue
                rows.append(
                    Row(team, measure, period, points.get((team.pk, measure.pk, period.pk)))
                )
    return rows


def export_rows(*, collaborative, teams: Sequence) -> list[Row]:
    """Every current value of the teams, with its period's status (two queries)."""
    from .models import Submission, SubmissionStatus

    team_ids = [t.pk for t in teams]
    by_pk = {t.pk: t for t in teams}
    statuses = {
        (s.team_id, s.period_id): s.get_status_display()
        for s in Submission.objects.filter(
            program_id=collaborative.program_id, team_id__in=team_ids
        )
    }
    points = (
        DataPoint.objects.filter(
            program_id=collaborative.program_id,
            collaborative=collaborative,
            team_id__in=team_ids,
            deleted_at__isnull=True,
        )
        .select_related("measure", "period", "entered_by")
        .order_by("team_id", "measure__code", "measure__name", "period__start")
    )
    return [
        Row(
            by_pk[p.team_id],
            p.measure,
            p.period,
            p,
            statuses.get((p.team_id, p.period_id), SubmissionStatus.NOT_STARTED.label),
        )
        for p in points
    ]
