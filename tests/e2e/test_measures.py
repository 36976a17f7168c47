"""Journey: a team lead enters a month of data and submits it; the coach reviews it."""

import pytest
from playwright.sync_api import expect

from core.clock import add_months
from core.models import OutboundEmail
from measures import services
from measures.models import DataPoint, ReportingPeriod, Submission, SubmissionStatus
from tests.clock import label

from .helpers import sign_in_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_lead_enters_a_month_and_submits_it_then_the_coach_reviews(page, live_server, tenant_a):
    t = tenant_a
    services.periods_generate(collaborative=t.collaborative, actor=t.staff, baseline_months=0)
    # The collaborative's first month (March 2026 on the suite's default day); the second
    # is the sample's, submitted already, so entry moves on to the third.
    march = ReportingPeriod.objects.get(
        collaborative=t.collaborative, start=t.collaborative.start_date
    )
    march_label = label(march.start)
    may_label = label(add_months(march.start, 2))

    sign_in_as(page, live_server, t.lead)
    page.goto(f"/teams/{t.team.public_id}/measures/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Our measures")
    page.get_by_role("link", name=f"Enter data for {march_label}").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(march_label)

    # A typo first: the numerator is above the denominator.
    page.get_by_label("Weight in kg: numerator").fill("14")
    page.get_by_label("Weight in kg: denominator").fill("12")
    page.get_by_role("button", name="Save and submit").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "The numerator (14) cannot be larger than the denominator (12)"
    )
    expect(page.get_by_label("Weight in kg: numerator")).to_have_value("14")

    page.get_by_label("Weight in kg: numerator").fill("9")
    page.get_by_label("Weight in kg: note").fill("Scale locked to kg on nights")
    page.get_by_label("Huddles: value").fill("4")
    page.get_by_label("What we tested this month").fill("A kilogram-only scale at triage")
    page.get_by_role("button", name="Save and submit").click()

    expect(
        page.get_by_text(
            f"{march_label} is submitted. Your coach, {t.coach.full_name}, was e-mailed"
        )
    ).to_be_visible()
    # April was already submitted (sample data): entry moves on to May.
    expect(page.get_by_role("link", name=f"Enter data for {may_label}").first).to_be_visible()
    point = DataPoint.objects.get(team=t.team, period=march, measure__code="M1")
    assert (point.numerator, point.denominator) == (9, 12)
    assert Submission.objects.get(team=t.team, period=march).status == SubmissionStatus.SUBMITTED
    assert OutboundEmail.objects.filter(to_email=t.coach.email).exists()

    # The coach opens the month from the e-mail's link and marks it reviewed.
    page.context.clear_cookies()
    sign_in_as(page, live_server, t.coach)
    page.goto(f"/teams/{t.team.public_id}/measures/periods/{march.public_id}/")
    expect(page.get_by_role("heading", name=f"Review {march_label}")).to_be_visible()
    # the coach's page: the value in percent beside its numbers, and the chart
    expect(page.get_by_text("75% (9 / 12)")).to_be_visible()
    expect(page.get_by_text("This period is highlighted on the chart").first).to_be_visible()
    page.get_by_role("button", name="Mark reviewed").click()
    expect(page.get_by_text(f"{march_label} of Alpha Team marked as reviewed.")).to_be_visible()
    assert Submission.objects.get(team=t.team, period=march).status == SubmissionStatus.REVIEWED


def test_a_lead_imports_a_file_after_fixing_it_and_the_import_cannot_be_sent_twice(
    page, live_server, tenant_a
):
    t = tenant_a
    services.periods_generate(collaborative=t.collaborative, actor=t.staff, baseline_months=0)
    march = t.collaborative.start_date  # the first month: March 2026 on the default day
    sign_in_as(page, live_server, t.lead)
    page.goto(f"/teams/{t.team.public_id}/measures/import/")

    bad = f"Measure,Period,Numerator,Denominator\nM1,{march:%Y-%m},14,12\n".encode()
    page.locator("input[type=file]").set_input_files(
        {"name": "march.csv", "mimeType": "text/csv", "buffer": bad}
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("cannot be larger than the denominator")).to_be_visible()
    assert not DataPoint.objects.filter(team=t.team, period__start=march).exists()

    page.goto(f"/teams/{t.team.public_id}/measures/import/")
    good = f"Measure,Period,Numerator,Denominator\nM1,{march:%Y-%m},9,12\n".encode()
    page.locator("input[type=file]").set_input_files(
        {"name": "march.csv", "mimeType": "text/csv", "buffer": good}
    )
    page.get_by_role("button", name="Check the file").click()
    commit = page.get_by_role("button", name="Import 1 row")
    expect(commit).to_be_visible()
    # The button shows before the deferred app.js has run; its submit handler is what
    # this part checks, so wait for the page to finish loading.
    page.wait_for_load_state("load")

    # While the import runs the page says so and nothing can be sent twice (the sending
    # is cancelled here, after the page's own handler, to look at that moment).
    page.evaluate("window.addEventListener('submit', (e) => e.preventDefault())")
    commit.click()
    expect(page.get_by_role("status")).to_contain_text("Importing the rows")
    expect(commit).to_be_disabled()
    expect(page.get_by_role("button", name="Discard")).to_be_disabled()
    assert page.locator("form[data-busy] input[type=hidden][name=commit]").count() == 1
    assert not DataPoint.objects.filter(team=t.team, period__start=march).exists()

    page.reload()
    page.get_by_role("button", name="Import 1 row").click()
    expect(page.get_by_text("1 new, 0 changed, 0 unchanged")).to_be_visible()
    point = DataPoint.objects.get(team=t.team, period__start=march, measure__code="M1")
    assert (point.numerator, point.denominator) == (9, 12)
