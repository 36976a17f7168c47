"""Whole-collaborative files built in the background: program staff ask for one, a
Celery task (eager in tests) builds it with its progress, asking twice while it runs
gives the same file, the page refreshes itself without JavaScript, and only the
program's staff reach the page, the status and the download. The old direct download
sends staff of a large collaborative to this flow; small ones still download at once."""

from __future__ import annotations

import csv
import io

import pytest
from celery.exceptions import Retry
from django.urls import reverse

from core.models import AuditEvent
from measures import tasks
from measures.models import CollaborativeExport, ExportKind, ExportStatus
from measures.services import collaborative_export_request
from measures.views import files

from .conftest import client_for
from .test_query_counts import grow

pytestmark = pytest.mark.django_db


def _urls(collaborative, export=None) -> dict:
    c = {"collaborative_id": collaborative.public_id}
    urls = {"page": reverse("measures:collaborative_exports", kwargs=c)}
    if export is not None:
        e = {**c, "export_id": export.public_id}
        urls["status"] = reverse("measures:collaborative_export_status", kwargs=e)
        urls["download"] = reverse("measures:collaborative_export_download", kwargs=e)
    return urls


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_staff_ask_the_task_builds_every_team_and_they_download_it(
    tenant_a, django_capture_on_commit_callbacks
):
    collaborative, teams, _ = grow(tenant_a.program, 30, "bg")
    client = client_for(tenant_a.staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_urls(collaborative)["page"], {"kind": "values", "format": "csv"})
    assert response.status_code == 302
    export = CollaborativeExport.objects.get(collaborative=collaborative)
    assert (export.status, export.progress, export.requested_by) == (
        ExportStatus.READY,
        100,
        tenant_a.staff,
    )
    assert AuditEvent.objects.filter(verb="measures_export.requested").count() == 1
    urls = _urls(collaborative, export)
    status = client.get(urls["status"]).json()
    assert status["status"] == "ready" and status["download_url"] == urls["download"]
    download = client.get(urls["download"])
    assert download.status_code == 200
    assert f"{export.filename}.csv" in download["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(_body(download).decode("utf-8-sig"))))
    assert {row[0] for row in rows[1:]} == {t.name for t in teams}
    assert len(rows) - 1 == 30 * 3 * 12  # every value of every team
    page = client.get(urls["page"]).content.decode()
    assert urls["download"] in page and 'http-equiv="refresh"' not in page


def test_progress_is_written_chunk_by_chunk(tenant_a, monkeypatch):
    collaborative, _, _ = grow(tenant_a.program, 60, "chunks")
    export = collaborative_export_request(
        collaborative=collaborative, actor=tenant_a.staff, kind="template", file_format="xlsx"
    )
    seen = []
    from measures import background_exports

    real = background_exports.export_file_bytes

    def spy(export, *, on_progress):
        def record(percent):
            seen.append(percent)
            on_progress(percent)

        return real(export, on_progress=record)

    monkeypatch.setattr(background_exports, "export_file_bytes", spy)
    assert tasks.build_collaborative_export(export.pk) == ExportStatus.READY
    assert seen == [42, 83, 99]  # 25, 50 and 60 of 60 teams; 100 once stored
    export.refresh_from_db()
    assert export.progress == 100 and export.file.name.endswith(".xlsx")
    # A redelivered task finds it ready and builds nothing again.
    assert tasks.build_collaborative_export(export.pk) == ExportStatus.READY
    assert seen == [42, 83, 99]


def test_asking_twice_while_it_is_prepared_gives_the_same_file(tenant_a):
    collaborative = tenant_a.collaborative
    client = client_for(tenant_a.staff)
    for _ in range(2):  # not run: on_commit callbacks are not executed here
        client.post(_urls(collaborative)["page"], {"kind": "values", "format": "xlsx"})
    client.post(_urls(collaborative)["page"], {"kind": "template", "format": "xlsx"})
    queued = CollaborativeExport.objects.filter(
        collaborative=collaborative, status=ExportStatus.QUEUED
    )
    assert queued.filter(kind=ExportKind.VALUES).count() == 1
    assert queued.filter(kind=ExportKind.TEMPLATE).count() == 1
    export = queued.filter(kind=ExportKind.VALUES).get()
    # While it is prepared: the page refreshes itself without JavaScript, the status
    # says how far it is, and there is nothing to download yet.
    page = client.get(_urls(collaborative)["page"]).content.decode()
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
    assert "Being prepared: 0% done" in page
    urls = _urls(collaborative, export)
    assert client.get(urls["status"]).json() == {
        "status": "queued",
        "label": "Being prepared",
        "progress": 0,
        "download_url": "",
    }
    assert client.get(urls["download"]).status_code == 404
    # A choice that is not offered is refused.
    client.post(_urls(collaborative)["page"], {"kind": "values", "format": "pdf"})
    assert queued.count() == 2


def test_a_failing_build_is_retried_then_marked_failed(tenant_a, monkeypatch):
    export = collaborative_export_request(
        collaborative=tenant_a.collaborative, actor=tenant_a.staff, kind="values", file_format="csv"
    )
    from measures import background_exports

    def broken(export, *, on_progress):
        raise RuntimeError("disk full")

    monkeypatch.setattr(background_exports, "export_file_bytes", broken)
    for _ in range(tasks.EXPORT_ATTEMPTS - 1):
        with pytest.raises(Retry):
            tasks.build_collaborative_export.apply(args=[export.pk], throw=True)
    assert tasks.build_collaborative_export(export.pk) == ExportStatus.FAILED
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and "disk full" in export.last_error
    page = client_for(tenant_a.staff).get(_urls(tenant_a.collaborative)["page"])
    assert "Could not be prepared: please ask again" in page.content.decode()


@pytest.mark.parametrize(
    ("name", "status"),
    [("admin", 200), ("staff", 200), ("coach", 403), ("lead", 403), ("outsider", 404)],
)
def test_only_program_staff_reach_the_page_the_status_and_the_file(persona, tenant_a, name, status):
    export = CollaborativeExport.objects.get(collaborative=tenant_a.collaborative)  # built
    urls = _urls(tenant_a.collaborative, export)
    client = client_for(persona(name))
    assert client.get(urls["page"]).status_code == status
    assert client.get(urls["status"]).status_code == status
    assert client.get(urls["download"]).status_code == status
    if status != 200:
        client.post(urls["page"], {"kind": "values", "format": "csv"})
        assert CollaborativeExport.objects.filter(collaborative=tenant_a.collaborative).count() == 1


def test_another_tenants_export_is_404(tenant_a, tenant_b):
    theirs = CollaborativeExport.objects.get(collaborative=tenant_b.collaborative)
    mine = tenant_a.collaborative
    kwargs = {"collaborative_id": mine.public_id, "export_id": theirs.public_id}
    client = client_for(tenant_a.staff)
    for name in ("collaborative_export_status", "collaborative_export_download"):
        assert client.get(reverse(f"measures:{name}", kwargs=kwargs)).status_code == 404


def test_the_direct_download_sends_staff_of_a_large_collaborative_here(tenant_a, monkeypatch):
    c = {"collaborative_id": tenant_a.collaborative.public_id}
    export_url = reverse("measures:collaborative_export", kwargs=c)
    template_url = reverse("measures:collaborative_template", kwargs=c)
    staff = client_for(tenant_a.staff)
    assert staff.get(export_url).status_code == 200  # two teams: at once
    monkeypatch.setattr(files, "DIRECT_FILE_TEAMS", 1)
    response = staff.get(export_url + "?format=xlsx")
    assert response.status_code == 302
    assert response["Location"] == _urls(tenant_a.collaborative)["page"] + (
        "?kind=values&format=xlsx#prepare"
    )
    assert staff.get(template_url)["Location"].endswith("?kind=template&format=csv#prepare")
    # A coach's own teams are still downloaded at once.
    assert client_for(tenant_a.coach).get(export_url).status_code == 200
