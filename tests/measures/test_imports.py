"""Imports: every bad file gets a clear message (row and column), nothing is committed
unless every row is right, and importing the same file twice changes nothing."""

import io
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from measures.models import (
    DataPoint,
    DataPointRevision,
    ImportBatch,
    ImportStatus,
    ReportingPeriod,
)
from measures.services import imports as services_import
from tests.clock import label, month

from .conftest import client_for

pytestmark = pytest.mark.django_db

HEADER = "Team,Measure,Period,Numerator,Denominator,Value,Note\n"


def preview(world, data: bytes, *, name="values.csv", team=True, actor=None):
    return services_import.import_preview(
        collaborative=world.t.collaborative,
        team=world.t.team if team else None,
        actor=actor or world.t.lead,
        file_name=name,
        data=data,
    )


def ym(month_or_period: date | ReportingPeriod) -> str:
    """A month as the Period column writes it: "2026-05"."""
    return f"{getattr(month_or_period, 'start', month_or_period):%Y-%m}"


def messages(batch) -> list[str]:
    return [f"{p['row']}|{p['column']}|{p['message']}" for p in batch.problems]


def xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_good_file_previews_then_commits_all_rows_with_history(world):
    team = world.t.team.name
    data = (
        HEADER
        + f"{team},M1,{ym(world.may)},7,10,,Short month\n"
        + f'{team},Weight in kg,{label(month(-5))},"1,020","1,200",,\n'  # June 2026
    ).encode()
    batch = preview(world, data)
    assert batch.problems == []
    assert batch.counts == {"create": 2, "update": 0, "unchanged": 0, "rows": 2}
    assert not DataPoint.objects.filter(period=world.may).exists()  # preview writes nothing

    counts = services_import.import_commit(batch=batch, actor=world.t.lead)
    assert counts == {"created": 2, "updated": 0, "unchanged": 0}
    june = DataPoint.objects.get(team=world.t.team, measure=world.m1, period__start=month(-5))
    assert (june.numerator, june.denominator, june.source) == (1020, 1200, "import")
    assert june.revisions.get().action == "created"
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED


def test_importing_the_same_file_twice_changes_nothing(world):
    data = (HEADER + f"{world.t.team.name},M1,{ym(world.may)},7,10,,\n").encode()
    services_import.import_commit(batch=preview(world, data), actor=world.t.lead)
    point = DataPoint.objects.get(team=world.t.team, measure=world.m1, period=world.may)
    stamp, revisions = point.updated_at, DataPointRevision.objects.count()

    again = preview(world, data)
    assert again.counts["unchanged"] == 1 and again.counts["create"] == 0
    assert services_import.earlier_identical_import(again) is not None
    assert services_import.import_commit(batch=again, actor=world.t.lead) == {
        "created": 0,
        "updated": 0,
        "unchanged": 1,
    }
    point.refresh_from_db()
    assert point.updated_at == stamp
    assert DataPointRevision.objects.count() == revisions


def test_a_changed_value_is_updated_with_its_old_value_kept(world):
    team = world.t.team.name
    services_import.import_commit(
        batch=preview(world, (HEADER + f"{team},M1,{ym(world.may)},7,10,,\n").encode()),
        actor=world.t.lead,
    )
    batch = preview(world, (HEADER + f"{team},M1,{ym(world.may)},8,10,,\n").encode())
    assert batch.counts["update"] == 1
    services_import.import_commit(batch=batch, actor=world.t.lead)
    revision = DataPointRevision.objects.get(action="updated")
    assert (revision.old_numerator, revision.new_numerator) == (7, 8)
    # The stored row changed too (PostgreSQL writes the numbers in one statement).
    point = DataPoint.objects.get(team=world.t.team, measure=world.m1, period=world.may)
    assert (point.numerator, point.denominator, point.note) == (8, 10, "")
    assert point.source == "import" and point.entered_by == world.t.lead


