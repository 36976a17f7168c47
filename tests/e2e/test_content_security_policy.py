"""Journey: the pages that run JavaScript work under the Content-Security-Policy.

Chromium enforces the policy the server sends (config/settings.py). Every page below is
opened with a listener for `securitypolicyviolation` installed before any of the
page's scripts, and the console is watched for CSP errors; none may appear, and the
page's scripts must still do their work: the PDSA form saves a draft in the
background, measure entry and charts render, Swagger UI lists the API's operations.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from allauth.mfa.models import Authenticator
from django.utils import timezone
from playwright.sync_api import expect

from measures import services
from measures.models import DataPoint, Measure, ReportingPeriod
from pdsa.models import Cycle, Scale, Stage
from tests.clock import month
from tests.factories import PASSWORD, give_totp

from .helpers import sign_in_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

#: Runs in every document before its own scripts: keeps each violation the browser
#: reports, with what was blocked by which directive.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    event.effectiveDirective + " blocked " + event.blockedURI +
    " at " + event.sourceFile + ":" + event.lineNumber
  );
});
"""


class PolicyWatch:
    """The violations and console CSP errors of one browser context."""

    def __init__(self, context) -> None:
        self.console: list[str] = []
        self.reports: list[str] = []
        context.add_init_script(LISTEN)
        context.on("console", self._on_console)
        context.on("request", self._on_request)

    def _on_console(self, message) -> None:
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.console.append(text)

    def _on_request(self, request) -> None:
        if request.url.endswith("/csp-report/"):
            self.reports.append(request.post_data or "")

    def check(self, page, where: str) -> list[str]:
        events = page.evaluate("window.__cspViolations || []")
        problems = [f"{where}: {e}" for e in events]
        problems += [f"{where}: console: {c}" for c in self.console]
        problems += [f"{where}: report sent: {r[:200]}" for r in self.reports]
        self.console.clear()
        self.reports.clear()
        return problems


@pytest.fixture
def watched(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1024, "height": 900})
    watch = PolicyWatch(context)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page, watch
    context.close()


def _measure_with_data(t) -> Measure:
    services.periods_generate(collaborative=t.collaborative, actor=t.staff, baseline_months=0)
    m1 = Measure.objects.get(program=t.program, code="M1")
    periods = {p.start: p for p in ReportingPeriod.objects.filter(collaborative=t.collaborative)}
    for offset in range(-8, 0):
        DataPoint.objects.update_or_create(
            program=t.program,
            collaborative=t.collaborative,
            team=t.team,
            measure=m1,
            period=periods[month(offset)],
            defaults={"numerator": Decimal(5 + offset % 4), "denominator": Decimal(10)},
        )
    return m1


def _cycle_at_do(t) -> Cycle:
    today = timezone.localdate()
    sample = Cycle.objects.filter(team=t.team).first()
    return Cycle.objects.create(
        program=t.program,
        team=t.team,
        change_idea=sample.change_idea,
        stage=Stage.DO,
        title="Weigh in kg on the night shift",
        scale=Scale.ONE_SHIFT,
        objective="See whether night nurses weigh every child in kg",
        predictions="At least 8 of 10",
        plan_details="Night triage nurse",
        plan_date=today,
        created_by=t.lead,
        updated_by=t.lead,
    )


def test_the_harness_sees_a_violation(watched, live_server, tenant_a):
    """The listener works: an inline script injected into a page is blocked and seen."""
    page, watch = watched
    page.goto("/accessibility/")
    page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.__ran = true"; document.body.appendChild(s); }"""
    )
    page.wait_for_function("window.__cspViolations.length > 0")
    assert page.evaluate("window.__ran === undefined")
    assert any("script-src" in p for p in watch.check(page, "injected"))


