"""Keyboard only (issue 13): a team lead logs a PDSA cycle and hands in a month of data
without a mouse, and can see where the focus is at every step.

axe-core (test_accessibility.py) reads the markup; it cannot tell whether a person with
a keyboard gets through. Here every move is a key press: Tab and Shift+Tab to move,
Enter to follow and send, arrow keys in lists, typing into the field that has the
focus. Nothing is clicked and no field is filled from outside. At every Tab stop the
focused element must be seen (WCAG 2.4.7 and 2.4.11): it is not the page itself, it is
on screen and not covered by anything, and it wears a focus indicator (an outline or a
box shadow) that it does not wear when it is not focused.

Locators are used only to *name* the control to reach and to read values back; the
focus is only ever moved by the keyboard.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from measures import services as measure_services
from measures.models import DataPoint, ReportingPeriod, Submission, SubmissionStatus
from pdsa.models import Cycle, Stage
from tests.clock import label

from .helpers import sign_in_as
from .test_accessibility import WALK_CHUNKS, _all_pages, _walk_chunk

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

#: Recorded once each page has loaded, before anything has the focus: how every
#: focusable element looks when it is not focused, to compare the focused look with.
UNFOCUSED_LOOK = """
window.__shownPart = (element) => {
  // USWDS hides radio buttons and check boxes off screen and draws them as the ::before
  // box of their label, which is where its focus ring goes.
  if (element.matches(".usa-radio__input, .usa-checkbox__input") && element.id) {
    const label = document.querySelector(`label[for="${CSS.escape(element.id)}"]`);
    if (label) { return [label, "::before"]; }
  }
  return [element, null];
};
window.__lookOf = (element) => {
  const [part, pseudo] = window.__shownPart(element);
  const style = getComputedStyle(part, pseudo);
  return [style.outlineStyle, style.outlineWidth, style.outlineColor, style.boxShadow];
};
window.addEventListener("load", () => {
  const look = new WeakMap();
  const focusable = "a[href], button, input, select, textarea, summary, [tabindex]";
  document.querySelectorAll(focusable).forEach((element) => {
    if (element === document.activeElement) { return; }
    look.set(element, window.__lookOf(element).join(" / "));
  });
  window.__unfocusedLook = look;
});
"""

#: Where the focus is and whether a sighted keyboard user can see it.
FOCUS_STATE = """() => {
  const element = document.activeElement;
  if (!element || element === document.body || element === document.documentElement) {
    return {onPage: false};
  }
  const [part, pseudo] = window.__shownPart(element);
  // A link that wraps has a box per line: the middle of its bounding box can lie on the
  // text around it. A check box drawn by the label's ::before has the pseudo's size.
  let boxes = Array.from(part.getClientRects());
  if (pseudo) {
    const drawn = getComputedStyle(part, pseudo);
    const at = part.getBoundingClientRect();
    boxes = [new DOMRect(at.left, at.top, parseFloat(drawn.width) || 16,
                         parseFloat(drawn.height) || 16)];
  }
  const onScreen = (b) => b.width > 0 && b.height > 0 && b.bottom > 0 && b.right > 0
    && b.top < window.innerHeight && b.left < window.innerWidth;
  const hit = (b) => {
    const x = Math.min(Math.max(b.left + b.width / 2, 0), window.innerWidth - 1);
    const y = Math.min(Math.max(b.top + b.height / 2, 0), window.innerHeight - 1);
    return document.elementFromPoint(x, y);
  };
  const shown = boxes.filter(onScreen);
  const inViewport = shown.length > 0;
  const tops = shown.map(hit);
  const covered = inViewport && !tops.some((top) => top && (top === part || part.contains(top)));
  const onTop = tops.find((top) => top) || null;
  const [outlineStyle, outlineWidth, outlineColor, boxShadow] = window.__lookOf(element);
  const outline = outlineStyle !== "none" && parseFloat(outlineWidth) >= 1;
  const shadow = boxShadow !== "none";
  const before = window.__unfocusedLook && window.__unfocusedLook.get(element);
  return {
    onPage: true,
    what: element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
      + " " + JSON.stringify((element.getAttribute("aria-label") || element.innerText
        || element.value || element.name || "").trim().slice(0, 60)),
    inViewport: inViewport,
    coveredBy: covered && onTop ? onTop.tagName.toLowerCase() + "." + onTop.className : "",
    indicator: outline || shadow,
    look: [outlineStyle, outlineWidth, outlineColor, boxShadow].join(" / "),
    unfocusedLook: before || null,
  };
}"""


def _settled_focus_state(page: Page, state: dict | None = None) -> dict:
    """The focus state once transitions have run (the skip link slides in, 0.15 s);
    `state` is one just read, to spare a round trip to the browser."""
    if state is None:
        state = page.evaluate(FOCUS_STATE)
    for _ in range(20):
        if not state["onPage"] or (state["inViewport"] and not state["coveredBy"]):
            break
        page.wait_for_timeout(50)
        state = page.evaluate(FOCUS_STATE)
    return state


def assert_focus_visible(page: Page, state: dict | None = None) -> dict:
    """The focused element is on the page, on screen, uncovered, and visibly focused
    (`state`: FOCUS_STATE as just read, if the caller has it)."""
    state = _settled_focus_state(page, state)
    assert state["onPage"], "the focus left the page's content (it is on <body>)"
    where = f"{state['what']} on {page.url}"
    assert state["inViewport"], f"focused {where} is not scrolled into view"
    assert not state["coveredBy"], f"focused {where} is covered by {state['coveredBy']}"
    assert state["indicator"], f"focused {where} has no outline or box shadow: {state['look']}"
    if state["unfocusedLook"] is not None:
        assert state["look"] != state["unfocusedLook"], (
            f"focused {where} looks the same as when it is not focused: {state['look']}"
        )
    return state


def _is_focused(target: Locator) -> bool:
    return target.evaluate("(element) => element === document.activeElement")


def tab_to(page: Page, target: Locator | str, *, max_tabs: int = 40, back: bool = False) -> list:
    """Press Tab (Shift+Tab with `back`) until `target` has the focus, checking at every
    stop that the focus can be seen. `target` is a locator or a link's accessible name.
    Returns what had the focus at each stop, for messages."""
    if isinstance(target, str):
        target = page.get_by_role("link", name=target, exact=True)
    target = target.first
    expect(target).to_be_attached()
    stops = []
    for _ in range(max_tabs):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        stops.append(assert_focus_visible(page)["what"])
        if _is_focused(target):
            return stops
    raise AssertionError(
        f"{target} not reached in {max_tabs} presses of Tab on {page.url}; stops: {stops}"
    )


def follow(page: Page, key: str = "Enter") -> None:
    """Press `key` on the focused link or button and wait for the page it opens."""
    with page.expect_navigation():
        page.keyboard.press(key)
    page.wait_for_load_state("load")


def type_into(page: Page, target: Locator, text: str) -> None:
    """Tab to a field and type into it (the field is reached by the keyboard first)."""
    tab_to(page, target)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def choose_by_arrows(page: Page, target: Locator, wanted: str) -> None:
    """Tab to a <select> and move through its options with the arrow keys."""
    tab_to(page, target)
    for _ in range(20):
        if target.evaluate("(s) => s.options[s.selectedIndex].text") == wanted:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"option {wanted!r} not reached with the arrow keys")


def _day(offset: int):
    return timezone.localdate() + timedelta(days=offset)


@pytest.fixture
def keyboard_page(browser, live_server):
    """A tablet-sized page (the menu is behind its button) in US English, the locale whose
    date fields take month, day and year in that order as they are typed."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 820, "height": 1180}, locale="en-US"
    )
    context.add_init_script(UNFOCUSED_LOOK)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def test_skip_link_is_the_first_tab_stop_and_moves_into_the_main_content(
    keyboard_page, live_server, tenant_a
):
    page = keyboard_page
    sign_in_as(page, live_server, tenant_a.lead)
    page.goto(f"/teams/{tenant_a.team.public_id}/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert _is_focused(skip), "the first Tab stop is not the skip link"
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
    page.keyboard.press("Tab")
    assert_focus_visible(page)
    assert page.evaluate("document.getElementById('main-content').contains(document.activeElement)")


def test_a_lead_logs_a_cycle_and_hands_in_a_month_with_the_keyboard_alone(
    keyboard_page, live_server, tenant_a
):
    page = keyboard_page
    t = tenant_a
    measure_services.periods_generate(
        collaborative=t.collaborative, actor=t.staff, baseline_months=0
    )
    # The collaborative's first month has ended and is what the team home says is due.
    march = ReportingPeriod.objects.get(
        collaborative=t.collaborative, start=t.collaborative.start_date
    )
    march_label = label(march.start)
    planned = _day(-3)

    sign_in_as(page, live_server, t.lead)
    page.goto("/")  # a lead lands on the team home
    expect(page.get_by_role("heading", level=1)).to_have_text(t.team.name)

    # --- A PDSA cycle: team home -> tests of change -> log one -> the plan ---------------
    tab_to(page, page.get_by_role("link", name=re.compile(r"^Tests of change")))
    follow(page)
    tab_to(page, "Log a test of change")
    follow(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Log a test of change")

    type_into(page, page.get_by_label("Title"), "Kilogram card at the triage desk")
    choose_by_arrows(page, page.get_by_label("Change idea tested"), "Lock the triage scale to kg")
    choose_by_arrows(page, page.get_by_label("Size of the test"), "One shift or one clinician")
    type_into(page, page.get_by_label("Objective"), "See whether a printed card answers parents")
    type_into(page, page.get_by_label("Predictions"), "Fewer than 2 of 10 parents ask for pounds")
    type_into(page, page.get_by_label("Who, what, when and where"), "Day triage nurse, one shift")
    # A date field: Tab reaches its month, then typing fills month, day and year.
    tab_to(page, page.get_by_label("Date planned"))
    page.keyboard.type(f"{planned:%m%d%Y}")
    expect(page.get_by_label("Date planned")).to_have_value(planned.isoformat())
    tab_to(page, page.get_by_role("button", name="Save and move to Do"))
    follow(page)
    expect(page.get_by_text("Plan saved and the cycle moved to Do.")).to_be_visible()

    cycle = Cycle.objects.get(team=t.team, title="Kilogram card at the triage desk")
    assert cycle.stage == Stage.DO and cycle.created_by == t.lead
    assert cycle.change_idea.title == "Lock the triage scale to kg"
    assert cycle.scale == "one_shift"
    assert cycle.objective == "See whether a printed card answers parents"
    assert cycle.predictions == "Fewer than 2 of 10 parents ask for pounds"
    assert cycle.plan_details == "Day triage nurse, one shift"
    assert cycle.plan_date == planned

    # --- A month of data: back to the team home -> what is due -> every measure --------
    tab_to(page, t.team.name)
    follow(page)
    tab_to(page, f"Enter {march_label}'s data")
    follow(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(march_label)

    type_into(page, page.get_by_label("Weight in kg: numerator"), "11")
    type_into(page, page.get_by_label("Weight in kg: denominator"), "12")
    type_into(page, page.get_by_label("Weight in kg: note"), "Card printed on day 2")
    type_into(page, page.get_by_label("Huddles: value"), "5")
    type_into(page, page.get_by_label("What we tested this month"), "A kilogram card at triage")
    tab_to(page, page.get_by_role("button", name="Save and submit"))
    follow(page)
    expect(page.get_by_text(f"{march_label} is submitted.")).to_be_visible()

    m1 = DataPoint.objects.get(team=t.team, period=march, measure__code="M1")
    assert (m1.numerator, m1.denominator, m1.note) == (11, 12, "Card printed on day 2")
    huddles = DataPoint.objects.get(team=t.team, period=march, measure__name__icontains="huddle")
    assert huddles.value == 5
    submission = Submission.objects.get(team=t.team, period=march)
    assert submission.status == SubmissionStatus.SUBMITTED


def test_the_menu_on_a_tablet_keeps_the_focus_inside_until_it_is_closed(
    keyboard_page, live_server, tenant_a
):
    """Below the desktop width the navigation opens as a panel over the page (USWDS). The
    page behind is hidden from screen readers while it is open, so the focus must not
    wander there: Tab from the panel's last item comes back to its first."""
    page = keyboard_page
    sign_in_as(page, live_server, tenant_a.lead)
    page.goto(f"/teams/{tenant_a.team.public_id}/")
    tab_to(page, page.get_by_role("button", name="Menu"))
    page.keyboard.press("Enter")
    nav = page.get_by_role("navigation", name="Primary navigation")
    close = nav.get_by_role("button", name="Close")
    expect(close).to_be_focused()
    inside = "(nav) => nav.contains(document.activeElement)"
    # The open panel shows: Close, "Our team", "Resources", the notifications bell and
    # the account button (its submenu shut).
    account = nav.get_by_role("button", name=tenant_a.lead.get_short_name())
    stops = []
    for _ in range(5):
        page.keyboard.press("Tab")
        stops.append(assert_focus_visible(page)["what"])
        assert nav.evaluate(inside), f"Tab left the open menu: {stops}"
    expect(close).to_be_focused()  # Tab from the last item comes back to the first
    page.keyboard.press("Shift+Tab")
    assert_focus_visible(page)
    expect(account).to_be_focused()  # and Shift+Tab from the first goes to the last
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name="Menu")).to_be_focused()


@pytest.mark.parametrize("chunk", range(WALK_CHUNKS))
def test_every_page_shows_where_the_focus_is_at_every_tab_stop(
    browser, live_server, tenant_a, chunk
):
    """Every page of the project (the same walk as the axe-core check, in the same
    chunks), tabbed through from the top to the footer: the first stop is the skip link,
    and no stop may hide the focus, be off screen or covered."""
    pages = _walk_chunk(_all_pages(tenant_a), chunk)
    problems = []
    checked = 0
    for persona, urls in pages.items():
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 820, "height": 1180}
        )
        context.add_init_script(UNFOCUSED_LOOK)
        page = context.new_page()
        if persona != "anonymous":
            sign_in_as(page, live_server, getattr(tenant_a, persona))
        for url in urls:
            page.goto(url)
            stops = 0
            for _ in range(250):
                page.keyboard.press("Tab")
                state = page.evaluate(FOCUS_STATE)
                if not state["onPage"]:
                    break  # past the footer: the focus went to the browser
                stops += 1
                if stops == 1 and page.evaluate("document.activeElement.innerText") != (
                    "Skip to main content"
                ):
                    problems.append(f"{url} ({persona}): the first Tab stop is not the skip link")
                try:
                    assert_focus_visible(page, state)
                except AssertionError as problem:
                    problems.append(f"{url} ({persona}): {str(problem).splitlines()[0]}")
            checked += stops
            if stops < 4:  # skip link, home link, menu button, footer links at least
                problems.append(f"{url} ({persona}): only {stops} Tab stops")
        context.close()
    assert not problems, f"{len(problems)} of {checked} Tab stops:\n" + "\n".join(problems)
