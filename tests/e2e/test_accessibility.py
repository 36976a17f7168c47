"""WCAG 2.1 A/AA, checked by axe-core in Chromium on every page of the project, and
reflow (WCAG 1.4.10): no page scrolls sideways on a 320px-wide screen.

The pages are not a hand-kept list: every named URL pattern (tests/isolation.py) is
filled with tenant A's objects and opened as the first persona that gets an HTML page,
plus the sign-in pages and the public collaborative page without a session. A new page
is checked the day it is added. axe-core comes from the npm registry (package.json).
"""

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests.isolation import iter_routes
from tests.test_isolation import object_kwargs

from .helpers import sign_in_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PERSONAS = ("staff", "lead", "coach", "member")
NARROW = {"width": 320, "height": 800}
#: Pages without a session: signing in and up, and what the public may read.
ANONYMOUS = ("account_login", "account_signup", "account_reset_password")


def _html_pages(tenant) -> dict[str, list[str]]:
    """persona -> URLs of the pages that answer that persona with HTML (each page once,
    for the first persona in PERSONAS that may open it)."""
    kwargs = object_kwargs(tenant)
    clients = {}
    for persona in PERSONAS:
        clients[persona] = Client()
        clients[persona].force_login(getattr(tenant, persona))
    pages: dict[str, list[str]] = {p: [] for p in (*PERSONAS, "anonymous")}
    for route in iter_routes():
        if route.is_third_party or not route.name or route.namespace.startswith("api"):
            continue
        try:
            url = reverse(route.name, kwargs={k: kwargs[k] for k in route.kwargs})
        except (KeyError, NoReverseMatch):
            continue
        who = ("anonymous",) if route.is_public else PERSONAS
        for persona in who:
            client = Client() if persona == "anonymous" else clients[persona]
            response = client.get(url)
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                pages[persona].append(url)
                break
    pages["anonymous"] += [reverse(name) for name in ANONYMOUS]
    return pages


#: Where the page loads axe-core from: a same-origin address the browser context answers
#: with the file, so the Content-Security-Policy (script-src 'self') lets it run while the
#: page is checked exactly as served. An inline copy (add_script_tag(path=...)) is blocked.
AXE_URL = "/__axe-core__.js"


