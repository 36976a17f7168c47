"""Journey 2 (UI.md): a team member logs a PDSA cycle from plan to act on a phone,
and a draft typed while the connection is down is saved when it comes back."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pdsa.models import Cycle, CycleRevision, Stage

from .helpers import sign_in_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _day(offset: int) -> str:
    """The day `offset` days from today (negative: before). The test ran, was studied
    and decided in the past week: dates of what happened cannot lie in the future."""
    return (timezone.localdate() + timedelta(days=offset)).isoformat()


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def _form_ready(page) -> None:
    """Wait for a stage form whose deferred scripts have run (before DOMContentLoaded).

    static/js/pdsa.js puts back a copy of the form kept on the device when it looks newer
    than the server's (the server's time is in whole seconds, so the copy kept when the
    form was sent usually does): text typed before the script runs can be overwritten.
    A person cannot type that fast; Playwright can, on a busy machine.
    """
    page.locator("form[data-autosave-key]").wait_for(state="attached")
    page.wait_for_load_state("domcontentloaded")


def _no_sideways_scrolling(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"page is {width}px wide on a {PHONE['width']}px phone"


def test_member_logs_a_cycle_from_plan_to_act_on_a_phone(phone, live_server, tenant_a):
    page = phone
    sign_in_as(page, live_server, tenant_a.member)
    page.goto(f"/teams/{tenant_a.team.public_id}/pdsa/")
    page.get_by_role("link", name="Log a test of change").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Log a test of change")
    _no_sideways_scrolling(page)

    # Plan: only the plan's fields are asked.
    expect(page.get_by_label("What happened")).to_have_count(0)
    page.get_by_label("Title").fill("Weigh in kg on the night shift")
    page.get_by_label("Change idea tested").select_option(label="Lock the triage scale to kg")
    page.get_by_label("Size of the test").select_option("one_shift")
    page.get_by_label("Objective").fill("See whether night nurses weigh every child in kg")
    page.get_by_label("Predictions").fill("At least 8 of 10 children weighed in kg")
    page.get_by_label("Who, what, when and where").fill("Night triage nurse, 19:00-07:00")
    page.get_by_label("Date planned").fill(_day(-6))
    page.get_by_role("button", name="Save and move to Do").click()
    expect(page.get_by_text("Plan saved and the cycle moved to Do.")).to_be_visible()
    _no_sideways_scrolling(page)

    # Do: moving on without the required fields keeps the text and says what is missing.
    page.get_by_role("link", name="Fill in Do").click()
    _form_ready(page)
    page.get_by_label("Observations").fill("Two parents asked for pounds")
    page.get_by_role("button", name="Save and move to Study").click()
    expect(page.get_by_text("cannot move to Study yet")).to_be_visible()
    expect(page.get_by_label("Observations")).to_have_value("Two parents asked for pounds")
    _form_ready(page)
    page.get_by_label("Date the test ran").fill(_day(-5))
    page.get_by_label("What happened").fill("Ten children came in; nine were weighed in kg.")
    page.get_by_role("button", name="Save and move to Study").click()
    expect(page.get_by_text("Moved to Study.")).to_be_visible()

    # Study.
    page.get_by_role("link", name="Fill in Study").click()
    _form_ready(page)
    page.get_by_label("Date studied").fill(_day(-3))
    page.get_by_label("Results compared with predictions").fill("9 of 10, above our 8")
    page.get_by_label("What we learned").fill("A printed kg card answers parents")
    page.get_by_text("Weight in kg only", exact=True).click()  # the measure showing it
    page.get_by_role("button", name="Save and move to Act").click()
    expect(page.get_by_text("Moved to Act.")).to_be_visible()
    expect(page.get_by_role("heading", name="What the measures show")).to_be_visible()
    _no_sideways_scrolling(page)

    # Act, and the cycle is complete.
    page.get_by_role("link", name="Fill in Act").click()
    _form_ready(page)
    page.get_by_label("Date decided").fill(_day(-2))
    page.get_by_text("Adapt: change it and test again").click()
    page.get_by_label("What the next cycle will test").fill("Every shift for one week")
    page.get_by_role("button", name="Save and complete the cycle").click()
    expect(page.get_by_text("The cycle is complete.")).to_be_visible()
    expect(page.get_by_role("link", name="Start the next cycle of this ramp")).to_be_visible()
    _no_sideways_scrolling(page)

    cycle = Cycle.objects.get(title="Weigh in kg on the night shift")
    assert cycle.stage == Stage.COMPLETE
    assert cycle.observations == "Two parents asked for pounds"
    assert cycle.decision == "adapt" and cycle.created_by == tenant_a.member
    assert cycle.change_idea.title == "Lock the triage scale to kg"
    assert [m.name for m in cycle.linked_measures.all()] == ["Weight in kg only"]


def test_draft_typed_offline_is_kept_and_saved_when_the_connection_returns(
    phone, live_server, tenant_a
):
    page = phone
    from pdsa import services
    from pdsa.models import ChangeIdea

    idea = ChangeIdea.objects.get(team=tenant_a.team, title="Lock the triage scale to kg")
    cycle = services.cycle_create(
        team=tenant_a.team,
        actor=tenant_a.member,
        values={"title": "Offline test", "change_idea": idea},
    )
    sign_in_as(page, live_server, tenant_a.member)
    page.goto(f"/teams/{tenant_a.team.public_id}/pdsa/cycles/{cycle.public_id}/edit/")
    page.get_by_label("Objective").fill("Typed while online")
    expect(page.get_by_text("Draft saved at")).to_be_visible(timeout=15000)
    cycle.refresh_from_db()
    assert cycle.objective == "Typed while online"

    page.context.set_offline(True)
    page.get_by_label("Questions").fill("Typed in the lift with no signal")
    expect(page.get_by_text("No connection. Your text is kept on this device")).to_be_visible(
        timeout=15000
    )
    cycle.refresh_from_db()
    assert cycle.questions == ""
    page.context.set_offline(False)
    expect(page.get_by_text("Draft saved at")).to_be_visible(timeout=20000)
    cycle.refresh_from_db()
    assert cycle.questions == "Typed in the lift with no signal"
    assert CycleRevision.objects.filter(cycle=cycle, is_autosave=True).count() == 1

    # Text typed offline survives closing the page: it is put back on the next visit.
    page.context.set_offline(True)
    page.get_by_label("Predictions").fill("Kept on the phone")
    page.wait_for_timeout(300)
    page.context.set_offline(False)
    page.evaluate("window.stop()")
    page.goto("about:blank")
    page.goto(f"/teams/{tenant_a.team.public_id}/pdsa/cycles/{cycle.public_id}/edit/")
    expect(page.get_by_label("Predictions")).to_have_value("Kept on the phone")
    expect(page.get_by_text("Draft saved at")).to_be_visible(timeout=20000)
    cycle.refresh_from_db()
    assert cycle.predictions == "Kept on the phone"
