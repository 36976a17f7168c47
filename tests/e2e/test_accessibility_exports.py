"""axe-core on the page of whole-collaborative files, with one file ready, one being
prepared (the script polls it) and one that failed; wide and on a 320 px screen
(nothing wider than the screen)."""

import pytest
from django.urls import reverse

from core import clock
from measures.models import CollaborativeExport, ExportKind, ExportStatus

from .helpers import sign_in_as
from .test_accessibility import AXE, NARROW, _violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_exports_page_meets_wcag_21_aa(browser, live_server, tenant_a):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make install` (npm ci installs it)")
    for status in (ExportStatus.READY, ExportStatus.QUEUED, ExportStatus.FAILED):
        CollaborativeExport.objects.create(
            program=tenant_a.program,
            collaborative=tenant_a.collaborative,
            kind=ExportKind.VALUES,
            file_format="csv",
            status=status,
            progress=40 if status == ExportStatus.QUEUED else 100,
            requested_by=tenant_a.staff,
            requested_at=clock.now(),
            filename="measures-alpha",
            file="measures/x.csv" if status == ExportStatus.READY else "",
        )
    url = reverse(
        "measures:collaborative_exports",
        kwargs={"collaborative_id": tenant_a.collaborative.public_id},
    )
    problems: list[str] = []
    for narrow in (False, True):
        context = browser.new_context(base_url=live_server.url, viewport=NARROW if narrow else None)
        page = context.new_page()
        sign_in_as(page, live_server, tenant_a.staff)
        page.goto(url)
        page.get_by_role("heading", name="Files of every team").wait_for()
        page.get_by_text("Being prepared: 40% done").wait_for()
        if narrow:
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > NARROW["width"]:
                problems.append(f"exports: {width}px wide on a 320px screen")
        else:
            problems += [f"exports: {v['rule']} {v['where']} {v['why']}" for v in _violations(page)]
        context.close()
    assert not problems, "\n".join(problems)
