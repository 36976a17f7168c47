"""WCAG 2.1 AA (axe-core) and 320px reflow on the bulk-issue and credit-report pages
in the states the automatic walk does not reach: a plan to confirm, a run under way
that has stalled (with Resume, the bar polled by JavaScript), a finished run with
claims not issued, and the reports page with learners who cannot be reported."""

from datetime import timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from certificates import bulk
from certificates.models import BulkIssue, BulkIssueStatus, CreditOffer
from core import clock
from tests.certificates.bulk_helpers import claims, offer

from .helpers import sign_in_as
from .test_accessibility import AXE, NARROW, _violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _problems(page, label: str, viewport) -> list[str]:
    if viewport is None:
        return [f"{label}: {v['rule']} {v['where']} {v['why']}" for v in _violations(page)]
    width = page.evaluate("document.documentElement.scrollWidth")
    return [f"{label}: {width}px wide on a 320px screen"] if width > NARROW["width"] else []


def test_the_bulk_issue_and_report_pages_meet_wcag_21_aa(
    browser, live_server, tenant_a, monkeypatch
):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make install` (npm ci installs it)")
    collaborative = tenant_a.collaborative
    kwargs = {"collaborative_id": collaborative.public_id}
    claims(tenant_a, offer(tenant_a, "ems"), ["Ana Lee", "Bo Kim"])
    claims(tenant_a, offer(tenant_a, "ama_pra_1", published=False), ["Cy Dunn"])
    start = reverse("certificates:bulk_start", kwargs=kwargs)
    reports = reverse("certificates:credit_reports", kwargs=kwargs)
    # A finished run with a claim not issued, then a stalled one (no worker here).
    finished = bulk.start_bulk_issue(collaborative=collaborative, actor=tenant_a.staff)
    bulk.run_bulk_issue(finished.pk)
    claims(tenant_a, offer(tenant_a, "participation"), ["Di Ray"])
    monkeypatch.setattr(bulk, "enqueue_run", lambda run_id: None)  # its worker is gone
    stalled = bulk.start_bulk_issue(collaborative=collaborative, actor=tenant_a.staff)
    BulkIssue.objects.filter(pk=stalled.pk).update(
        status=BulkIssueStatus.RUNNING, progress_at=clock.now() - timedelta(hours=1)
    )
    CreditOffer.objects.filter(credit_type="ems", collaborative=collaborative).update(
        accreditor_activity_id="22-QICO-F2-0101"
    )

    def run_url(run):
        return reverse("certificates:bulk_progress", kwargs={**kwargs, "bulk_id": run.public_id})

    problems = []
    for viewport in (None, NARROW):
        context = browser.new_context(base_url=live_server.url, viewport=viewport)
        page = context.new_page()
        sign_in_as(page, live_server, tenant_a.staff)
        for url in (start, run_url(finished), reports):
            page.goto(url)
            problems += _problems(page, url, viewport)
        page.goto(run_url(stalled))
        page.get_by_role("button", name="Resume").wait_for()
        problems += _problems(page, f"{run_url(stalled)} stalled", viewport)
        if viewport is None:
            # With JavaScript the counts follow progress.json in place.
            BulkIssue.objects.filter(pk=stalled.pk).update(issued=1)
            expect(page.locator('#bulk-progress [data-field="issued"]')).to_have_text("1")
            assert page.evaluate("() => document.getElementById('bulk-bar').value") == 1
            BulkIssue.objects.filter(pk=stalled.pk).update(issued=0)
        context.close()
    assert not problems, "\n".join(problems)
    finished.refresh_from_db()
    assert finished.failed == 1  # the page showed a claim not issued