def test_pages_with_javascript_run_without_a_violation(watched, live_server, tenant_a):
    page, watch = watched
    t = tenant_a
    m1 = _measure_with_data(t)
    cycle = _cycle_at_do(t)
    team = f"/teams/{t.team.public_id}"
    problems: list[str] = []

    # Public pages and the sign-in form (USWDS's scripts, the site icon).
    for url in ("/", "/accessibility/", "/accounts/login/"):
        page.goto(url)
        page.wait_for_load_state("load")
        problems += watch.check(page, url)

    sign_in_as(page, live_server, t.lead)

    # The team home, with the USWDS menu opened and closed on a narrow screen.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{team}/")
    page.get_by_role("button", name="Menu").click()
    expect(page.locator(".usa-nav.is-visible")).to_be_visible()
    page.keyboard.press("Escape")
    problems += watch.check(page, "team home")
    page.set_viewport_size({"width": 1024, "height": 900})

    # The PDSA form saves a draft in the background (static/js/pdsa.js).
    page.goto(f"{team}/pdsa/cycles/{cycle.public_id}/edit/")
    page.locator("form[data-autosave-key]").wait_for(state="attached")
    page.wait_for_load_state("load")
    page.get_by_label("What happened").fill("Two parents asked for pounds")
    expect(page.locator(".pdsa-autosave-status")).to_contain_text("Draft saved at", timeout=20000)
    cycle.refresh_from_db()
    assert cycle.what_happened == "Two parents asked for pounds"
    problems += watch.check(page, "PDSA form")

    # Measure entry and the charts (server-drawn SVG).
    page.goto(f"{team}/measures/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Our measures")
    page.get_by_role("link", name="Enter data for").first.click()
    page.wait_for_load_state("load")
    problems += watch.check(page, "measures and entry")
    page.goto(f"{team}/measures/{m1.public_id}/")
    expect(page.locator("svg.chart-svg").first).to_be_attached()
    problems += watch.check(page, "chart page")

    # DRF's browsable API (its own templates and scripts: jQuery, Bootstrap).
    page.goto("/api/v1/teams/")
    expect(page.locator(".response-info")).to_be_visible()
    problems += watch.check(page, "browsable API")

    # Swagger UI: its start script comes from ?script=, and it lists the operations.
    page.goto("/api/docs/")
    expect(page.locator(".opblock").first).to_be_visible(timeout=30000)
    assert page.locator(".opblock").count() > 10
    page.locator(".opblock-summary").first.click()
    expect(page.get_by_role("button", name="Try it out").first).to_be_visible()
    problems += watch.check(page, "Swagger UI")

    assert not problems, "\n".join(problems)


def test_account_security_pages_run_without_a_violation(watched, live_server, tenant_a):
    """The TOTP set-up page (QR code as a data: image), the recovery codes (allauth's
    own scripts) and the expired-form page's "Go back" button (app.js, in place of a
    javascript: link)."""
    page, watch = watched
    member = tenant_a.member
    Authenticator.objects.filter(user=member).delete()
    problems: list[str] = []

    # The expired-form page: a sign-in posted without its CSRF cookie.
    page.goto("/accounts/login/")
    page.context.clear_cookies()
    page.get_by_label("Email").fill(member.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("This form has expired")
    back = page.get_by_role("button", name="Go back")
    expect(back).to_be_visible()
    back.click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    problems += watch.check(page, "expired form")

    sign_in_as(page, live_server, member)
    page.goto("/accounts/2fa/totp/activate/")
    page.locator("main input[type=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    qr = page.locator("img[src^='data:image/svg+xml']")
    expect(qr).to_be_visible()
    assert page.evaluate("(img) => img.naturalWidth > 0", qr.element_handle())
    problems += watch.check(page, "TOTP set-up")

    give_totp(member)
    page.goto("/accounts/2fa/recovery-codes/generate/")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state("load")
    page.goto("/accounts/2fa/recovery-codes/")
    page.wait_for_load_state("load")
    problems += watch.check(page, "recovery codes")

    assert not problems, "\n".join(problems)
