"""axe-core on the share-and-sustain pages: the change-package heat map (every state
shown, its team-by-team table on two pages, the pager under it) and an item's
drill-down as the coach, a team's storyboard as its lead (aim, diagram, key chart,
ramps, the lessons form) and the print-every-storyboard progress page as staff; wide,
and on a 320 px screen nothing wider than the screen (the heat map's matrix scrolls
inside its own region)."""

import pytest
from django.urls import reverse

from pdsa.models import Decision
from resources.models import StoryboardBatch, StoryboardBatchStatus
from tests.resources.sustain_helpers import add_plain_teams, package_item, ramp

from .helpers import sign_in_as
from .test_accessibility import AXE, NARROW, _violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _world(t):
    kg = package_item(t, "Weigh in kg", position=1)
    package_item(t, "Weight on the whiteboard", position=2)
    third, _fourth = add_plain_teams(t, 2, prefix="Zeta")
    add_plain_teams(t, 24, prefix="Paged")  # 28 teams: the team-by-team table has a pager
    ramp(t.team, kg, "Lock the scale to kg", [Decision.ADAPT, Decision.ADOPT])
    ramp(t.other_team, kg, "Kg-only triage scale", [Decision.ABANDON], shared=True)
    ramp(third, kg, "Kg on the chart", [Decision.ADAPT], shared=True)
    ramp(_fourth, kg, "Kg poster", [""])
    running = StoryboardBatch.objects.create(
        program=t.program,
        collaborative=t.collaborative,
        status=StoryboardBatchStatus.RUNNING,
        total=4,
        done=1,
        requested_by=t.staff,
    )
    c = {"collaborative_id": t.collaborative.public_id}
    return [
        (t.coach, reverse("resources:heat_map", kwargs=c), "Which teams tested each change"),
        (
            t.coach,
            reverse("resources:heat_map_item", kwargs={**c, "package_item_id": kg.public_id}),
            "Weigh in kg",
        ),
        (
            t.lead,
            reverse("resources:storyboard", kwargs={"team_id": t.team.public_id}),
            f"Storyboard: {t.team.name}",
        ),
        (
            t.staff,
            reverse("resources:storyboard_batch", kwargs={**c, "batch_id": running.public_id}),
            "Every storyboard as one PDF",
        ),
        (t.staff, reverse("resources:storyboards", kwargs=c), "Storyboards"),
    ]


def test_sustain_pages_meet_wcag_21_aa(browser, live_server, tenant_a):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make install` (npm ci installs it)")
    pages = _world(tenant_a)
    problems: list[str] = []
    for user, url, heading in pages:
        for narrow in (False, True):
            context = browser.new_context(
                base_url=live_server.url, viewport=NARROW if narrow else None
            )
            page = context.new_page()
            sign_in_as(page, live_server, user)
            page.goto(url)
            page.get_by_role("heading", level=1).filter(has_text=heading).wait_for()
            # The state's fill must reach the cells (the table's own white once hid it).
            for cell in page.locator(
                "td.heat--adopted:not(.heat-count--zero), td.heat--abandoned:not(.heat-count--zero)"
            ).all():
                fill = cell.evaluate("e => getComputedStyle(e).backgroundColor")
                if fill in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"):
                    problems.append(f"{url}: a state's cell has no fill ({fill})")
            if (
                heading == "Which teams tested each change"
                and not page.locator('nav[aria-label="Pages of teams"]').count()
            ):
                problems.append(f"{url}: the team-by-team table has no pager")
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