def test_importing_a_deleted_value_brings_it_back(world):
    from measures import services

    team = world.t.team.name
    services_import.import_commit(
        batch=preview(world, (HEADER + f"{team},M1,{ym(world.may)},7,10,,\n").encode()),
        actor=world.t.lead,
    )
    point = DataPoint.objects.get(team=world.t.team, measure=world.m1, period=world.may)
    services.data_point_delete(data_point=point, actor=world.t.lead)
    counts = services_import.import_commit(
        batch=preview(world, (HEADER + f"{team},M1,{ym(world.may)},6,10,,\n").encode()),
        actor=world.t.lead,
    )
    assert counts["updated"] == 1
    point.refresh_from_db()
    assert point.deleted_at is None and point.deleted_by is None and point.numerator == 6
    assert DataPointRevision.objects.filter(data_point=point, action="restored").exists()


def test_many_changed_values_are_all_stored(world):
    """More rows than one write statement takes, each with its own numbers and note."""
    team = world.t.team.name
    months = [p for p in world.periods.values() if p != world.april]
    months = months[:6]  # April (sample data) was submitted: the lead cannot change it
    rows = "".join(f"{team},M1,{p.start:%Y-%m},{i},12,,first {i}\n" for i, p in enumerate(months))
    services_import.import_commit(
        batch=preview(world, (HEADER + rows).encode()), actor=world.t.lead
    )
    rows = "".join(
        f"{team},M1,{p.start:%Y-%m},{i + 1},{12 + i},,second {i}\n" for i, p in enumerate(months)
    )
    counts = services_import.import_commit(
        batch=preview(world, (HEADER + rows).encode()), actor=world.t.lead
    )
    assert counts == {"created": 0, "updated": 6, "unchanged": 0}
    stored = {
        p.period.start: (p.numerator, p.denominator, p.note)
        for p in DataPoint.objects.filter(team=world.t.team, measure=world.m1).select_related(
            "period"
        )
    }
    for i, period in enumerate(months):
        assert stored[period.start] == (i + 1, 12 + i, f"second {i}")


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1252", b""), ("utf-16", b"")],
)
def test_encodings_people_save_csv_files_in(world, encoding, bom):
    text = HEADER + f"{world.t.team.name},M1,{ym(world.may)},7,10,,Café – niño\n"
    if encoding == "utf-16":
        text = text.replace(",", "\t")  # Excel's "Unicode text" is tab-separated UTF-16
    batch = preview(world, bom + text.encode(encoding))
    assert batch.problems == []
    services_import.import_commit(batch=batch, actor=world.t.lead)
    assert DataPoint.objects.get(period=world.may, team=world.t.team).note == "Café – niño"


def test_semicolons_empty_rows_and_blank_template_rows(world):
    team = world.t.team.name
    text = (
        "Team;Measure;Period;Numerator;Denominator;Value;Note\n"
        f"{team};M1;{ym(world.may)};7;10;;\n"
        ";;;;;;\n"
        "\n"
        f"{team};M1;{ym(month(-5))};;;;\n"  # a template row left empty: changes nothing
    )
    batch = preview(world, text.encode())
    assert batch.problems == []
    assert batch.counts["rows"] == 1


def test_wrong_columns_are_named(world):
    data = f"Team,Measure,Month,Numerater,Denominator\nx,M1,{ym(world.may)},1,2\n".encode()
    batch = preview(world, data)
    text = "\n".join(messages(batch))
    assert "Unknown column “Numerater” (column D)" in text
    assert not ImportBatch.objects.get(pk=batch.pk).rows


def test_missing_columns_are_named(world):
    batch = preview(world, b"Team,Numerator\nx,1\n")
    text = "\n".join(messages(batch))
    assert "The Period column is missing" in text
    assert "The Measure column is missing" in text


