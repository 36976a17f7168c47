"""WCAG 2.1 A/AA, checked by axe-core in Chromium on every page of the project, and
reflow (WCAG 1.4.10): no page scrolls sideways on a 320px-wide screen.

The pages are not a hand-kept list: every named URL pattern (tests/isolation.py) is
filled with tenant A's objects and opened as the first persona that gets an HTML page,
plus the sign-in pages and the public collaborative page without a session. A new page
is checked the day it is added. axe-core comes from the npm registry (package.json).
"""

import re
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


#: The page walks (here and in test_keyboard_journey.py) are split into this many
#: chunks, parametrized, so that pytest-xdist spreads them over its workers instead of
#: one worker walking every page while the others wait. Together the chunks still
#: visit every page found by the walk, each one once.
WALK_CHUNKS = 4

#: (persona, route name, URL keywords) of every page, found once per test process: which
#: persona gets HTML from which route depends on the code, not on the tenant's ids, so
#: each walk fills the routes with its own tenant's objects (see _html_pages).
_page_plan: list[tuple[str, str, tuple[str, ...]]] | None = None


def _find_page_plan(tenant) -> list[tuple[str, str, tuple[str, ...]]]:
    """Open every named page route as each persona in turn (anonymous for public ones)
    and note the first persona that gets an HTML page back."""
    kwargs = object_kwargs(tenant)
    clients = {}
    for persona in PERSONAS:
        clients[persona] = Client()
        clients[persona].force_login(getattr(tenant, persona))
    plan = []
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
                plan.append((persona, route.name, route.kwargs))
                break
    return plan


def _html_pages(tenant) -> dict[str, list[str]]:
    """persona -> URLs of the pages that answer that persona with HTML (each page once,
    for the first persona in PERSONAS that may open it), filled with `tenant`'s objects."""
    global _page_plan
    if _page_plan is None:
        _page_plan = _find_page_plan(tenant)
    kwargs = object_kwargs(tenant)
    pages: dict[str, list[str]] = {p: [] for p in (*PERSONAS, "anonymous")}
    for persona, name, keywords in _page_plan:
        pages[persona].append(reverse(name, kwargs={k: kwargs[k] for k in keywords}))
    pages["anonymous"] += [reverse(name) for name in ANONYMOUS]
    return pages


def _walk_chunk(pages: dict[str, list[str]], chunk: int) -> dict[str, list[str]]:
    """Chunk `chunk` of WALK_CHUNKS: every WALK_CHUNKS-th page, dealt out in turn."""
    dealt = [(persona, url) for persona, urls in pages.items() for url in urls]
    part: dict[str, list[str]] = {p: [] for p in pages}
    for persona, url in dealt[chunk::WALK_CHUNKS]:
        part[persona].append(url)
    return {persona: urls for persona, urls in part.items() if urls}


def _all_pages(tenant) -> dict[str, list[str]]:
    """Every page of the walk, with the checks that the walk did not lose its way."""
    pages = _html_pages(tenant)
    assert reverse("accessibility") in pages["anonymous"]  # the statement, without a session
    checked = sum(len(urls) for urls in pages.values())
    assert checked >= 60, f"only {checked} pages found: the walk lost its way"
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


