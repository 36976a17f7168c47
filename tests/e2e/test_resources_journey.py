"""Issue 17's journey across the three parts of resources, in a real browser:

1. a team lead finds a resource from the gap report (the gap it helps close) and opens
   the resource's page, whose "Open" counts one open without recording who;
2. the coach opens the change-package heat map from the collaborative's page, drills
   down to one change and opens another team's shared ramp;
3. a team member goes from the library to the community of practice, starts a
   discussion and the lead, who follows the board, replies to it.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from assessments.models import SurveyResponse, SurveyTemplate
from collaboratives.models import Collaborative
from core.models import Notification
from pdsa.models import Decision
from resources.models import Thread
from resources.services.links import resource_question_link_create
from tests.factories import TeamFactory

from ..resources.search_helpers import make_resource
from ..resources.sustain_helpers import package_item, ramp
from .helpers import sign_in_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_lead_finds_a_resource_from_the_gap_report(page, live_server, tenant_a):
    t = tenant_a
    guide = make_resource(
        t,
        "Kilogram scale buying guide",
        summary="Which scales lock to kilograms, and what they cost.",
        url="https://example.org/kg-scales",
    )
    template = SurveyTemplate.objects.get(public_id=t.extras["template_id"])
    resource_question_link_create(
        resource=guide, actor=t.staff, survey_id=template.public_id, question_key="A2"
    )
    response = SurveyResponse.objects.get(public_id=t.extras["response_id"])

    sign_in_as(page, live_server, t.lead)
    page.goto(
        live_server.url
        + reverse("assessments:response_report", kwargs={"response_id": response.public_id})
    )
    gaps = page.get_by_role("table", name="Unmet and partly met items, most points lost first")
    gaps.get_by_role("link", name="Kilogram scale buying guide").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kilogram scale buying guide")
    expect(page.get_by_text("Which scales lock to kilograms")).to_be_visible()
    # The page says where the resource is linked (the gap it helps close).
    expect(page.get_by_text("Gap-analysis questions")).to_be_visible()

    opening = page.get_by_role("link", name="Open the link to Kilogram scale buying guide")
    answer = page.request.get(opening.get_attribute("href"), max_redirects=0)
    assert answer.status == 302 and answer.headers["location"] == "https://example.org/kg-scales"
    guide.refresh_from_db()
    assert guide.view_count == 1


def test_the_coach_opens_a_shared_ramp_from_the_heat_map(page, live_server, tenant_a):
    t = tenant_a
    item = package_item(t, "Weigh every child in kilograms")
    other = TeamFactory(program=t.program, collaborative=t.collaborative, name="Aspen Valley ED")
    ramp(other, item, "Kg-only scale at triage", [Decision.ADAPT, Decision.ADOPT], shared=True)
    ramp(t.team, item, "Kg stickers on the scale", [""])

    sign_in_as(page, live_server, t.coach)
    page.goto(
        live_server.url
        + reverse("collaboratives:detail", kwargs={"collaborative_id": t.collaborative.public_id})
    )
    page.get_by_role("link", name="See the heat map").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Which teams tested each change")
    counts = page.get_by_role("table", name="Number of teams in each state")
    counts.get_by_role("link", name="Weigh every child in kilograms").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Weigh every child in kilograms")
    adopted = page.locator("section", has=page.get_by_role("heading", name="Adopted (1)"))
    expect(adopted).to_contain_text("Aspen Valley ED")
    adopted.get_by_role("link", name="Kg-only scale at triage").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kg-only scale at triage")
    expect(page.locator("main")).to_contain_text("Adopt")


def test_a_member_posts_in_the_community_and_the_lead_replies(page, browser, live_server, tenant_a):
    t = tenant_a
    community = Collaborative.objects.get(public_id=t.extras["community_id"])

    sign_in_as(page, live_server, t.member)
    page.goto(live_server.url + reverse("resources:library"))
    page.get_by_role("link", name="Communities of practice").click()
    page.get_by_role("link", name=f"Open {community.title}").click()
    page.get_by_role("link", name="Start a discussion").click()
    page.get_by_label("Title").fill("Keeping kg-only weighing going after the collaborative")
    page.get_by_label("Message").fill(
        "Night shift slipped back to pounds twice. See https://example.org/kg-audit for our audit."
    )
    page.get_by_role("button", name="Post").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Keeping kg-only weighing going after the collaborative"
    )
    expect(page.get_by_role("link", name="https://example.org/kg-audit")).to_be_visible()
    thread = Thread.objects.get(title__startswith="Keeping kg-only")
    assert thread.author == t.member

    lead_context = browser.new_context(base_url=live_server.url)
    lead = lead_context.new_page()
    sign_in_as(lead, live_server, t.lead)
    lead.goto(
        reverse(
            "resources:community_thread",
            kwargs={"community_id": community.public_id, "thread_id": thread.public_id},
        )
    )
    lead.get_by_label("Your reply").fill("We taped over the lb button. @Alpha Member try it?")
    lead.get_by_role("button", name="Reply").click()
    expect(lead.locator("main")).to_contain_text("We taped over the lb button.")
    lead_context.close()

    # The member follows their own discussion (and is mentioned): the reply reaches
    # their inbox, and the notice opens the thread.
    assert Notification.objects.filter(
        recipient=t.member, kind__in=("community_reply", "community_mention")
    ).exists()
    page.goto(live_server.url + reverse("notifications"))
    page.get_by_role("link", name="Keeping kg-only weighing going").first.click()
    expect(page.locator("main")).to_contain_text("We taped over the lb button.")