def test_row_problems_name_the_row_and_the_column(world):
    team = world.t.team.name
    before = month(-34)  # January 2024 on the suite's default day
    text = (
        HEADER
        + f"{team},M1,{ym(world.may)},11,10,,\n"  # row 2: numerator above denominator
        + f"{team},M77,{ym(world.may)},1,10,,\n"  # row 3: unknown measure
        + f"Nowhere Hospital,M1,{ym(world.may)},1,10,,\n"  # row 4: another team
        + f"{team},M1,{ym(before)},1,10,,\n"  # row 5: outside the collaborative
        + f"{team},M1,{ym(world.may)},-1,10,,\n"  # row 6: negative
        + f"{team},M1,{ym(month(-5))},1.5,10,,\n"  # row 7: not whole
        + f"{team},M1,{ym(month(-4))},abc,10,,\n"  # row 8: not a number
        + f"{team},M1,{ym(month(-3))},1,10,,\n"  # row 9: fine
        + f"{team},M1,{ym(month(-3))},2,10,,\n"  # row 10: repeats row 9
        + f"{team},M1,{ym(world.april)},2,10,,\n"  # row 11: April is submitted
        + f"{team},M1,{ym(month(6))},2,10,,\n"  # row 12: not started
        + f"{team},M1,someday,2,10,,\n"  # row 13: not a period
    )
    batch = preview(world, text.encode())
    found = messages(batch)
    expected = [
        "2|Numerator|The numerator (11) cannot be larger than the denominator (10)",
        "3|Measure|“M77” is not one of this team's measures",
        "4|Team|this file is for Alpha Team, not “Nowhere Hospital”",
        f"5|Period|{ym(before)} is not a reporting period of Alpha Active Collaborative",
        "6|Numerator|The numerator cannot be negative",
        "7|Numerator|The numerator counts records: give a whole number",
        "8|Numerator|“abc” is not a number",
        "10|Period|repeats row 9",
        f"11|Period|{label(world.april.start)} is already submitted",
        f"12|Period|{label(month(6))} has not started yet",
        "13|Period|“someday” is not a period",
    ]
    for words in expected:
        assert any(words in f for f in found), (words, found)
    assert batch.rows == [] and batch.counts == {}
    with pytest.raises(Exception, match="Fix the problems"):
        services_import.import_commit(batch=batch, actor=world.t.lead)
    assert not DataPoint.objects.filter(period__start=month(-3)).exists()


def test_staff_may_import_into_a_submitted_period(world):
    batch = preview(
        world,
        (HEADER + f"{world.t.team.name},M1,{ym(world.april)},9,10,,\n").encode(),
        actor=world.t.staff,
    )
    assert batch.problems == [] and batch.counts["update"] == 1


def test_xlsx_with_excel_dates_numbers_and_a_formula(world):
    team = world.t.team.name
    june = month(-5)
    excel_serial = (june - date(1899, 12, 30)).days  # 46174 for June 2026
    good = xlsx(
        [
            ["Team", "Measure", "Period", "Numerator", "Denominator", "Value", "Note"],
            [team, "M1", datetime.combine(world.may.start, time()), 7, 10, None, "from Excel"],
            [team, "M1", excel_serial, 8.0, 10, None, None],  # an Excel serial date (June)
        ]
    )
    batch = preview(world, good, name="values.xlsx")
    assert batch.problems == []
    assert batch.counts["create"] == 2
    assert {r["period_label"] for r in batch.rows} == {label(world.may.start), label(june)}

    with_formula = xlsx(
        [
            ["Team", "Measure", "Period", "Numerator", "Denominator"],
            [team, "M1", ym(world.may), "=4+3", 10],
        ]
    )
    batch = preview(world, with_formula, name="values.xlsx")
    assert any("2|Numerator|contains a formula" in f for f in messages(batch)), messages(batch)


def test_a_formula_in_a_csv_cell_is_refused(world):
    batch = preview(
        world, (HEADER + f"{world.t.team.name},M1,{ym(world.may)},=SUM(A1),10,,\n").encode()
    )
    assert any("2|Numerator|contains a formula" in f for f in messages(batch))


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("values.xlsx", b"PK\x03\x04 not really a zip", "could not be opened"),
        ("old.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 64, "Old Excel files (.xls)"),
        ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "does not look like a CSV"),
        ("empty.csv", b"   \n", "The file is empty"),
        ("bad.csv", b"Team,Measure\n\x81\x8d\x8f\x90\x9d\n", "could not be read"),
    ],
)
def test_files_that_cannot_be_read_say_why(world, name, data, words):
    batch = preview(world, data, name=name)
    assert any(words in p["message"] for p in batch.problems), batch.problems


