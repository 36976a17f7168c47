"""Staff's "print every team's storyboard as one PDF": the task (eager) stores one real
PDF with every team's page, the page flow (start, progress, JSON, download), one run
at a time, never stored twice (a finished run redelivered, a superseded worker), resume
only when stalled, and only the program's staff reach any of it."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from core import clock
from core.models import AuditEvent
from pdsa.models import Decision
from resources.models import StoryboardBatch, StoryboardBatchPage, StoryboardBatchStatus
from resources.services.sustain import storyboard_batch_resume, storyboard_batch_start
from resources.storyboard_batch import run_storyboard_batch
from tests.conftest import PRIVATE_MARKER
from tests.factories import client_for
from tests.resources.sustain_helpers import add_plain_teams, package_item, ramp

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> tuple[int, str]:
    pages = PdfReader(BytesIO(pdf)).pages
    return len(pages), " ".join(" ".join(p.extract_text() for p in pages).split())


def _urls(tenant, batch=None) -> dict:
    c = {"collaborative_id": tenant.collaborative.public_id}
    urls = {"list": reverse("resources:storyboards", kwargs=c)}
    if batch is not None:
        b = {**c, "batch_id": batch.public_id}
        for name in ("storyboard_batch", "storyboard_batch_progress", "storyboard_batch_resume"):
            urls[name] = reverse(f"resources:{name}", kwargs=b)
        urls["download"] = reverse("resources:storyboard_batch_download", kwargs=b)
    return urls


def _prepared(tenant):
    item = package_item(tenant, "Weigh in kg")
    ramp(tenant.other_team, item, "Other team's kg ramp", [Decision.ADOPT])
    StoryboardBatch.objects.filter(collaborative=tenant.collaborative).delete()  # the builder's


def test_eager_task_stores_one_pdf_with_every_teams_page(
    tenant_a, django_capture_on_commit_callbacks
):
    _prepared(tenant_a)
    with django_capture_on_commit_callbacks(execute=True):
        batch = storyboard_batch_start(collaborative=tenant_a.collaborative, actor=tenant_a.staff)
    batch.refresh_from_db()
    assert (batch.status, batch.done, batch.total, batch.attempts) == ("done", 2, 2, 1)
    pages, text = _text(batch.pdf.read())
    assert pages >= 2
    assert tenant_a.team.name in text and tenant_a.other_team.name in text
    assert "Other team's kg ramp" in text and "Adopt: make it the way we work" in text
    assert AuditEvent.objects.filter(verb="storyboard_batch.started").count() == 1


def test_the_page_flow(tenant_a, django_capture_on_commit_callbacks):
    _prepared(tenant_a)
    staff = client_for(tenant_a.staff)
    page = staff.get(_urls(tenant_a)["list"])
    assert page.status_code == 200
    assert "Print every team's storyboard as one PDF (2 teams)" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(_urls(tenant_a)["list"])
    batch = StoryboardBatch.objects.get(collaborative=tenant_a.collaborative)
    urls = _urls(tenant_a, batch)
    assert response.status_code == 302 and response["Location"] == urls["storyboard_batch"]
    html = staff.get(urls["storyboard_batch"]).content.decode()
    assert "Download the storyboards (PDF)" in html and urls["download"] in html
    assert 'http-equiv="refresh"' not in html  # done: no more refreshing
    progress = staff.get(urls["storyboard_batch_progress"]).json()
    assert progress["done"] == progress["total"] == 2
    assert progress["active"] is False and progress["download_url"] == urls["download"]
    download = staff.get(urls["download"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_run_in_progress_refreshes_without_javascript(tenant_a):
    _prepared(tenant_a)
    batch = storyboard_batch_start(collaborative=tenant_a.collaborative, actor=tenant_a.staff)
    # Without the commit callbacks the task never ran: the run is queued.
    urls = _urls(tenant_a, batch)
    html = client_for(tenant_a.staff).get(urls["storyboard_batch"]).content.decode()
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in html
    assert "js/progress.js" in html
    assert client_for(tenant_a.staff).get(urls["download"]).status_code == 404
    # A second run while this one is active is refused with a message.
    with pytest.raises(ValidationError, match="already being prepared"):
        storyboard_batch_start(collaborative=tenant_a.collaborative, actor=tenant_a.staff)


def test_never_stored_twice(tenant_a):
    _prepared(tenant_a)
    batch = storyboard_batch_start(collaborative=tenant_a.collaborative, actor=tenant_a.staff)
    assert run_storyboard_batch(batch.pk) == "done"
    batch.refresh_from_db()
    name = batch.pdf.name
    # A late redelivery of the finished run does nothing.
    assert run_storyboard_batch(batch.pk) == "done"
    batch.refresh_from_db()
    assert (batch.pdf.name, batch.attempts) == (name, 1)


def test_a_superseded_worker_stops(tenant_a, monkeypatch):
    """A worker whose run was restarted by another (resume) stores nothing."""
    _prepared(tenant_a)
    batch = storyboard_batch_start(collaborative=tenant_a.collaborative, actor=tenant_a.staff)
    from resources import storyboard_batch as module

    real = module.render_documents

    def render_then_lose_the_run(htmls):
        StoryboardBatch.objects.filter(pk=batch.pk).update(attempts=99)  # another worker
        return real(htmls)

    monkeypatch.setattr(module, "render_documents", render_then_lose_the_run)
    assert run_storyboard_batch(batch.pk) == "superseded"
    batch.refresh_from_db()
    assert not batch.pdf and batch.status == StoryboardBatchStatus.RUNNING


def test_resume_only_a_stalled_run(tenant_a, django_capture_on_commit_callbacks):
    _prepared(tenant_a)
    batch = storyboard_batch_start(collaborative=tenant_a.collaborative, actor=tenant_a.staff)
    with pytest.raises(ValidationError, match="still moving"):
        storyboard_batch_resume(batch=batch, actor=tenant_a.staff)
    StoryboardBatch.objects.filter(pk=batch.pk).update(
        status=StoryboardBatchStatus.RUNNING, progress_at=clock.now() - timedelta(hours=1)
    )
    urls = _urls(tenant_a, batch)
    assert "Resume" in client_for(tenant_a.staff).get(urls["storyboard_batch"]).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(tenant_a.staff).post(urls["storyboard_batch_resume"])
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == StoryboardBatchStatus.DONE and batch.pdf
    assert AuditEvent.objects.filter(verb="storyboard_batch.resumed").exists()


def test_a_run_asked_by_someone_who_lost_the_staff_role_fails(tenant_a):
    _prepared(tenant_a)
    batch = storyboard_batch_start(collaborative=tenant_a.collaborative, actor=tenant_a.staff)
    from accounts.models import ProgramMembership

    ProgramMembership.objects.filter(user=tenant_a.staff).update(is_active=False)
    assert run_storyboard_batch(batch.pk) == "failed"
    batch.refresh_from_db()
    assert not batch.pdf and "no longer" in batch.last_error


@pytest.mark.parametrize("persona", ["coach", "lead", "member"])
def test_only_staff_reach_the_runs(tenant_a, persona):
    batch = StoryboardBatch.objects.get(collaborative=tenant_a.collaborative)
    client = client_for(getattr(tenant_a, persona))
    urls = _urls(tenant_a, batch)
    for name in ("list", "storyboard_batch", "storyboard_batch_progress", "download"):
        assert client.get(urls[name]).status_code == 404
    assert client.post(urls["list"]).status_code == 404
    assert client.post(urls["storyboard_batch_resume"]).status_code == 404


def test_other_tenants_staff_get_404(tenant_a, tenant_b):
    batch = StoryboardBatch.objects.get(collaborative=tenant_a.collaborative)
    urls = _urls(tenant_a, batch)
    for name in ("list", "storyboard_batch", "storyboard_batch_progress", "download"):
        response = client_for(tenant_b.staff).get(urls[name])
        assert response.status_code == 404
        assert PRIVATE_MARKER not in response.content.decode()
    # Tenant B's run through tenant A's collaborative address: 404 too.
    other = StoryboardBatch.objects.get(collaborative=tenant_b.collaborative)
    url = reverse(
        "resources:storyboard_batch",
        kwargs={"collaborative_id": tenant_a.collaborative.public_id, "batch_id": other.public_id},
    )
    assert client_for(tenant_a.staff).get(url).status_code == 404


class _WorkerKilled(BaseException):
    """What a killed worker looks like to the run: it stops mid-loop (not an error the
    run records)."""


def test_a_resumed_run_renders_only_the_teams_still_missing(
    tenant_a, monkeypatch, django_capture_on_commit_callbacks
):
    """Five teams; the worker dies after rendering two. The resumed run renders the
    other three (each once), keeps the first two as they were rendered, stores one PDF
    with all five and deletes the kept pages."""
    _prepared(tenant_a)
    add_plain_teams(tenant_a, 3, prefix="Zeta")
    from resources import storyboard_batch as module

    real_context = module.storyboard_context
    rendered: list[str] = []
    die_after: list[int] = [2]

    def render_and_maybe_die(*, team, viewer):
        if len(rendered) == die_after[0]:
            raise _WorkerKilled
        rendered.append(team.name)
        return real_context(team=team, viewer=viewer)

    monkeypatch.setattr(module, "storyboard_context", render_and_maybe_die)
    batch = storyboard_batch_start(collaborative=tenant_a.collaborative, actor=tenant_a.staff)
    with pytest.raises(_WorkerKilled):
        run_storyboard_batch(batch.pk)
    batch.refresh_from_db()
    first = list(rendered)
    assert len(first) == 2 and (batch.status, batch.done, batch.total) == ("running", 2, 5)
    assert StoryboardBatchPage.objects.filter(batch=batch).count() == 2

    die_after[0] = 99
    StoryboardBatch.objects.filter(pk=batch.pk).update(progress_at=clock.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        storyboard_batch_resume(batch=batch, actor=tenant_a.staff)
    batch.refresh_from_db()
    assert (batch.status, batch.done, batch.total, batch.attempts) == ("done", 5, 5, 2)
    resumed = rendered[len(first) :]
    assert len(resumed) == 3 and not set(resumed) & set(first)  # never a team twice
    pages, text = _text(batch.pdf.read())
    assert pages >= 5
    for name in (*first, *resumed):
        assert name in text
    assert not StoryboardBatchPage.objects.filter(batch=batch).exists()
    assert StoryboardBatch.objects.filter(pk=batch.pk).exclude(pdf="").count() == 1


def test_a_failed_run_keeps_no_pages(tenant_a, monkeypatch):
    _prepared(tenant_a)
    from resources import storyboard_batch as module

    real_context = module.storyboard_context
    calls: list[str] = []

    def fail_on_the_second(*, team, viewer):
        calls.append(team.name)
        if len(calls) == 2:
            raise RuntimeError("no fonts")
        return real_context(team=team, viewer=viewer)

    monkeypatch.setattr(module, "storyboard_context", fail_on_the_second)
    batch = storyboard_batch_start(collaborative=tenant_a.collaborative, actor=tenant_a.staff)
    assert run_storyboard_batch(batch.pk) == "failed"
    batch.refresh_from_db()
    assert "no fonts" in batch.last_error
    assert not StoryboardBatchPage.objects.filter(batch=batch).exists()
