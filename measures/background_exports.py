"""Whole-collaborative files built in the background (CollaborativeExport): every value
of every team, or the import template of every team, as CSV or Excel.

The rows are made team by team in chunks of CHUNK_TEAMS (two or three queries a chunk,
as for one team's file), and the export's progress is written after each chunk so that
the page that waits for it can say how far it is. The file is the same as the one the
request used to build (measures.exports), only not in a request.
"""

from __future__ import annotations

from collections.abc import Callable

from .exports import csv_response, export_rows, template_rows, xlsx_bytes
from .models import CollaborativeExport, ExportKind
from .selectors import collaborative_teams_query_for

#: Teams per chunk of rows (and per progress step).
CHUNK_TEAMS = 25


def export_file_bytes(
    export: CollaborativeExport, *, on_progress: Callable[[int], None] = lambda percent: None
) -> bytes:
    """The export's file, for every active team of its collaborative that its requester
    (program staff) sees; `on_progress(percent)` after each chunk of teams."""
    collaborative = export.collaborative
    teams = list(
        collaborative_teams_query_for(user=export.requested_by, collaborative=collaborative)
    )
    make = export_rows if export.kind == ExportKind.VALUES else template_rows
    rows = []
    for start in range(0, len(teams), CHUNK_TEAMS):
        rows += make(collaborative=collaborative, teams=teams[start : start + CHUNK_TEAMS])
        on_progress(min(99, round(100 * (start + CHUNK_TEAMS) / len(teams))))
    is_values = export.kind == ExportKind.VALUES
    if export.file_format == "xlsx":
        return xlsx_bytes(rows, export=is_values)
    return csv_response(rows, filename=export.filename, export=is_values).content