def _violations(page) -> list[dict]:
    if not getattr(page, "_axe_routed", False):
        page.route(
            f"**{AXE_URL}",
            lambda route: route.fulfill(path=str(AXE), content_type="application/javascript"),
        )
        page._axe_routed = True
    page.add_script_tag(url=AXE_URL)
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return result.violations.map((v) => ({
                rule: v.id,
                impact: v.impact,
                where: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
                why: (v.nodes[0].failureSummary || "").split("\\n").slice(0, 3).join(" "),
            }));
        }""",
        WCAG_TAGS,
    )


def test_every_page_meets_wcag_21_aa_in_axe(browser, live_server, tenant_a):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make install` (npm ci installs it)")
    pages = _html_pages(tenant_a)
    assert reverse("accessibility") in pages["anonymous"]  # the statement, without a session
    checked = sum(len(urls) for urls in pages.values())
    assert checked >= 60, f"only {checked} pages found: the walk lost its way"
    problems = []
    for persona, urls in pages.items():
        wide = browser.new_context(base_url=live_server.url)
        narrow = browser.new_context(base_url=live_server.url, viewport=NARROW)
        page, phone = wide.new_page(), narrow.new_page()
        if persona != "anonymous":
            sign_in_as(page, live_server, getattr(tenant_a, persona))
            sign_in_as(phone, live_server, getattr(tenant_a, persona))
        for url in urls:
            page.goto(url)
            for v in _violations(page):
                problems.append(f"{url} ({persona}): {v['rule']} [{v['impact']}] {v['where']}")
                problems.append(f"    {v['why']}")
            phone.goto(url)
            width = phone.evaluate("document.documentElement.scrollWidth")
            if width > NARROW["width"]:
                problems.append(f"{url} ({persona}): {width}px wide on a 320px screen (reflow)")
        wide.close()
        narrow.close()
    assert not problems, "\n".join(problems)


def test_the_accessibility_statement_meets_wcag_21_aa_in_axe(browser, live_server, settings):
    """The statement (issue 13) on its own, with a contact address shown: quick to run
    when only the statement changes (the walk above checks it too)."""
    settings.ACCESSIBILITY_CONTACT_EMAIL = "access@qi.example.org"
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.goto(reverse("accessibility"))
    assert page.get_by_role("link", name="access@qi.example.org").count() == 1
    problems = [f"{v['rule']} [{v['impact']}] {v['where']}: {v['why']}" for v in _violations(page)]
    context.close()
    assert not problems, "\n".join(problems)


def test_the_audit_log_with_rows_pages_and_errors_meets_wcag_21_aa(browser, live_server, tenant_a):
    """The walk above opens the audit log of a program with no events yet: here it has
    a full page of rows, details, a next page and, on a bad filter, the error summary."""
    from core.models import AuditEvent

    AuditEvent.objects.bulk_create(
        AuditEvent(
            program=tenant_a.program,
            actor=tenant_a.staff if n % 3 else None,
            verb="collaborative.status_changed" if n % 2 else "pdsa_cycle.updated",
            target_type="collaboratives.collaborative",
            target_id=str(n),
            target_repr=f"Alpha Active Collaborative {n}",
            data={"from": "recruiting", "to": "active", "fields": ["title", "end_date"]},
        )
        for n in range(60)
    )
    url = reverse("accounts:audit_log", kwargs={"program_id": tenant_a.program.public_id})
    problems = []
    for viewport in (None, NARROW):
        context = browser.new_context(base_url=live_server.url, viewport=viewport)
        page = context.new_page()
        sign_in_as(page, live_server, tenant_a.staff)
        for query in ("", "?from=2026-11-12&to=2026-11-01&actor=nobody"):
            page.goto(url + query)
            assert page.locator("tbody tr").count() == (50 if not query else 0)
            if viewport is None:
                for v in _violations(page):
                    problems.append(f"{query}: {v['rule']} {v['where']} {v['why']}")
            else:
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > NARROW["width"]:
                    problems.append(f"{query}: {width}px wide on a 320px screen")
        assert page.get_by_role("link", name="Older events").count() == 0  # the error page
        context.close()
    assert not problems, "\n".join(problems)


def test_the_event_pages_meet_wcag_21_aa(browser, live_server, tenant_a):
    """Issue 14's pages in the states the walk above does not reach: the staff form with
    its errors, an event with registrations and a waiting list, as staff and as a member."""
    from learning_sessions import services
    from tests.learning_sessions.conftest import make_event

    event = make_event(tenant_a, capacity=1, title="Full webinar")
    services.register(event=event, user=tenant_a.lead)
    services.register(event=event, user=tenant_a.member)
    make_event(tenant_a, days=-5, title="Past session", recording_url="https://video.example/1")
    # Details: a track, credit of two types, a link and a file among the materials.
    event.tracks.set([tenant_a.focus_area])
    services.event_update(
        event=event, actor=tenant_a.staff, credits={"ama_pra_1": Decimal(1), "nursing": Decimal(1)}
    )
    services.material_add_link(
        event=event, actor=tenant_a.staff, title="Toolkit", url="https://example.org/toolkit"
    )
    detail = reverse("learning_sessions:event_detail", kwargs={"event_id": event.public_id})
    listing = reverse(
        "learning_sessions:event_list",
        kwargs={"collaborative_id": tenant_a.collaborative.public_id},
    )
    new = reverse(
        "learning_sessions:event_create",
        kwargs={"collaborative_id": tenant_a.collaborative.public_id},
    )
    problems = []
    for persona in ("staff", "member"):
        for viewport in (None, NARROW):
            context = browser.new_context(base_url=live_server.url, viewport=viewport)
            page = context.new_page()
            sign_in_as(page, live_server, getattr(tenant_a, persona))
            urls = [listing, detail]
            for url in urls:
                page.goto(url)
                problems += _page_problems(page, f"{url} ({persona})", viewport)
            if persona == "member":
                page.goto(detail)
                assert page.get_by_text("position 1").count() == 1
            else:
                page.goto(new)
                page.fill("#id_title", "Bad event")
                page.fill("#id_starts_at", "2026-12-15T13:00")
                page.fill("#id_ends_at", "2026-12-15T12:00")
                page.fill("#id_join_url", "javascript:alert(1)")
                page.get_by_role("button", name="Add to the calendar").click()
                page.get_by_text("The event must end after it starts.").first.wait_for()
                problems += _page_problems(page, f"{new} with errors", viewport)
                page.goto(detail)
                page.get_by_role("button", name="Add the material").click()
                page.get_by_text("Choose a file to upload or give a link.").first.wait_for()
                problems += _page_problems(page, f"{detail} material errors", viewport)
            context.close()
    assert not problems, "\n".join(problems)


def _page_problems(page, label: str, viewport) -> list[str]:
    if viewport is None:
        return [f"{label}: {v['rule']} {v['where']} {v['why']}" for v in _violations(page)]
    width = page.evaluate("document.documentElement.scrollWidth")
    return [f"{label}: {width}px wide on a 320px screen"] if width > NARROW["width"] else []
