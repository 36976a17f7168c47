"""In-app notifications: one producer, two channels (core.emails -> core.inbox), the
bell in the top bar and the inbox page (/notifications/)."""

import ast
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certificates.models import Certificate
from certificates.services.revocation import revoke_certificate
from core import clock
from core.emails import email_enqueue
from core.inbox import is_site_path, notice_create, unread_count
from core.models import Delivery, EmailStatus, Notification, OutboundEmail
from core.notification_kinds import KINDS, kind_get
from core.notifications import preferences_save
from core.templatetags import inbox as inbox_tags
from measures import services as measures
from measures.models import Measure, ReportingPeriod
from measures.validation import Entry
from pdsa.models import Stage
from pdsa.services.comments import comment_create
from pdsa.services.cycles import cycle_update
from pdsa.timeline import cycle_url
from teams.services.members import invitation_create
from tests.clock import month
from tests.factories import UserFactory, client_for
from tests.pdsa.helpers import make_cycle, make_idea, study

pytestmark = pytest.mark.django_db

INBOX = "/notifications/"


@pytest.fixture(autouse=True)
def _commit(django_capture_on_commit_callbacks):
    """Run after-commit work (sending, dropping the cached count) as a commit would."""
    with django_capture_on_commit_callbacks(execute=True):
        yield


def _enqueue(user, *, kind="pdsa_comment", key=None, url="/somewhere/", program=None):
    return email_enqueue(
        to=user.email,
        template="weekly_digest",
        context={"recipient": user, "sections": [], "count": 2},
        program=program,
        dedupe_key=key,
        kind=kind,
        notice_url=url,
    )


def notices(user):
    return list(Notification.objects.filter(recipient=user).order_by("created_at", "id"))


# --- one producer, two channels -------------------------------------------------------------


def test_a_comment_on_my_cycle_is_an_email_and_a_notice(tenant_a):
    cycle = make_cycle(tenant_a.team, make_idea(tenant_a.team), author=tenant_a.member)
    comment_create(cycle=cycle, actor=tenant_a.coach, body="Try nights too", by_coach=True)
    email = OutboundEmail.objects.get(to_email=tenant_a.member.email, kind="pdsa_comment")
    [notice] = notices(tenant_a.member)
    assert notice.kind == "pdsa_comment"
    assert notice.title == email.subject
    assert notice.url == cycle_url(tenant_a.team, cycle.public_id)
    assert notice.program == tenant_a.program
    assert notice.read_at is None
    assert not Notification.objects.filter(recipient=tenant_a.coach).exists()  # the author


def test_a_notice_is_made_even_when_the_email_is_off_or_held_for_the_digest(tenant_a):
    lead = tenant_a.lead
    preferences_save(
        user=lead, choices={"pdsa_comment": Delivery.OFF, "data_reviewed": Delivery.DIGEST}
    )
    assert _enqueue(lead, kind="pdsa_comment", key="a") is None  # not sent
    held = _enqueue(lead, kind="data_reviewed", key="b")
    assert OutboundEmail.objects.get(dedupe_key="a").status == EmailStatus.SUPPRESSED
    assert held.status == EmailStatus.HELD
    assert [n.kind for n in notices(lead)] == ["pdsa_comment", "data_reviewed"]


def test_the_same_dedupe_key_makes_no_second_email_and_no_second_notice(tenant_a):
    assert _enqueue(tenant_a.lead, key="reminder:1") is not None
    assert _enqueue(tenant_a.lead, key="reminder:1") is None
    assert OutboundEmail.objects.filter(dedupe_key="reminder:1").count() == 1
    assert len(notices(tenant_a.lead)) == 1
    assert (
        notice_create(
            recipient=tenant_a.lead,
            kind="pdsa_comment",
            title="T",
            url="/x/",
            dedupe_key="reminder:1",
        )
        is None
    )


def test_no_notice_for_an_address_that_is_nobodys_account():
    email = email_enqueue(
        to="newcomer@example.org",
        template="weekly_digest",
        context={"sections": [], "count": 1},
        kind="pdsa_comment",
        notice_url="/x/",
    )
    assert email is not None
    assert not Notification.objects.exists()


