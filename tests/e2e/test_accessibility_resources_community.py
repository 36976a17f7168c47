"""axe-core on a community of practice's pages: the board, a thread with a hidden reply
and the moderation controls (staff), a member's thread page, the members page with a
pending request and an e-mailed invitation, the shared ramps, the join page, the
communities list, and an e-mailed invitation's page for the newcomer; wide and
on a 320 px screen (nothing wider than the screen). Also posts a reply, the journey a
member makes."""

import re

import pytest

from collaboratives.models import Collaborative
from core import clock
from core.models import OutboundEmail
from resources.community.selectors import community_or_404
from resources.community.services import membership_invite
from resources.models import Reply, Thread
from tests.factories import TeamMembershipFactory, UserFactory

from .helpers import sign_in_as
from .test_accessibility import AXE, NARROW, _violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _problems(page, label: str, narrow: bool) -> list[str]:
    if narrow:
        width = page.evaluate("document.documentElement.scrollWidth")
        return [f"{label}: {width}px wide on a 320px screen"] if width > NARROW["width"] else []
    return [f"{label}: {v['rule']} {v['where']} {v['why']}" for v in _violations(page)]


def test_the_community_pages_meet_wcag_21_aa(browser, live_server, tenant_a):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make install` (npm ci installs it)")
    t = tenant_a
    community = Collaborative.objects.get(public_id=t.extras["community_id"])
    thread = Thread.objects.get(public_id=t.extras["thread_id"])
    Reply.objects.create(
        program=t.program,
        collaborative=community,
        thread=thread,
        author=t.lead,
        body="See https://www.aap.org/ and ask @Alpha Member",
        hidden_at=clock.now(),
        hidden_by=t.staff,
        hidden_reason="Off topic",
    )
    newcomer = TeamMembershipFactory(team=t.other_team, user=UserFactory()).user
    access = community_or_404(user=t.staff, community_id=community.public_id)
    membership_invite(access=access, actor=t.staff, email="new.champion@example.org")
    invited = OutboundEmail.objects.filter(to_email="new.champion@example.org").latest("pk")
    link = re.search(r"/communities/invitations/\S+/", invited.body_text).group(0)
    base = f"/communities/{community.public_id}"
    pages = {
        "staff": [
            ("Communities", "/communities/"),
            ("Board (staff)", f"{base}/"),
            ("Thread with hidden reply (staff)", f"{base}/threads/{thread.public_id}/"),
            ("Members with a request (staff)", f"{base}/members/"),
            ("Start a discussion", f"{base}/threads/new/"),
        ],
        "member": [
            ("Thread (member)", f"{base}/threads/{thread.public_id}/"),
            ("Shared ramps", f"{base}/shared/"),
            ("Members (member)", f"{base}/members/"),
        ],
        "newcomer": [("Join page", f"{base}/")],
        "visitor": [("E-mailed invitation (no account yet)", link)],
    }
    people = {"staff": t.staff, "member": t.member, "newcomer": newcomer, "visitor": None}
    problems: list[str] = []
    for narrow in (False, True):
        for who, visits in pages.items():
            context = browser.new_context(
                base_url=live_server.url, viewport=NARROW if narrow else None
            )
            page = context.new_page()
            if people[who] is not None:
                sign_in_as(page, live_server, people[who])
            for label, path in visits:
                page.goto(path)
                page.locator("h1").first.wait_for()
                problems += _problems(page, label, narrow)
            context.close()
    assert not problems, "\n".join(problems)


def test_a_member_posts_a_reply(browser, live_server, tenant_a):
    t = tenant_a
    community = Collaborative.objects.get(public_id=t.extras["community_id"])
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    sign_in_as(page, live_server, t.member)
    page.goto(f"/communities/{community.public_id}/")
    page.get_by_role("link", name="Weighing in kg").click()
    page.get_by_label("Your reply").fill(
        "We keep a <b>laminated</b> card: https://example.org/card"
    )
    page.get_by_role("button", name="Reply").click()
    page.get_by_text("Your reply is posted.").wait_for()
    page.get_by_text("We keep a <b>laminated</b> card:").wait_for()
    assert page.get_by_role("link", name="https://example.org/card").count() == 1
    context.close()
