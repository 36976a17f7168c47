"""axe-core on the in-app inbox with read and unread notices (and the bell's badge in
the top bar), after "Mark all as read", wide and on a 320 px screen."""

import pytest

from core import clock
from core.inbox import notice_create
from core.models import Notification

from .helpers import sign_in_as
from .test_accessibility import AXE, NARROW, _violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _problems(page, label: str, narrow: bool) -> list[str]:
    if narrow:
        width = page.evaluate("document.documentElement.scrollWidth")
        return [f"{label}: {width}px wide on a 320px screen"] if width > NARROW["width"] else []
    return [f"{label}: {v['rule']} {v['where']} {v['why']}" for v in _violations(page)]


def _fill_inbox(tenant) -> None:
    Notification.objects.filter(recipient=tenant.lead).delete()
    team = f"/teams/{tenant.team.public_id}/"
    read = notice_create(
        recipient=tenant.lead,
        kind="data_reviewed",
        title=f"October of {tenant.team.name} was reviewed",
        url=team,
    )
    Notification.objects.filter(pk=read.pk).update(read_at=clock.now())
    notice_create(
        recipient=tenant.lead,
        kind="pdsa_comment",
        title="Alpha Coach commented on “Weigh every child in kilograms, night shift "
        "included, for a whole week” (Alpha <Children's> ED)",
        url=team,
    )
    notice_create(
        recipient=tenant.lead,
        kind="session_reminder",
        title="Reminder: Learning session 2 on Tuesday 1 December",
        url=team,
    )


def test_the_inbox_meets_wcag_21_aa(browser, live_server, tenant_a):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make install` (npm ci installs it)")
    problems: list[str] = []
    for narrow in (False, True):
        _fill_inbox(tenant_a)
        context = browser.new_context(base_url=live_server.url, viewport=NARROW if narrow else None)
        page = context.new_page()
        sign_in_as(page, live_server, tenant_a.lead)
        page.goto("/notifications/")
        page.get_by_role("button", name="Mark all as read").wait_for()
        assert page.get_by_text("Unread", exact=True).count() == 2
        if not narrow:
            page.get_by_role("link", name="Notifications, 2 unread").wait_for()
        problems += _problems(page, "Inbox (read and unread)", narrow)
        page.get_by_role("button", name="Mark all as read").click()
        page.get_by_text("2 notifications marked as read.").wait_for()
        problems += _problems(page, "Inbox (all read)", narrow)
        context.close()
    assert not problems, "\n".join(problems)
