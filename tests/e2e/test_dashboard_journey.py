"""Journey 3 on the dashboard (UI.md): the coach opens the dashboard, sorts it (in
place, from the API), drills down to a team and rates it from the dashboard; the
team replies on its cycle, and the coach sees the notice in the bell and opens it."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.clock import current_month
from core.models import Notification
from pdsa.models import Stage
from teams.models import ProgressRating, RatingKind
from tests.factories import CoachAssignmentFactory, TeamFactory
from tests.pdsa.helpers import make_cycle, make_idea

from .helpers import sign_in_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_coach_opens_sorts_drills_down_rates_and_sees_the_teams_reply(
    page, browser, live_server, tenant_a
):
    t = tenant_a
    Notification.objects.filter(recipient=t.coach).delete()  # the builder's, if any
    idea = make_idea(t.team, title="Kg-only scale at triage")
    cycle = make_cycle(t.team, idea, author=t.member, stage=Stage.DO, title="Kg scale, nights")
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

    # The team lead answers on the cycle (their own browser)...
    lead_context = browser.new_context(base_url=live_server.url)
    lead = lead_context.new_page()
    sign_in_as(lead, live_server, t.lead)
    cycle_page = reverse(
        "pdsa:cycle_detail", kwargs={"team_id": t.team.public_id, "cycle_id": cycle.public_id}
    )
    lead.goto(cycle_page)
    lead.get_by_role("textbox", name="Comment").fill(
        "Thanks for the 2.5: nights now weigh in kg, the run chart follows next week."
    )
    lead.get_by_role("button", name="Send comment").click()
    expect(lead.get_by_text("Comment sent.")).to_be_visible()
    lead_context.close()

    # ...and the coach's bell says so; the notice opens the cycle with the reply.
    page.goto("/coach/")
    menu = page.get_by_role("button", name="Menu")  # a tablet: the menu is folded
    expect(menu).to_contain_text("1")  # the unread count rides on the Menu button
    menu.click()
    bell = page.get_by_role("link", name="Notifications, 1 unread")
    expect(bell).to_be_visible()
    bell.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Notifications")
    page.get_by_role("link", name="Kg scale, nights").first.click()
    expect(page).to_have_url(f"{live_server.url}{cycle_page}")
    expect(page.get_by_text("nights now weigh in kg")).to_be_visible()
    assert Notification.objects.get(recipient=t.coach).read_at is not None
    page.goto("/coach/")
    expect(page.get_by_role("link", name="Notifications, 1 unread")).to_have_count(0)
