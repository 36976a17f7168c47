"""axe-core on the search results page (every group, highlights, the "more" link), on a
page of one group, on "nothing found", and the top-bar search box used from the home
page with the keyboard; wide and on a 320 px screen."""

import pytest

from tests.resources.search_helpers import make_resource

from .helpers import sign_in_as
from .test_accessibility import AXE, NARROW

# axe's violations wide, the page's width on a 320 px screen: the inbox's check.
from .test_accessibility_notifications import _problems

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_search_pages_meet_wcag_21_aa(browser, live_server, tenant_a):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make install` (npm ci installs it)")
    for i in range(6):
        make_resource(tenant_a, f"Weighing children in kg, poster {i}", summary="For triage <kg>.")
    problems: list[str] = []
    for narrow in (False, True):
        context = browser.new_context(base_url=live_server.url, viewport=NARROW if narrow else None)
        page = context.new_page()
        sign_in_as(page, live_server, tenant_a.member)
        page.goto("/")
        if narrow:
            page.get_by_role("search").first.wait_for()
            page.goto("/search/?q=kg")
        else:
            box = page.get_by_role(
                "searchbox",
                name="Search resources, cycles, change ideas, measures and sessions",
            )
            box.fill("kg")
            box.press("Enter")
        page.get_by_role("heading", name="Library").wait_for()
        for group in ("Change ideas", "PDSA cycles", "Measures"):
            page.get_by_role("heading", name=group).wait_for()
        assert page.locator("mark").count() >= 6
        problems += _problems(page, "Search results", narrow)
        page.get_by_role("link", name="More library for “kg”").click()
        page.get_by_role("link", name="← All results for “kg”").wait_for()
        assert page.locator(".search-hit").count() == 6
        problems += _problems(page, "One group", narrow)
        page.goto("/search/?q=zebra")
        page.get_by_text("Nothing matches “zebra”").wait_for()
        problems += _problems(page, "Nothing found", narrow)
        context.close()
    assert not problems, "\n".join(problems)
