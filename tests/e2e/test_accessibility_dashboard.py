"""axe-core on the coach dashboard in the states the automatic walk does not reach:
several teams with reasons, sparklines and signals, the action forms opened, a
message after an action, the collaborative dashboard for staff; wide and on a
320 px screen."""

import pytest
from django.urls import reverse

from tests.dashboards.test_summary import _world

from .helpers import sign_in_as
from .test_accessibility import AXE, NARROW, _violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _problems(page, label: str, narrow: bool) -> list[str]:
    if narrow:
        width = page.evaluate("document.documentElement.scrollWidth")
        return [f"{label}: {width}px wide on a 320px screen"] if width > NARROW["width"] else []
    return [f"{label}: {v['rule']} {v['where']} {v['why']}" for v in _violations(page)]


def test_coach_dashboard_meets_wcag_21_aa(browser, live_server, tenant_a):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make install` (npm ci installs it)")
    collaborative, teams = _world(tenant_a, 3)
    problems: list[str] = []
    for narrow in (False, True):
        context = browser.new_context(base_url=live_server.url, viewport=NARROW if narrow else None)
        page = context.new_page()
        sign_in_as(page, live_server, tenant_a.coach)
        page.goto(reverse("dashboards:coach"))
        page.get_by_role("heading", name="My teams").wait_for()
        problems += _problems(page, "coach dashboard", narrow)
        row = page.locator(f"#team-{teams[0].public_id}")
        row.locator("summary").click()
        problems += _problems(page, "coach dashboard, actions open", narrow)
        row.get_by_role("button", name="Send a nudge e-mail").click()
        page.get_by_text("Nudge sent").or_(page.get_by_text("already nudged")).first.wait_for()
        problems += _problems(page, "coach dashboard, after a nudge", narrow)
        page.goto(reverse("dashboards:coach") + "?reason=concern&sort=-name")
        problems += _problems(page, "coach dashboard, filtered", narrow)
        context.close()

        context = browser.new_context(base_url=live_server.url, viewport=NARROW if narrow else None)
        page = context.new_page()
        sign_in_as(page, live_server, tenant_a.staff)
        page.goto(
            reverse(
                "dashboards:collaborative", kwargs={"collaborative_id": collaborative.public_id}
            )
        )
        page.get_by_role("heading", level=1).wait_for()
        problems += _problems(page, "collaborative dashboard (staff)", narrow)
        context.close()
    assert not problems, "\n".join(problems)