@pytest.mark.parametrize("chunk", range(WALK_CHUNKS))
def test_every_page_meets_wcag_21_aa_in_axe(browser, live_server, tenant_a, chunk):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make install` (npm ci installs it)")
    pages = _walk_chunk(_all_pages(tenant_a), chunk)
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


def test_the_evaluation_pages_meet_wcag_21_aa(browser, live_server, tenant_a):
    """Issue 14's evaluations: staff's form editor (with an error), the evaluation page a
    participant fills on a phone (with an error), and the results with answers."""
    from learning_sessions import evaluations as ev
    from tests.learning_sessions.evaluation_helpers import answers, attend, past_event

    questions = ev.form_add_defaults(collaborative=tenant_a.collaborative, actor=tenant_a.staff)
    event = past_event(tenant_a, title="Evaluated webinar")
    attend(event, tenant_a.member, tenant_a.lead)
    ev.response_submit(
        event=event, user=tenant_a.lead, raw=answers(questions, 5, 4, 3, texts=("<b>Plan</b>",))
    )
    collaborative = {"collaborative_id": tenant_a.collaborative.public_id}
    editor = reverse("learning_sessions:evaluation_form", kwargs=collaborative)
    evaluation = reverse("learning_sessions:event_evaluation", kwargs={"event_id": event.public_id})
    results = reverse(
        "learning_sessions:event_evaluation_results", kwargs={"event_id": event.public_id}
    )
    summary = reverse("learning_sessions:collaborative_evaluation_results", kwargs=collaborative)
    edit = reverse(
        "learning_sessions:evaluation_question_edit",
        kwargs={**collaborative, "question_id": questions[0].public_id},
    )
    problems = []
    for viewport in (None, NARROW):
        context = browser.new_context(base_url=live_server.url, viewport=viewport)
        page = context.new_page()
        sign_in_as(page, live_server, tenant_a.staff)
        for url in (editor, results, summary, edit):
            page.goto(url)
            problems += _page_problems(page, f"{url} (staff)", viewport)
        page.goto(editor)
        page.fill("#id_prompt", "")
        page.get_by_role("button", name="Add the question").click()
        page.get_by_text("This field is required.").first.wait_for()
        problems += _page_problems(page, f"{editor} with errors", viewport)
        context.close()

        context = browser.new_context(base_url=live_server.url, viewport=viewport)
        page = context.new_page()
        sign_in_as(page, live_server, tenant_a.member)
        page.goto(evaluation)
        problems += _page_problems(page, f"{evaluation} (member)", viewport)
        page.locator("label", has_text="5 – Strongly agree").first.click()
        page.get_by_role("button", name="Send my evaluation").click()
        page.get_by_text("This question needs an answer.").first.wait_for()
        problems += _page_problems(page, f"{evaluation} with errors", viewport)
        context.close()
    assert not problems, "\n".join(problems)


def _page_problems(page, label: str, viewport) -> list[str]:
    if viewport is None:
        return [f"{label}: {v['rule']} {v['where']} {v['why']}" for v in _violations(page)]
    width = page.evaluate("document.documentElement.scrollWidth")
    return [f"{label}: {width}px wide on a 320px screen"] if width > NARROW["width"] else []


def test_the_notification_pages_meet_wcag_21_aa(browser, live_server, tenant_a):
    """The notification settings with an error, the outbox with a failure, pages and a
    bad filter, and the unsubscribe pages (asking, done, a bad link) without a session."""
    from core.models import EmailStatus, NotificationPreference, OutboundEmail
    from core.notifications import unsubscribe_token

    for n in range(55):
        OutboundEmail.objects.create(
            program=tenant_a.program,
            to_email=tenant_a.member.email,
            subject=f"Learning session in 7 days ({n})",
            body_text="B",
            kind="session_reminder",
            status=EmailStatus.SENT if n % 5 else EmailStatus.SUPPRESSED,
        )
    outbox = reverse("accounts:outbox", kwargs={"program_id": tenant_a.program.public_id})
    settings_page = reverse("accounts:notifications")
    unsubscribe = reverse(
        "unsubscribe", kwargs={"token": unsubscribe_token(tenant_a.member, "session_reminder")}
    )
    problems = []
    for viewport in (None, NARROW):
        OutboundEmail.objects.create(
            program=tenant_a.program,
            to_email=tenant_a.lead.email,
            subject="Monthly data due tomorrow",
            body_text="B",
            kind="data_reminder",
            status=EmailStatus.FAILED,
            attempts=5,
            last_error="SMTPRecipientsRefused: mailbox unavailable",
        )
        context = browser.new_context(base_url=live_server.url, viewport=viewport)
        page = context.new_page()
        sign_in_as(page, live_server, tenant_a.staff)
        for url in (outbox, outbox + "?page=2", outbox + "?status=nonsense", settings_page):
            page.goto(url)
            problems += _page_problems(page, url, viewport)
        page.goto(outbox + "?status=failed")
        page.get_by_role("button", name="Send again").first.click()
        page.get_by_text("is queued to be sent again").wait_for()
        problems += _page_problems(page, "outbox after a retry", viewport)
        page.goto(settings_page)
        # USWDS draws its own radio: a person clicks the label.
        page.locator('label[for="id_pdsa_comment_2"]').click()
        assert page.locator("#id_pdsa_comment_2").is_checked()
        page.get_by_role("button", name="Save notification settings").click()
        page.get_by_text("Your notification settings were saved.").wait_for()
        problems += _page_problems(page, "settings saved", viewport)
        context.close()

        anonymous = browser.new_context(base_url=live_server.url, viewport=viewport)
        page = anonymous.new_page()
        page.goto(unsubscribe)
        problems += _page_problems(page, "unsubscribe: asking", viewport)
        page.get_by_role("button", name="Turn these e-mails off").click()
        page.get_by_role("heading", name="You are unsubscribed").wait_for()
        problems += _page_problems(page, "unsubscribe: done", viewport)
        page.goto(unsubscribe)
        problems += _page_problems(page, "unsubscribe: already off", viewport)
        page.goto(reverse("unsubscribe", kwargs={"token": "forged"}))
        problems += _page_problems(page, "unsubscribe: bad link", viewport)
        anonymous.close()
        # The next viewport starts from the same state.
        NotificationPreference.objects.all().delete()


def test_the_attendance_pages_meet_wcag_21_aa(browser, live_server, tenant_a):
    """Issue 14's attendance pages with content: the check-in page with an error on a
    phone, the code and QR display, a roster with marks, and the review of a real Zoom
    report (matched, ambiguous, refused and unmatched rows)."""
    from datetime import timedelta

    from django.utils import timezone

    from learning_sessions.attendance import imports, services
    from tests.factories import TeamMembershipFactory, UserFactory
    from tests.learning_sessions.conftest import make_event, report

    starts = timezone.now() - timedelta(minutes=5)
    event = make_event(tenant_a, starts_at=starts, ends_at=starts + timedelta(hours=1))
    services.code_for(event=event, actor=tenant_a.staff)
    dana = UserFactory(email="dana.reyes@riverside.example", full_name="Dana Reyes")
    TeamMembershipFactory(team=tenant_a.team, user=dana)
    services.roster_mark(event=event, actor=tenant_a.staff, person=dana, present=True, minutes=50)
    services.roster_mark(event=event, actor=tenant_a.staff, person=tenant_a.lead, present=False)
    staged = imports.stage_import(
        event=event,
        actor=tenant_a.staff,
        data=report("zoom_participants_utf8_bom.csv"),
        filename="zoom.csv",
    )
    kwargs = {"event_id": event.public_id}
    check_in = reverse("learning_sessions:check_in", kwargs=kwargs)
    staff_urls = [
        reverse("learning_sessions:check_in_display", kwargs=kwargs),
        reverse("learning_sessions:attendance_roster", kwargs=kwargs),
        reverse("learning_sessions:attendance_import", kwargs=kwargs),
        reverse(
            "learning_sessions:attendance_import_review",
            kwargs={**kwargs, "import_id": staged.public_id},
        ),
        reverse("learning_sessions:event_detail", kwargs=kwargs),
    ]
    problems = []
    for viewport in (None, NARROW):
        context = browser.new_context(base_url=live_server.url, viewport=viewport)
        page = context.new_page()
        sign_in_as(page, live_server, tenant_a.staff)
        for url in staff_urls:
            page.goto(url)
            problems += _page_problems(page, f"{url} (staff)", viewport)
        context.close()
        context = browser.new_context(base_url=live_server.url, viewport=viewport)
        page = context.new_page()
        sign_in_as(page, live_server, tenant_a.member)
        page.goto(check_in)
        page.fill("#id_code", "ZZZZZZ")
        page.get_by_role("button", name="Check in").click()
        page.get_by_text("That code is not right").first.wait_for()
        problems += _page_problems(page, f"{check_in} with an error (member)", viewport)
        context.close()
    assert not problems, "\n".join(problems)


def test_the_calendar_pages_meet_wcag_21_aa(browser, live_server, tenant_a):
    """Issue 14's calendar in the states the walk does not reach: a month grid with
    events, a cancelled one and today marked; the series form with its preview and with
    errors; the feed page showing a new address. Wide (axe) and at 320px (reflow)."""
    from datetime import UTC, datetime

    from tests.learning_sessions.conftest import make_event

    today = datetime.now(UTC).replace(hour=18, minute=0, second=0, microsecond=0)
    make_event(
        tenant_a, title="Session on the grid", starts_at=today, ends_at=today.replace(hour=19)
    )
    make_event(tenant_a, days=2, title="Called off", is_cancelled=True)
    collaborative_id = tenant_a.collaborative.public_id
    month = reverse("learning_sessions:event_month", kwargs={"collaborative_id": collaborative_id})
    series = reverse(
        "learning_sessions:series_create", kwargs={"collaborative_id": collaborative_id}
    )
    feed = reverse("learning_sessions:feed_manage")
    problems = []
    for viewport in (None, NARROW):
        context = browser.new_context(base_url=live_server.url, viewport=viewport)
        page = context.new_page()
        sign_in_as(page, live_server, tenant_a.staff)
        page.goto(month)
        assert page.locator("del").count() >= 1
        problems += _page_problems(page, month, viewport)
        page.goto(series)
        page.fill("#id_title", "Monthly session")
        page.check("#id_frequency_1")
        page.select_option("#id_week_of_month", "3")
        page.select_option("#id_weekday", "1")
        page.fill("#id_first_date", today.date().isoformat())
        page.fill("#id_start_time", "13:00")
        page.fill("#id_count", "3")
        page.get_by_role("button", name="Preview the dates").click()
        page.get_by_text("3 dates").wait_for()
        problems += _page_problems(page, f"{series} preview", viewport)
        page.fill("#id_count", "")
        page.get_by_role("button", name="Preview the dates").click()
        page.locator(".usa-error-message").first.wait_for()
        problems += _page_problems(page, f"{series} with errors", viewport)
        page.goto(feed)
        # the second round finds the address of the first: the button then replaces it
        page.get_by_role("button", name=re.compile(r"^(Create an|Replace the) address$")).click()
        page.get_by_text("shown only once").wait_for()
        problems += _page_problems(page, f"{feed} with the new address", viewport)
        context.close()
    assert not problems, "\n".join(problems)
