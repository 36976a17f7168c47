"""Templates and exports: the import's columns, spreadsheet formulas neutralised, scoped
to the teams the caller may see; an export imports back without changing anything."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from measures.models import DataPoint
from measures.services import imports as services_import
from tests.clock import month

from .conftest import client_for

pytestmark = pytest.mark.django_db

NASTY = ['=HYPERLINK("http://evil.example","click")', "+1+1", "-2+3", "@SUM(A1)"]


def rows_of(response) -> list[dict]:
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def nasty_notes(world):
    points = []
    months = [month(-6), month(-5), month(-4), month(-3)]  # May to August 2026 by default
    for note, start in zip(NASTY, months, strict=True):
        points.append(
            DataPoint.objects.create(
                program=world.t.program,
                collaborative=world.t.collaborative,
                team=world.t.team,
                measure=world.m1,
                period=world.periods[start],
                numerator=Decimal(5),
                denominator=Decimal(10),
                note=note,
            )
        )
    return points


def test_csv_export_neutralises_formulas(world, nasty_notes):
    url = reverse("measures:team_export", kwargs={"team_id": world.t.team.public_id})
    response = client_for(world.t.lead).get(url)
    assert response["Content-Type"].startswith("text/csv")
    rows = rows_of(response)
    notes = {r["Period"]: r["Note"] for r in rows}
    may, june, july, august = (f"{month(k):%Y-%m}" for k in (-6, -5, -4, -3))
    assert notes[may] == "'" + NASTY[0]
    assert notes[june] == "'+1+1"
    assert notes[july] == "'-2+3"
    assert notes[august] == "'@SUM(A1)"
    assert all(not r["Note"].startswith(("=", "+", "-", "@")) for r in rows)
    assert {r["Numerator"] for r in rows if r["Period"] == may} == {"5"}


def test_xlsx_export_writes_text_never_formulas(world, nasty_notes):
    url = reverse("measures:team_export", kwargs={"team_id": world.t.team.public_id})
    response = client_for(world.t.lead).get(url + "?format=xlsx")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Data"]
    notes = [c for c in sheet["I"][1:] if c.value]
    assert {c.value for c in notes} >= set(NASTY)
    assert all(c.data_type == "s" for c in notes)


def test_an_exported_file_imports_back_without_changes(world, nasty_notes):
    url = reverse("measures:team_export", kwargs={"team_id": world.t.team.public_id})
    data = client_for(world.t.staff).get(url).content
    batch = services_import.import_preview(
        collaborative=world.t.collaborative,
        team=world.t.team,
        actor=world.t.staff,
        file_name="export.csv",
        data=data,
    )
    assert batch.problems == []
    assert batch.counts["unchanged"] == batch.counts["rows"] == 5  # April and four notes


def test_the_template_lists_open_periods_of_the_teams_measures(world):
    url = reverse("measures:team_template", kwargs={"team_id": world.t.team.public_id})
    rows = rows_of(client_for(world.t.lead).get(url))
    periods = {r["Period"] for r in rows if r["Measure"] == "M1"}
    assert f"{month(-6):%Y-%m}" in periods and f"{month(0):%Y-%m}" in periods
    assert f"{month(-7):%Y-%m}" not in periods  # submitted: closed to the team
    assert f"{month(1):%Y-%m}" not in periods  # not started
    assert {r["Team ID"] for r in rows} == {str(world.t.team.public_id)}


def test_collaborative_export_is_scoped_to_the_callers_teams(world):
    url = reverse(
        "measures:collaborative_export",
        kwargs={"collaborative_id": world.t.collaborative.public_id},
    )
    staff_teams = {r["Team"] for r in rows_of(client_for(world.t.staff).get(url))}
    assert staff_teams == {world.t.team.name, world.t.other_team.name}
    coach_teams = {r["Team"] for r in rows_of(client_for(world.t.coach).get(url))}
    assert coach_teams == {world.t.team.name}
    assert client_for(world.t.lead).get(url).status_code == 403
