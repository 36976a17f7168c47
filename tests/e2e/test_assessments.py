"""Journeys: a team fills in its gap analysis (autosaved), the lead submits it and opens
the gap report; the builder shows a question's points as they are typed."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import Answer, ResponseStatus, SurveyResponse, SurveyTemplate, SurveyWave

from .helpers import sign_in_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def choose(page, input_id: str) -> None:
    """Tick a USWDS radio or checkbox the way a person does: by its label (the input
    itself is drawn off-screen)."""
    page.locator(f"label[for='{input_id}']").click()


def open_follow_up(tenant) -> SurveyWave:
    today = timezone.localdate()
    return SurveyWave.objects.create(
        program=tenant.program,
        collaborative=tenant.collaborative,
        template=SurveyTemplate.objects.get(public_id=tenant.extras["template_id"]),
        kind="follow_up",
        opens_on=today - timedelta(days=1),
        due_on=today + timedelta(days=20),
    )


def test_team_fills_in_and_submits_the_survey_then_opens_the_gap_report(
    page, browser, live_server, tenant_a
):
    wave = open_follow_up(tenant_a)

    # A member starts: every change saves itself in the background.
    sign_in_as(page, live_server, tenant_a.member)
    page.goto(f"/teams/{tenant_a.team.public_id}/")
    page.get_by_role("link", name="Complete the follow-up gap analysis").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Follow-up gap analysis")
    conditional = page.locator("#question-A2")
    expect(conditional).to_be_hidden()
    choose(page, "q-A1-yes")
    expect(conditional).to_be_visible()  # shown as soon as A1 is yes
    expect(page.locator("[data-save-status]")).to_contain_text("Saved at")
    choose(page, "q-B1-io")
    page.locator("#q-B2-input").fill("80")
    page.locator("#q-B2-input").blur()
    expect(page.locator("[data-progress-total]")).to_have_text("3 of 5 answered")
    response = SurveyResponse.objects.get(team=tenant_a.team, wave=wave)
    answer = Answer.objects.get(response=response, question_key="A1")
    assert (answer.value, answer.updated_by) == ("yes", tenant_a.member)

    # The lead finishes it in another sitting and submits.
    lead = browser.new_context(base_url=live_server.url, viewport={"width": 820, "height": 1180})
    lead_page = lead.new_page()
    sign_in_as(lead_page, live_server, tenant_a.lead)
    lead_page.goto(f"/teams/{tenant_a.team.public_id}/surveys/")
    lead_page.get_by_role("link", name="Continue the survey").click()
    expect(lead_page.locator("#question-B2")).to_contain_text(
        f"Last changed by {tenant_a.member.display_name}"
    )
    choose(lead_page, "q-A2-partial")
    lead_page.locator("summary", has_text="Submit the survey").click()
    lead_page.get_by_role("button", name="Confirm: submit").click()

    expect(lead_page.get_by_role("heading", level=1)).to_have_text("Gap report: follow-up survey")
    expect(lead_page.get_by_text("Submitted. Your team's score is 80")).to_be_visible()
    expect(lead_page.get_by_test_id("score")).to_have_text("80.0")
    expect(lead_page.locator("svg[role=img]").first).to_be_visible()
    gaps = lead_page.locator("table.report-gaps")
    expect(gaps).to_contain_text("The role is written down")
    pdf = lead_page.request.get(
        lead_page.get_by_role("link", name="Download the report (PDF)").get_attribute("href")
    )
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    lead.close()
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED and response.submitted_by == tenant_a.lead


def test_survey_form_works_without_javascript(browser, live_server, tenant_a):
    open_follow_up(tenant_a)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    sign_in_as(page, live_server, tenant_a.member)
    page.goto(f"/teams/{tenant_a.team.public_id}/surveys/")
    page.get_by_role("link", name="Open the survey").click()
    page.locator("#q-B2-input").fill("150")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Nothing was saved")).to_be_visible()
    expect(page.locator("#question-B2")).to_contain_text("Enter a number from 0 to 100.")
    page.locator("#q-B2-input").fill("75")
    choose(page, "q-A1-yes")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved at")).to_be_visible()
    expect(page.locator("#question-A2")).to_be_visible()  # its condition is now met
    context.close()


def test_builder_shows_points_live(page, live_server, tenant_a):
    template = SurveyTemplate.objects.get(public_id=tenant_a.extras["template_id"])
    sign_in_as(page, live_server, tenant_a.staff)
    page.goto(f"/surveys/{template.public_id}/")
    page.get_by_role("button", name="Edit as a new version").click()
    expect(page.get_by_text("You are editing version 2")).to_be_visible()
    page.get_by_role("link", name="Add a question to B").click()
    page.locator("#id_text").fill("Pediatric carts checked")
    page.get_by_label("Type of answer").select_option("multi")
    page.get_by_label("Options").fill("Monthly = 1\nAfter every use = 2")
    expect(page.locator("[data-question-points]")).to_have_text("3")
    expect(page.locator("[data-template-total]")).to_have_text("13")
