"""In a browser: the PDSA autosave tells the time the page tells after a reload, and a
draft typed offline on a device whose clock is wrong is still put back."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from core import clock
from pdsa import services
from pdsa.models import ChangeIdea

from .helpers import sign_in_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _cycle(tenant):
    idea = ChangeIdea.objects.get(team=tenant.team, title="Lock the triage scale to kg")
    return services.cycle_create(
        team=tenant.team, actor=tenant.member, values={"title": "Clock test", "change_idea": idea}
    )


def _open(page, tenant, cycle) -> None:
    page.goto(f"/teams/{tenant.team.public_id}/pdsa/cycles/{cycle.public_id}/edit/")
    page.locator("form[data-autosave-key]").wait_for(state="attached")
    page.wait_for_load_state("domcontentloaded")


@pytest.fixture
def slow_clock_page(browser, live_server):
    """A phone whose clock is an hour behind the server's."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    context.clock.set_system_time(clock.now() - timedelta(hours=1))
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def test_text_typed_offline_survives_a_device_clock_that_is_behind(
    slow_clock_page, live_server, tenant_a
):
    page = slow_clock_page
    cycle = _cycle(tenant_a)
    sign_in_as(page, live_server, tenant_a.member)
    _open(page, tenant_a, cycle)
    page.context.set_offline(True)
    page.get_by_label("Predictions").fill("Typed with no signal")
    page.wait_for_timeout(300)
    page.goto("about:blank")
    page.context.set_offline(False)
    _open(page, tenant_a, cycle)
    expect(page.get_by_label("Predictions")).to_have_value("Typed with no signal")
    expect(page.get_by_text("Draft saved at")).to_be_visible(timeout=20000)
    cycle.refresh_from_db()
    assert cycle.predictions == "Typed with no signal"


def test_autosave_time_matches_the_page_after_a_reload(page, live_server, tenant_a):
    tenant_a.member.time_zone = "America/Chicago"
    tenant_a.member.save()
    cycle = _cycle(tenant_a)
    sign_in_as(page, live_server, tenant_a.member)
    _open(page, tenant_a, cycle)
    page.get_by_label("Objective").fill("Saved in the background")
    status = page.locator(".pdsa-autosave-status")
    expect(status).to_contain_text("Draft saved at", timeout=15000)
    said = re.search(r"Draft saved at (\d\d:\d\d C[SD]T)\.", status.inner_text()).group(1)
    page.reload()
    expect(page.locator(".pdsa-autosave-status")).to_contain_text(said)