def test_a_whole_collaborative_import_by_staff(world):
    other = world.t.other_team.name
    text = (
        HEADER
        + f"{world.t.team.name},M1,{ym(world.may)},7,10,,\n"
        + f"{other},M1,{ym(world.may)},3,12,,\n"
        + f"Bravo Team,M1,{ym(world.may)},3,12,,\n"  # another tenant's team is unknown here
    )
    batch = preview(world, text.encode(), team=False, actor=world.t.staff)
    assert messages(batch) == ["4|Team|“Bravo Team” is not a team of Alpha Active Collaborative"]


def test_upload_page_refuses_a_50_mb_file_before_reading_it(world):
    client = client_for(world.t.lead)
    url = reverse("measures:team_import", kwargs={"team_id": world.t.team.public_id})
    big = SimpleUploadedFile("big.csv", b"x" * (50 * 1024 * 1024), content_type="text/csv")
    response = client.post(url, {"file": big})
    assert response.status_code == 413
    assert "The file is 50.0 MB; the limit is 5 MB" in response.content.decode()
    assert not ImportBatch.objects.filter(file_name="big.csv").exists()


def test_upload_preview_and_commit_through_the_pages(world):
    client = client_for(world.t.lead)
    url = reverse("measures:team_import", kwargs={"team_id": world.t.team.public_id})
    bad = SimpleUploadedFile(
        "values.csv", (HEADER + f"{world.t.team.name},M1,{ym(world.may)},12,10,,\n").encode()
    )
    page = client.post(url, {"file": bad}, follow=True)
    html = page.content.decode()
    assert "Nothing was imported" in html
    assert "cannot be larger than the denominator" in html
    assert "Import 1 row" not in html

    good = SimpleUploadedFile(
        "values.csv", (HEADER + f"{world.t.team.name},M1,{ym(world.may)},7,10,,\n").encode()
    )
    page = client.post(url, {"file": good}, follow=True)
    assert "1 new" in page.content.decode() or "<strong>1</strong> new" in page.content.decode()
    preview_url = page.redirect_chain[-1][0]
    done = client.post(preview_url, {"commit": "1"}, follow=True)
    assert "Imported: 1 new value" in done.content.decode()
    assert DataPoint.objects.get(team=world.t.team, period=world.may).numerator == Decimal(7)


def test_members_of_another_team_cannot_import_here(world, outsider):
    url = reverse("measures:team_import", kwargs={"team_id": world.t.team.public_id})
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(world.t.coach).get(url).status_code == 403


def test_the_upload_still_checks_the_csrf_token(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.t.lead)
    url = reverse("measures:team_import", kwargs={"team_id": world.t.team.public_id})
    upload = SimpleUploadedFile(
        "v.csv", (HEADER + f"{world.t.team.name},M1,{ym(world.may)},7,10,,\n").encode()
    )
    assert client.post(url, {"file": upload}).status_code == 403
    assert not ImportBatch.objects.filter(file_name="v.csv").exists()


def _with_sheet_xml(workbook_bytes: bytes, sheet_xml: bytes) -> bytes:
    """The workbook with its first sheet's XML replaced."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(workbook_bytes))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml
            target.writestr(item, data)
    return out.getvalue()


NESTED_ENTITIES = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&f;</t></is></c></row></sheetData>
</worksheet>"""


@pytest.mark.parametrize(
    "sheet_xml",
    [NESTED_ENTITIES, b"<worksheet><sheetData><row><c>"],
    ids=["nested entities", "broken XML"],
)
def test_an_xlsx_whose_xml_cannot_be_read_is_refused_with_a_message(world, sheet_xml):
    bad = _with_sheet_xml(xlsx([["Team", "Measure", "Period", "Value"]]), sheet_xml)
    before = DataPoint.objects.count()
    client = client_for(world.t.lead)
    url = reverse("measures:team_import", kwargs={"team_id": world.t.team.public_id})
    response = client.post(url, {"file": SimpleUploadedFile("values.xlsx", bad)}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "could not be opened" in page or "could not be read" in page, page[-3000:]
    assert DataPoint.objects.count() == before
