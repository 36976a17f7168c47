"""Journeys: staff launch a collaborative and open enrolment; a team registers; staff approve."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from collaboratives.models import Collaborative
from teams.models import Team
from tests.clock import month
from tests.factories import PASSWORD, UserFactory

from .helpers import sign_in_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_launch_a_collaborative_and_open_enrolment(page, live_server, tenant_a):
    sign_in_as(page, live_server, tenant_a.staff)
    today = timezone.localdate()
    start, end = today + timedelta(days=60), today + timedelta(days=60 + 365)
    page.goto("/collaboratives/")
    page.get_by_role("link", name="Launch a collaborative").click()
    page.get_by_label("Title").fill("Abnormal Vital Signs Collaborative")
    page.get_by_label("Or add a focus area").fill("Abnormal vital signs")
    page.get_by_label("Summary").fill("Act on abnormal vital signs within 15 minutes.")
    page.locator("label", has_text="Community emergency department").click()
    expect(page.get_by_label("Community emergency department")).to_be_checked()
    page.get_by_label("Start date").fill(start.isoformat())
    page.get_by_label("End date").fill(end.isoformat())
    page.get_by_label("Enrolment opens").fill(today.isoformat())
    page.get_by_label("Enrolment closes").fill((today + timedelta(days=45)).isoformat())
    page.get_by_label("Number of learning sessions").fill("3")
    page.get_by_role("button", name="Save draft and plan phases").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Plan the phases")
    expect(page.locator("input[value='Learning session 3']")).to_be_visible()
    page.get_by_role("button", name="Save phases").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Abnormal Vital Signs Collaborative")
    page.locator("summary", has_text="Open enrolment").click()
    page.get_by_role("button", name="Confirm: open enrolment").click()
    expect(page.get_by_text("The collaborative is now recruiting.")).to_be_visible()
    collaborative = Collaborative.objects.get(title="Abnormal Vital Signs Collaborative")
    assert collaborative.status == "recruiting"
    page.get_by_role("link", name=f"/join/{collaborative.public_id}/").click()
    expect(page.get_by_role("link", name="Register your team")).to_be_visible()


def test_staff_copy_last_years_collaborative(page, live_server, tenant_a):
    sign_in_as(page, live_server, tenant_a.staff)
    page.goto(f"/collaboratives/{tenant_a.collaborative.public_id}/")
    page.get_by_role("link", name="Copy to a new collaborative").click()
    page.get_by_label("Title of the new collaborative").fill("Readiness Collaborative 2027")
    page.get_by_label("New start date").fill(month(4).isoformat())  # March 2027 by default
    page.get_by_role("button", name="Create the copy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Readiness Collaborative 2027")
    expect(page.get_by_text("was created as a draft")).to_be_visible()
    expect(page.get_by_text("Prework", exact=False).first).to_be_visible()


def test_team_registers_and_staff_approve(page, browser, live_server, tenant_a):
    recruiting = tenant_a.recruiting
    recruiting.enrolment_closes = timezone.localdate() + timedelta(days=20)
    recruiting.save()
    UserFactory(email="nurse.lead@example.org", full_name="Nadia Lead")

    page.goto(f"/join/{recruiting.public_id}/")
    page.get_by_role("link", name="Register your team").click()
    page.get_by_role("link", name="I have an account: sign in").click()
    page.get_by_label("Email").fill("nurse.lead@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Register your team")
    page.get_by_label("Facility name").fill("Sandhills Critical Access Hospital")
    page.get_by_label("Type of facility").select_option("critical_access")
    page.get_by_label("State").select_option("NE")
    page.get_by_label("City").fill("Valentine")
    page.get_by_label("Team name").fill("Sandhills Kids Ready")
    page.get_by_label("What does your team want to achieve?").fill("Weigh every child in kg.")
    page.get_by_role("button", name="Submit the application").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Sandhills Kids Ready")
    expect(page.get_by_text("has applied to")).to_be_visible()
    team = Team.objects.get(name="Sandhills Kids Ready")
    assert team.status == "applied"

    staff_context = browser.new_context(base_url=live_server.url)
    staff = staff_context.new_page()
    sign_in_as(staff, live_server, tenant_a.staff)
    staff.goto(f"/collaboratives/{recruiting.public_id}/enrolment/")
    staff.get_by_role("button", name="Approve Sandhills Kids Ready").click()
    expect(staff.get_by_text("Sandhills Kids Ready is approved")).to_be_visible()
    staff_context.close()
    team.refresh_from_db()
    assert team.status == "active"
