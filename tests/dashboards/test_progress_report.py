"""The sponsor progress report: WeasyPrint really renders it (its text checked), the
Celery task (eager) stores it once, failures are retried then shown, and only the
program's staff reach the button, the status and the download."""

from __future__ import annotations

from io import BytesIO

import pytest
from celery.exceptions import Retry
from django.urls import reverse
from pypdf import PdfReader

from core.models import AuditEvent
from dashboards import tasks
from dashboards.models import ProgressReport, ProgressReportStatus
from dashboards.report import render_progress_report
from tests.dashboards.progress_helpers import add_teams
from tests.factories import client_for

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    return " ".join(text.split())  # lines wrap anywhere in a paragraph


def _urls(tenant, report=None) -> dict:
    c = {"collaborative_id": tenant.collaborative.public_id}
    urls = {
        "page": reverse("dashboards:progress", kwargs=c),
        "create": reverse("dashboards:progress_report_create", kwargs=c),
    }
    if report is not None:
        r = {**c, "report_id": report.public_id}
        urls["status"] = reverse("dashboards:progress_report_status", kwargs=r)
        urls["download"] = reverse("dashboards:progress_report_download", kwargs=r)
    return urls


def test_weasyprint_renders_every_chart_with_its_words(tenant_a):
    add_teams(tenant_a, 4)
    pdf = render_progress_report(collaborative=tenant_a.collaborative)
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    assert tenant_a.collaborative.title in text
    for heading in (
        "Monthly reporting",
        "Progress scores",
        "Gap analysis: change from baseline",
        "Signals across teams",
        "PDSA activity",
    ):
        assert heading in text
    assert "6 active teams" in text
    assert "Baseline (mean)" in text  # the gap analysis's data table
    assert "coaches rated 4 teams" in text  # the progress scores' sentence


def test_prepare_report_runs_the_task_and_staff_download_it(
    tenant_a, django_capture_on_commit_callbacks
):
    add_teams(tenant_a, 2)
    ProgressReport.objects.all().delete()  # the tenant builder's
    client = client_for(tenant_a.staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_urls(tenant_a)["create"])
    assert response.status_code == 302
    report = ProgressReport.objects.get(collaborative=tenant_a.collaborative)
    assert report.status == ProgressReportStatus.READY and report.pdf
    assert report.requested_by == tenant_a.staff
    assert AuditEvent.objects.filter(verb="progress_report.requested").count() == 1
    urls = _urls(tenant_a, report)

    status = client.get(urls["status"]).json()
    assert status["status"] == "ready"
    assert status["download_url"] == urls["download"]
    page = client.get(urls["page"]).content.decode()
    assert urls["download"] in page

    download = client.get(urls["download"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "Monthly reporting" in _text(b"".join(download.streaming_content))
    # A second delivery of the task (acks_late) does nothing.
    assert tasks.render_progress_report.delay(report.pk).get() == ProgressReportStatus.READY


def test_a_second_click_while_preparing_reuses_the_queued_report(tenant_a):
    ProgressReport.objects.all().delete()  # the tenant builder's
    client = client_for(tenant_a.staff)
    client.post(_urls(tenant_a)["create"])  # not committed: the task does not run
    client.post(_urls(tenant_a)["create"])
    report = ProgressReport.objects.get(collaborative=tenant_a.collaborative)
    assert report.status == ProgressReportStatus.QUEUED
    urls = _urls(tenant_a, report)
    page = client.get(urls["page"]).content.decode()
    assert "Being prepared" in page
    assert 'http-equiv="refresh"' in page  # without JavaScript the page refreshes
    assert client.get(urls["status"]).json()["download_url"] == ""
    assert client.get(urls["download"]).status_code == 404


def test_a_failing_render_is_retried_then_marked_failed(tenant_a, monkeypatch):
    def broken(*, collaborative):
        raise RuntimeError("cairo exploded")

    monkeypatch.setattr(tasks, "render_pdf", broken)
    report = ProgressReport.objects.create(
        program=tenant_a.program,
        collaborative=tenant_a.collaborative,
        requested_by=tenant_a.staff,
        requested_at="2026-11-20T10:00:00Z",
    )
    with pytest.raises(Retry):
        tasks.render_progress_report.apply(args=[report.pk], throw=True)
    report.refresh_from_db()
    assert (report.status, report.attempts) == (ProgressReportStatus.QUEUED, 1)
    assert "cairo exploded" in report.last_error

    ProgressReport.objects.filter(pk=report.pk).update(attempts=tasks.MAX_ATTEMPTS - 1)
    result = tasks.render_progress_report.apply(args=[report.pk], throw=True).get()
    report.refresh_from_db()
    assert result == report.status == ProgressReportStatus.FAILED
    assert not report.pdf
    page = client_for(tenant_a.staff).get(_urls(tenant_a)["page"]).content.decode()
    assert "Could not be prepared: please try again" in page


@pytest.mark.parametrize(
    "name", ["coach", "unassigned_coach", "lead", "member", "outsider", "other_tenant_staff"]
)
def test_only_program_staff_reach_a_report(persona, tenant_a, name):
    report = ProgressReport.objects.create(
        program=tenant_a.program,
        collaborative=tenant_a.collaborative,
        requested_by=tenant_a.staff,
        requested_at="2026-11-20T10:00:00Z",
        status=ProgressReportStatus.READY,
        pdf="dashboards/1/progress/x.pdf",
    )
    urls = _urls(tenant_a, report)
    client = client_for(persona(name))
    assert client.get(urls["status"]).status_code == 404
    assert client.get(urls["download"]).status_code == 404
    assert client_for(tenant_a.admin).get(urls["status"]).status_code == 200


def test_a_report_of_another_collaborative_is_not_found_under_this_one(tenant_a):
    report = ProgressReport.objects.create(
        program=tenant_a.program,
        collaborative=tenant_a.recruiting,
        requested_by=tenant_a.staff,
        requested_at="2026-11-20T10:00:00Z",
    )
    urls = _urls(tenant_a, report)
    assert client_for(tenant_a.staff).get(urls["status"]).status_code == 404
