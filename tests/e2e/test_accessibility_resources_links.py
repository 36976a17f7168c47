"""axe-core on a resource's Links page (staff: what it is linked to and the forms that
link it) and on a change idea's ramp with its "Resources for this change idea" panel
and form (a team member), wide and on a 320 px screen."""

import pytest
from django.urls import reverse

from resources.models import Resource

from .helpers import sign_in_as
from .test_accessibility import AXE, NARROW, _violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_links_page_and_a_panel_meet_wcag_21_aa(browser, live_server, tenant_a):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make install` (npm ci installs it)")
    resource = Resource.objects.get(public_id=tenant_a.extras["resource_id"])
    pages = [
        (
            tenant_a.staff,
            reverse("resources:links", kwargs={"resource_id": resource.public_id}),
            f"Where teams find “{resource.title}”",
        ),
        (
            tenant_a.member,
            reverse(
                "pdsa:ramp_detail",
                kwargs={
                    "team_id": tenant_a.team.public_id,
                    "change_idea_id": tenant_a.extras["change_idea_id"],
                },
            ),
            "Resources for this change idea",
        ),
    ]
    problems: list[str] = []
    for user, url, heading in pages:
        for narrow in (False, True):
            context = browser.new_context(
                base_url=live_server.url, viewport=NARROW if narrow else None
            )
            page = context.new_page()
            sign_in_as(page, live_server, user)
            page.goto(url)
            page.get_by_role("heading", name=heading).wait_for()
            if narrow:
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > NARROW["width"]:
                    problems.append(f"{url}: {width}px wide on a 320px screen")
            else:
                problems += [
                    f"{url}: {v['rule']} {v['where']} {v['why']}" for v in _violations(page)
                ]
            context.close()
    assert not problems, "\n".join(problems)
