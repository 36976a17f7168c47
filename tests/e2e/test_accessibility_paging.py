"""axe-core on the pages that list a large collaborative's teams 25 a page (the pager
appears only past 25 teams, which the automatic walk's data never reach); wide and on a
320 px screen."""

import pytest
from django.urls import reverse

from tests.measures.test_query_counts import grow

from .helpers import sign_in_as
from .test_accessibility import AXE, NARROW, _violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_paged_team_lists_meet_wcag_21_aa(browser, live_server, tenant_a):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make install` (npm ci installs it)")
    collaborative, _, measures = grow(tenant_a.program, 30, "paged")
    cid = {"collaborative_id": collaborative.public_id}
    urls = {
        "measure page": reverse(
            "measures:measure", kwargs={**cid, "measure_id": measures[0].public_id}
        ),
        "signal table": reverse("measures:collaborative", kwargs=cid),
        "status": reverse("measures:status", kwargs=cid),
        "roster": reverse("teams:roster", kwargs=cid),
        "enrolment": reverse("teams:enrolment", kwargs=cid),
    }
    problems: list[str] = []
    for narrow in (False, True):
        context = browser.new_context(base_url=live_server.url, viewport=NARROW if narrow else None)
        page = context.new_page()
        sign_in_as(page, live_server, tenant_a.staff)
        for label, url in urls.items():
            page.goto(url)
            page.get_by_role("navigation", name="Pages of teams").wait_for()
            pager = page.get_by_role("navigation", name="Pages of teams")
            # USWDS hides Previous/Next below 640 px; the page numbers stay.
            if not narrow:
                assert pager.get_by_role("link", name="Next").is_visible(), label
            pager.get_by_role("link", name="Page 2").click()
            page.get_by_text("26–30 of 30").first.wait_for()
            if narrow:
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > NARROW["width"]:
                    problems.append(f"{label}: {width}px wide on a 320px screen")
            else:
                problems += [
                    f"{label}: {v['rule']} {v['where']} {v['why']}" for v in _violations(page)
                ]
        context.close()
    assert not problems, "\n".join(problems)
