"""axe-core on the staff progress dashboard with real figures in every chart, with a
sponsor report ready, one being prepared and one that failed; wide and on a 320 px
screen (nothing wider than the screen)."""

import pytest
from django.urls import reverse

from core import clock
from dashboards.models import ProgressReport, ProgressReportStatus
from tests.dashboards.progress_helpers import add_teams

from .helpers import sign_in_as
from .test_accessibility import AXE, NARROW, _violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_progress_dashboard_meets_wcag_21_aa(browser, live_server, tenant_a):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make install` (npm ci installs it)")
    add_teams(tenant_a, 6)
    for status in (
        ProgressReportStatus.READY,
        ProgressReportStatus.QUEUED,
        ProgressReportStatus.FAILED,
    ):
        ProgressReport.objects.create(
            program=tenant_a.program,
            collaborative=tenant_a.collaborative,
            requested_by=tenant_a.staff,
            requested_at=clock.now(),
            status=status,
            pdf="dashboards/x.pdf" if status == ProgressReportStatus.READY else "",
        )
    url = reverse(
        "dashboards:progress", kwargs={"collaborative_id": tenant_a.collaborative.public_id}
    )
    problems: list[str] = []
    for narrow in (False, True):
        context = browser.new_context(base_url=live_server.url, viewport=NARROW if narrow else None)
        page = context.new_page()
        sign_in_as(page, live_server, tenant_a.staff)
        page.goto(url)
        page.get_by_role("heading", name="Progress of the collaborative").wait_for()
        for summary in page.locator("details.chart__data summary").all():
            summary.click()
        if narrow:
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > NARROW["width"]:
                problems.append(f"progress: {width}px wide on a 320px screen")
        else:
            problems += [
                f"progress: {v['rule']} {v['where']} {v['why']}" for v in _violations(page)
            ]
        context.close()
    assert not problems, "\n".join(problems)
