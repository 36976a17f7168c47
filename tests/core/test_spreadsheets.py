"""The one CSV writer: formulas are made plain text, and Excel reads the file as UTF-8."""

from core.spreadsheets import csv_response, safe_cell


def test_text_a_spreadsheet_would_run_is_made_plain():
    for dangerous in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(dangerous) == "'" + dangerous
    assert safe_cell("Riverside") == "Riverside"
    assert safe_cell(-1) == -1  # numbers are numbers, negative ones too
    assert safe_cell(None) is None


def test_csv_response_is_a_safe_utf8_attachment():
    response = csv_response(
        filename="roster.csv", header=["Team", "=HEADER"], rows=[["Ünïcode", "=cmd|' /C calc'!A0"]]
    )
    assert response["Content-Disposition"] == 'attachment; filename="roster.csv"'
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    lines = body.lstrip("\ufeff").splitlines()
    assert lines == ["Team,'=HEADER", "Ünïcode,'=cmd|' /C calc'!A0"]
