"""Journey 3 on the dashboard (UI.md): the coach opens the dashboard, sorts it (in
place, from the API), drills down to a team and rates it from the dashboard."""

import pytest
from playwright.sync_api import expect

from core.clock import current_month
from teams.models import ProgressRating, RatingKind
from tests.factories import CoachAssignmentFactory, TeamFactory

from .helpers import sign_in_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_coach_opens_sorts_drills_down_and_rates(page, live_server, tenant_a):
    t = tenant_a
    for name in ("Aspen Valley ED", "Zephyr County ED"):
        team = TeamFactory(program=t.program, collaborative=t.collaborative, name=name)
        CoachAssignmentFactory(team=team, coach=t.coach)

    sign_in_as(page, live_server, t.coach)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My teams")
    table = page.locator("#dashboard-table")
    expect(table).to_contain_text("No PDSA cycle yet")  # a reason, in words

    # Sort by team name, then reversed: the rows move without a page load.
    page.evaluate("window.__same_page = true")
    page.get_by_role("link", name="Team", exact=True).click()
    first = table.locator("tbody tr").first
    expect(first).to_contain_text("Aspen Valley ED")
    expect(page).to_have_url(f"{live_server.url}/coach/?sort=name")
    page.get_by_role("link", name="Team (sorted)").click()
    expect(first).to_contain_text("Zephyr County ED")
    assert page.evaluate("window.__same_page === true")  # updated in place

    # Filter by name in place too.
    page.get_by_label("Team name").fill("aspen")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#dashboard-count")).to_have_text("Showing 1 of 3 teams.")
    page.get_by_role("link", name="Clear filters").click()

    # Rate the fixture team from its row.
    row = page.locator(f"#team-{t.team.public_id}")
    row.locator("summary").click()
    row.get_by_label(f"Rate {current_month():%B}").select_option("2.5")
    row.get_by_label("Rationale").fill("Cycles run, the kg rate has not moved yet")
    row.get_by_role("button", name="Save rating").click()
    expect(
        page.get_by_text(f"{t.team.name} rated 2.5 for {current_month():%B %Y}.")
    ).to_be_visible()
    rating = ProgressRating.objects.get(team=t.team, month=current_month(), kind=RatingKind.COACH)
    assert rating.rated_by == t.coach

    # Drill down to the team.
    page.get_by_role("link", name=t.team.name).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(t.team.name)
