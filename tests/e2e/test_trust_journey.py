"""Journey (issue 12, items 1, 5 and 10), on a 390 px phone from start to end.

A lead finds that the running month can be saved but not yet submitted, and submits the
month that has just ended. The coach is e-mailed a link built the way `make run` builds
it, for the address the server listens on; following it opens the review, whose chart
keeps its text at 12 px or more. Staff see the pooled chart leave the running month out,
and say why.
"""

import importlib.util
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from core.models import OutboundEmail
from measures.models import Measure, ReportingPeriod, Submission, SubmissionStatus
from tests.clock import label, month

from .helpers import sign_in_as
from .test_charts_phone import MEASURE_TEXTS, PHONE, _team_with_a_year_of_data

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RUN_DEMO = Path(__file__).resolve().parents[2] / "scripts" / "run_demo.py"


def _site_url_as_make_run_derives_it(live_server_url: str) -> str:
    """SITE_URL as `make run` (scripts/run_demo.py) derives it from HOST and PORT."""
    spec = importlib.util.spec_from_file_location("run_demo", RUN_DEMO)
    run_demo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run_demo)
    where = urlparse(live_server_url)
    environment = run_demo.demo_environment({"HOST": where.hostname, "PORT": str(where.port)})
    return environment["SITE_URL"]


def _small_chart_text(page) -> list:
    texts = page.evaluate(MEASURE_TEXTS)
    assert texts, f"no chart on {page.url}"
    return sorted({(round(t["size"], 1), t["text"]) for t in texts if t["size"] < 12})


def test_on_a_phone_only_ended_months_are_handed_in_and_pooled_and_the_email_link_works(
    browser, live_server, tenant_a, settings
):
    t = tenant_a
    settings.SITE_URL = _site_url_as_make_run_derives_it(live_server.url)
    _team_with_a_year_of_data(t)  # both teams: the eight months before the running one
    running = ReportingPeriod.objects.get(collaborative=t.collaborative, start=month(0))
    ended = ReportingPeriod.objects.get(collaborative=t.collaborative, start=month(-1))
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15000)

    # 1. The running month: values are kept as a draft, submitting waits for its end.
    sign_in_as(page, live_server, t.lead)
    page.goto(f"/teams/{t.team.public_id}/measures/periods/{running.public_id}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(label(month(0)))
    expect(page.get_by_test_id("submit-rule")).to_contain_text(
        f"{label(month(0))} can be submitted from 1 {label(month(1))}, once it has ended."
    )
    expect(page.get_by_role("button", name="Save and submit")).to_be_disabled()
    page.get_by_label("Weight in kg: numerator").fill("2")
    page.get_by_label("Weight in kg: denominator").fill("3")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_label("Weight in kg: numerator")).to_have_value("2")
    assert not Submission.objects.filter(
        team=t.team, period=running, status=SubmissionStatus.SUBMITTED
    ).exists()

    # The month that has ended is handed in, and the coach is e-mailed.
    page.goto(f"/teams/{t.team.public_id}/measures/periods/{ended.public_id}/")
    page.get_by_label("Weight in kg: numerator").fill("19")
    page.get_by_label("Weight in kg: denominator").fill("25")
    page.get_by_label("Huddles: value").fill("4")
    page.get_by_role("button", name="Save and submit").click()
    expect(page.get_by_text(f"{label(month(-1))} is submitted.")).to_be_visible()
    assert Submission.objects.get(team=t.team, period=ended).status == SubmissionStatus.SUBMITTED

    # 5. The e-mail's link points where this server listens, and opens the review.
    email = OutboundEmail.objects.filter(to_email=t.coach.email).latest("pk")
    link = re.search(r"https?://\S+", email.body_text).group(0)
    assert link.startswith(settings.SITE_URL + "/"), link
    assert urlparse(link).port == urlparse(live_server.url).port
    context.clear_cookies()
    sign_in_as(page, live_server, t.coach)
    page.goto(link)
    expect(page.get_by_role("heading", name=f"Review {label(month(-1))}")).to_be_visible()
    expect(page.get_by_text("76% (19 / 25)")).to_be_visible()

    # 10. On the phone, the review's chart keeps its text at 12 px or more.
    assert not _small_chart_text(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # 1. Staff: the pooled chart leaves the running month out and says so.
    m1 = Measure.objects.get(program=t.program, code="M1")
    context.clear_cookies()
    sign_in_as(page, live_server, t.staff)
    page.goto(f"/collaboratives/{t.collaborative.public_id}/measures/{m1.public_id}/")
    note = page.get_by_test_id("how-counted-pooled")
    expect(note).to_contain_text("How this is counted")
    expect(note).to_contain_text(f"{label(month(0))}: not ended")
    assert not _small_chart_text(page)
    context.close()