def test_account_emails_make_no_notice(tenant_a):
    email_enqueue(
        to=tenant_a.lead.email,
        template="weekly_digest",
        context={"sections": [], "count": 1},
    )
    assert OutboundEmail.objects.filter(to_email=tenant_a.lead.email).exists()
    assert not Notification.objects.exists()


@pytest.mark.parametrize("kind", [k for k, v in KINDS.items() if v.in_app])
def test_a_producer_of_an_inbox_kind_must_say_where_the_notice_opens(tenant_a, kind):
    with pytest.raises(ValueError, match="notice_url"):
        email_enqueue(
            to=tenant_a.lead.email,
            template="weekly_digest",
            context={"sections": [], "count": 1},
            kind=kind,
        )
    assert not OutboundEmail.objects.exists()


@pytest.mark.parametrize(
    "url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "teams/", ""]
)
def test_a_notice_opens_a_path_of_this_site_only(tenant_a, url):
    with pytest.raises(ValueError):
        notice_create(recipient=tenant_a.lead, kind="pdsa_comment", title="T", url=url)


def _calls_of_inbox_kinds_without_notice_url(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    missing = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name != "email_enqueue":
            continue
        keywords = {k.arg: k.value for k in node.keywords}
        kind = keywords.get("kind")
        literal = kind.value if isinstance(kind, ast.Constant) else None
        if (literal is None or kind_get(literal).in_app) and "notice_url" not in keywords:
            if isinstance(kind, ast.Name) and kind.id in {"ACCOUNT", "DIGEST"}:
                continue  # account e-mails and the digest itself: no notice of their own
            missing.append(f"{path}:{node.lineno}")
    return missing


def test_every_producer_of_an_inbox_kind_passes_notice_url():
    """The ValueError catches a forgotten notice_url when the producer runs; this finds
    it in producers that no test runs with an inbox kind."""
    root = Path(settings.BASE_DIR)
    skip = {"tests", "scripts", ".venv", "node_modules", "benchmarks"}
    found = []
    for package in root.iterdir():
        if (package / "__init__.py").exists() and package.name not in skip:
            for path in package.rglob("*.py"):
                found += _calls_of_inbox_kinds_without_notice_url(path)
    assert found == []


# --- the list: each event creates its notice ------------------------------------------


def test_a_cycle_waiting_for_feedback_tells_the_coach_by_email_and_notice(tenant_a):
    cycle = make_cycle(
        tenant_a.team, make_idea(tenant_a.team), author=tenant_a.member, stage=Stage.STUDY
    )
    email = OutboundEmail.objects.get(kind="pdsa_feedback", to_email=tenant_a.coach.email)
    assert "asks for your feedback" in email.subject
    [notice] = notices(tenant_a.coach)
    assert notice.kind == "pdsa_feedback"
    assert notice.url == cycle_url(tenant_a.team, cycle.public_id)
    # Moving on while it still waits asks nothing new; a coach's comment ends the wait.
    cycle = cycle_update(cycle=cycle, actor=tenant_a.member, values=study(), advance_to=Stage.ACT)
    assert len(notices(tenant_a.coach)) == 1
    comment_create(cycle=cycle, actor=tenant_a.coach, body="Good", by_coach=True)
    assert len(notices(tenant_a.coach)) == 1


def test_data_returned_to_the_team_is_a_notice_for_its_lead(tenant_a):
    t = tenant_a
    measures.periods_generate(collaborative=t.collaborative, actor=t.staff, baseline_months=0)
    period = ReportingPeriod.objects.get(collaborative=t.collaborative, start=month(-1))
    m1 = Measure.objects.get(program=t.program, code="M1")
    saved = measures.period_save(
        team=t.team,
        period=period,
        actor=t.lead,
        entries={m1: Entry(Decimal(7), Decimal(10))},
        submit=True,
        team_set=[(m1, "required")],
    )
    [submitted] = [n for n in notices(t.coach) if n.kind == "data_submitted"]
    assert period.label in submitted.title
    measures.submission_review(
        submission=saved.submission, actor=t.coach, decision="returned", comment="Check M1"
    )
    [returned] = [n for n in notices(t.lead) if n.kind == "data_reviewed"]
    assert returned.title == f"{period.label} was returned to {t.team.name}"
    assert returned.url == reverse(
        "measures:period", kwargs={"team_id": t.team.public_id, "period_id": period.public_id}
    )


def test_an_invitation_to_someone_with_an_account_is_a_notice_too(tenant_a):
    known = UserFactory(email="known@example.org")
    _, token = invitation_create(
        team=tenant_a.team, email=known.email, role="member", invited_by=tenant_a.lead
    )
    [notice] = notices(known)
    assert notice.kind == "account"
    assert notice.url == reverse("teams:invitation_accept", kwargs={"token": token})
    assert "invites you to join" in notice.title
    # Someone without an account gets the e-mail only.
    invitation_create(
        team=tenant_a.team, email="new@example.org", role="member", invited_by=tenant_a.lead
    )
    assert Notification.objects.count() == 1


def test_a_revoked_certificate_is_a_notice_on_my_credit(tenant_a):
    certificate = Certificate.objects.get(code=tenant_a.extras["certificate_code"])
    revoke_certificate(certificate=certificate, actor=tenant_a.staff, reason="Wrong hours")
    [notice] = notices(tenant_a.lead)
    assert notice.kind == "certificate"
    assert notice.url == reverse("certificates:my_credit")


# --- the bell ---------------------------------------------------------------------------------


def test_the_bell_shows_the_unread_count_with_an_accessible_name(tenant_a):
    client = client_for(tenant_a.lead)
    page = client.get(reverse("home"), follow=True).content.decode()
    assert f'href="{INBOX}"' in page
    assert "notification-bell__badge" not in page  # nothing unread: no badge
    _enqueue(tenant_a.lead, key="1")
    _enqueue(tenant_a.lead, key="2")
    _enqueue(tenant_a.lead, key="3")
    page = client.get(reverse("home"), follow=True).content.decode()
    assert '<span class="notification-bell__badge">3</span>' in page
    assert 'aria-label="Notifications, 3 unread"' in page
    # On narrow screens the navigation folds away: the Menu button carries the count.
    assert (
        'Menu <span class="notification-bell__badge" aria-hidden="true">3</span>'
        '<span class="usa-sr-only">, 3 unread notifications</span></button>'
    ) in page


def test_a_page_reads_the_count_once_for_the_bell_and_the_menu_badge(tenant_a):
    """The bell and the Menu button's badge both show the count: one read per page."""
    _enqueue(tenant_a.lead, key="1")
    _enqueue(tenant_a.lead, key="2")
    client = client_for(tenant_a.lead)
    url = reverse("accounts:profile")
    client.get(url)
    with mock.patch.object(inbox_tags, "unread_count", wraps=unread_count) as read:
        page = client.get(url).content.decode()
    assert read.call_count == 1
    assert '<span class="notification-bell__badge">2</span>' in page
    assert 'Menu <span class="notification-bell__badge" aria-hidden="true">2</span>' in page


def test_the_count_is_cached_and_dropped_when_a_notice_is_made_or_read(tenant_a):
    lead = tenant_a.lead
    assert unread_count(user=lead) == 0
    with CaptureQueriesContext(connection) as queries:
        assert unread_count(user=lead) == 0
    assert len(queries) == 0  # from the cache
    _enqueue(lead, key="1")
    assert unread_count(user=lead) == 1  # created: the cached 0 was dropped
    notice = Notification.objects.get(recipient=lead)
    client_for(lead).get(reverse("notification_open", kwargs={"notification_id": notice.public_id}))
    assert unread_count(user=lead) == 0  # read: dropped again
    _enqueue(lead, key="2")
    _enqueue(lead, key="3")
    assert unread_count(user=lead) == 2
    client_for(lead).post(reverse("notifications_read_all"))
    assert unread_count(user=lead) == 0


def test_the_bell_costs_one_count_query_then_none(tenant_a):
    client = client_for(tenant_a.lead)
    url = reverse("accounts:profile")
    client.get(url)
    cache.delete(f"inbox:unread:{tenant_a.lead.pk}")
    with CaptureQueriesContext(connection) as cold:
        client.get(url)
    with CaptureQueriesContext(connection) as warm:
        client.get(url)
    counts = [q["sql"] for q in cold if "core_notification" in q["sql"]]
    assert len(counts) == 1 and "COUNT(*)" in counts[0]
    assert not [q for q in warm if "core_notification" in q["sql"]]
    assert len(warm) == len(cold) - 1


def test_anonymous_pages_run_no_notification_query(tenant_a):
    _enqueue(tenant_a.lead, key="1")
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(reverse("accessibility"))
    assert response.status_code == 200
    assert 'href="/notifications/"' not in response.content.decode()
    assert len(queries) == 0


# --- the inbox --------------------------------------------------------------------------------


def test_the_inbox_lists_newest_first_and_marks_unread_ones(tenant_a):
    lead = tenant_a.lead
    old = notice_create(recipient=lead, kind="pdsa_comment", title="Old <b>one</b>", url="/a/")
    Notification.objects.filter(pk=old.pk).update(
        created_at=clock.now().replace(year=2025), read_at=clock.now()
    )
    notice_create(recipient=lead, kind="data_reviewed", title="New one", url="/b/")
    page = client_for(lead).get(INBOX).content.decode()
    assert page.index("New one") < page.index("Old &lt;b&gt;one&lt;/b&gt;")
    assert "<b>one" not in page
    assert page.count(">Unread</span>") == 1
    assert "You have 1 unread notification." in page
    assert "Monthly data reviewed or returned" in page  # the kind, in words
    assert 'action="/notifications/read-all/"' in page


def test_the_inbox_pages_by_25_and_filters_unread(tenant_a):
    lead = tenant_a.lead
    for i in range(30):
        notice_create(recipient=lead, kind="pdsa_comment", title=f"Notice {i:02d}", url="/a/")
    Notification.objects.filter(title="Notice 00").update(read_at=clock.now())
    client = client_for(lead)
    first = client.get(INBOX).content.decode()
    assert first.count('class="inbox-title"') == 25
    assert "Page 1 of 2" in first
    second = client.get(INBOX + "?page=2").content.decode()
    assert second.count('class="inbox-title"') == 5
    unread = client.get(INBOX + "?unread=1&page=2").content.decode()
    assert unread.count('class="inbox-title"') == 4 and "Notice 00" not in unread
    assert client.get(INBOX + "?page=nope").status_code == 200


def test_the_inbox_shows_only_my_own_notices(tenant_a, tenant_b):
    notice_create(recipient=tenant_a.lead, kind="pdsa_comment", title="For the lead", url="/a/")
    page = client_for(tenant_a.member).get(INBOX).content.decode()
    assert "For the lead" not in page
    assert "No notifications yet" in page
    b_notice = Notification.objects.get(recipient=tenant_b.lead)
    assert b_notice.title not in client_for(tenant_a.lead).get(INBOX).content.decode()


def test_the_inbox_needs_sign_in():
    response = Client().get(INBOX)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_opening_a_notice_marks_it_read_and_goes_to_its_page(tenant_a):
    notice = notice_create(
        recipient=tenant_a.lead, kind="pdsa_comment", title="T", url="/teams/x/?tab=1"
    )
    client = client_for(tenant_a.lead)
    response = client.get(
        reverse("notification_open", kwargs={"notification_id": notice.public_id})
    )
    assert response.status_code == 302 and response["Location"] == "/teams/x/?tab=1"
    notice.refresh_from_db()
    assert notice.read_at is not None
    first_read = notice.read_at
    client.get(reverse("notification_open", kwargs={"notification_id": notice.public_id}))
    notice.refresh_from_db()
    assert notice.read_at == first_read  # opening it again changes nothing


@pytest.mark.parametrize(
    "stored",
    ["//evil.example", "https://evil.example", "javascript:alert(1)", "/\\evil.example", ""],
)
def test_opening_never_leaves_the_site_whatever_was_stored(tenant_a, stored):
    notice = Notification.objects.create(
        recipient=tenant_a.lead, kind="pdsa_comment", title="T", url=stored
    )
    client = client_for(tenant_a.lead)
    response = client.get(
        reverse("notification_open", kwargs={"notification_id": notice.public_id})
    )
    assert response.status_code == 302 and response["Location"] == INBOX
    page = client.get(INBOX).content.decode()
    assert "does not lead to a page of this site" in page


@pytest.mark.parametrize("name", ["member", "coach", "staff", "admin"])
def test_someone_elses_notice_is_a_404_and_stays_unread(tenant_a, name):
    notice = notice_create(recipient=tenant_a.lead, kind="pdsa_comment", title="T", url="/a/")
    client = client_for(getattr(tenant_a, name))
    response = client.get(
        reverse("notification_open", kwargs={"notification_id": notice.public_id})
    )
    assert response.status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_another_tenants_notice_is_a_404(tenant_a, tenant_b):
    notice = Notification.objects.get(recipient=tenant_b.lead)
    client = client_for(tenant_a.staff)
    url = reverse("notification_open", kwargs={"notification_id": notice.public_id})
    assert client.get(url).status_code == 404


def test_mark_all_as_read_is_a_post_of_my_own_notices(tenant_a):
    mine = notice_create(recipient=tenant_a.lead, kind="pdsa_comment", title="A", url="/a/")
    theirs = notice_create(recipient=tenant_a.member, kind="pdsa_comment", title="B", url="/b/")
    client = client_for(tenant_a.lead)
    assert client.get(reverse("notifications_read_all")).status_code == 405
    response = client.post(reverse("notifications_read_all"), follow=True)
    assert "1 notification marked as read." in response.content.decode()
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None
    again = client.post(reverse("notifications_read_all"), follow=True).content.decode()
    assert "There were no unread notifications." in again


def test_mark_all_as_read_needs_the_csrf_token(tenant_a):
    notice_create(recipient=tenant_a.lead, kind="pdsa_comment", title="A", url="/a/")
    client = Client(enforce_csrf_checks=True)
    client.force_login(tenant_a.lead)
    assert client.post(reverse("notifications_read_all")).status_code == 403
    assert Notification.objects.filter(recipient=tenant_a.lead, read_at=None).count() == 1


def test_is_site_path():
    assert is_site_path("/teams/1/")
    for bad in ("//x", "/\\x", "http://x/", "x/", "/a\nb", "javascript:x", "/" + "a" * 600):
        assert not is_site_path(bad)


@pytest.mark.parametrize(
    "name", ["admin", "staff", "coach", "lead", "member", "unassigned_coach", "outsider"]
)
def test_every_persona_reads_and_opens_only_their_own_notices(persona, tenant_a, name):
    """The inbox is personal: whatever the role, a person lists and opens their own
    notices, and another person's (here the lead's, or the member's for the lead)
    answers 404, on the page and in the API."""
    user = persona(name)
    other = tenant_a.member if user == tenant_a.lead else tenant_a.lead
    own = notice_create(recipient=user, kind="pdsa_comment", title="Mine", url="/mine/")
    theirs = notice_create(recipient=other, kind="pdsa_comment", title="Theirs", url="/x/")
    client = client_for(user)
    page = client.get(INBOX).content.decode()
    assert "Mine" in page and "Theirs" not in page
    opened = client.get(reverse("notification_open", kwargs={"notification_id": own.public_id}))
    assert opened["Location"] == "/mine/"
    refused = reverse("notification_open", kwargs={"notification_id": theirs.public_id})
    assert client.get(refused).status_code == 404
    api = client.get("/api/v1/me/notifications/").json()
    assert [n["title"] for n in api["results"]] == ["Mine"]
    read = f"/api/v1/me/notifications/{theirs.public_id}/read/"
    assert client.post(read).status_code == 404
