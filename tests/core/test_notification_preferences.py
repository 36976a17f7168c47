"""Notification preferences are applied in one place, core.emails.email_enqueue_message:
off is not sent (and the dedupe key is used up), digest is held, immediately is sent with
the one-click unsubscribe headers (RFC 8058) and a visible link."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from core.emails import email_enqueue, email_enqueue_message
from core.models import Delivery, EmailStatus, NotificationPreference, OutboundEmail
from core.notification_kinds import ACCOUNT, KINDS, kind_get, optional_kinds
from core.notifications import delivery_for, preferences_save, unsubscribe_token
from core.tasks import requeue_stale_emails
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

#: The keys the reminder, recording and evaluation producers of issue 14 pass.
ISSUE_14_KINDS = {
    "session_reminder",
    "session_recording",
    "evaluation_reminder",
    "module_reminder",
    "data_reminder",
}


@pytest.fixture
def ana():
    return UserFactory(email="ana@example.org", full_name="Ana Lee")


_capture = None


@pytest.fixture(autouse=True)
def _commit(django_capture_on_commit_callbacks):
    """Run the after-commit sending as a real commit would (tasks are eager in tests)."""
    global _capture
    _capture = django_capture_on_commit_callbacks
    yield
    _capture = None


def _send(to="ana@example.org", kind="pdsa_comment", key=None):
    with _capture(execute=True):
        return email_enqueue_message(
            to=to,
            subject="Bo commented on your cycle",
            body_text="Read it: https://qi.example/cycle/1",
            body_html="<html><body><p>Read it</p></body></html>",
            kind=kind,
            dedupe_key=key,
        )


def test_the_kinds_other_producers_use_are_registered_and_optional():
    assert set(KINDS) >= ISSUE_14_KINDS
    assert all(KINDS[key].optional for key in ISSUE_14_KINDS)
    assert not kind_get(ACCOUNT).optional
    assert kind_get("") is kind_get(ACCOUNT)
    assert ACCOUNT not in {kind.key for kind in optional_kinds()}


def test_an_unknown_kind_fails_loudly_instead_of_escaping_preferences(ana):
    with pytest.raises(ValueError, match="Unknown e-mail kind 'sesion_reminder'"):
        _send(kind="sesion_reminder")
    assert not OutboundEmail.objects.exists()


def test_immediately_is_the_default_and_carries_the_one_click_headers(ana):
    email = _send()
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    message = mail.outbox[0]
    url = settings.SITE_URL + reverse(
        "unsubscribe", kwargs={"token": unsubscribe_token(ana, "pdsa_comment")}
    )
    assert message.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The headers are in the message as sent on the wire, not only on the object.
    raw = message.message().as_string()
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in raw
    # ...and a visible link in both bodies, the HTML one inside the document.
    assert f"Turn these e-mails off: {url}" in message.body
    html = message.alternatives[0].content
    assert f'<a href="{url}">Turn these e-mails off</a>' in html
    assert html.index("Turn these e-mails off") < html.index("</body>")
    assert "Comments on PDSA cycles" in message.body
    assert reverse("accounts:notifications") in message.body
    assert email.recipient == ana


def test_account_emails_are_always_sent_and_carry_no_unsubscribe(ana):
    for kind in optional_kinds():
        NotificationPreference.objects.create(user=ana, kind=kind.key, delivery=Delivery.OFF)
    email = _send(kind=ACCOUNT)
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert "List-Unsubscribe" not in mail.outbox[0].extra_headers
    assert "unsubscribe" not in mail.outbox[0].body.lower()
    assert delivery_for(ana, ACCOUNT) == Delivery.IMMEDIATELY


def test_an_address_that_is_nobodys_account_gets_no_unsubscribe_link():
    """An invitee has no preferences to change: the e-mail is sent as written."""
    email = _send(to="invitee@example.org")
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and email.recipient is None
    assert mail.outbox[0].extra_headers == {}
    assert mail.outbox[0].body == "Read it: https://qi.example/cycle/1"


def test_off_sends_nothing_and_uses_up_the_dedupe_key(ana):
    preferences_save(user=ana, choices={"session_reminder": Delivery.OFF})
    key = "session-reminder:7d:event-1:ana"
    assert _send(kind="session_reminder", key=key) is None
    assert mail.outbox == []
    row = OutboundEmail.objects.get(dedupe_key=key)
    assert row.status == EmailStatus.SUPPRESSED
    # The catch-up scheduler runs again (and again): still nothing queued or sent...
    assert _send(kind="session_reminder", key=key) is None
    assert OutboundEmail.objects.filter(dedupe_key=key).count() == 1
    # ...and the sweeper never picks a suppressed row up, even when it is old.
    OutboundEmail.objects.filter(pk=row.pk).update(created_at=row.created_at.replace(year=2020))
    assert requeue_stale_emails() == 0
    assert mail.outbox == []
    # Turning the kind back on does not resend what was skipped while it was off.
    preferences_save(user=ana, choices={"session_reminder": Delivery.IMMEDIATELY})
    assert _send(kind="session_reminder", key=key) is None
    assert mail.outbox == []


def test_off_for_one_kind_leaves_the_others_on(ana):
    preferences_save(user=ana, choices={"pdsa_comment": Delivery.OFF})
    assert _send(kind="pdsa_comment") is None
    assert _send(kind="data_reminder") is not None
    assert len(mail.outbox) == 1


def test_the_preference_is_found_whatever_the_case_of_the_address(ana):
    preferences_save(user=ana, choices={"pdsa_comment": Delivery.OFF})
    assert _send(to="Ana@Example.org") is None


def test_digest_holds_the_message_without_sending_it(ana, django_capture_on_commit_callbacks):
    preferences_save(user=ana, choices={"data_reviewed": Delivery.DIGEST})
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        email = email_enqueue_message(
            to=ana.email, subject="Reviewed", body_text="B", kind="data_reviewed", dedupe_key="k"
        )
    assert email is not None and email.status == EmailStatus.HELD
    assert callbacks == []  # no task queued
    assert mail.outbox == []
    # Held as written: the digest adds its own unsubscribe link, not this one's.
    assert email.headers == {}
    assert "unsubscribe" not in email.body_text.lower()
    OutboundEmail.objects.filter(pk=email.pk).update(created_at=email.created_at.replace(year=2020))
    assert requeue_stale_emails() == 0
    assert _send(kind="data_reviewed", key="k") is None  # still deduplicated


def test_a_rendered_template_is_held_too(ana, tenant_a):
    """email_enqueue (templates) goes through the same place."""
    preferences_save(user=tenant_a.lead, choices={"data_reminder": Delivery.DIGEST})
    email = email_enqueue(
        to=tenant_a.lead.email,
        template="weekly_digest",
        context={"recipient": tenant_a.lead, "sections": [], "count": 0},
        kind="data_reminder",
        notice_url="/",
    )
    assert email.status == EmailStatus.HELD


def test_preferences_save_refuses_kinds_that_cannot_be_turned_off(ana):
    with pytest.raises(ValueError):
        preferences_save(user=ana, choices={ACCOUNT: Delivery.OFF})
    with pytest.raises(ValueError):
        preferences_save(user=ana, choices={"pdsa_comment": "sometimes"})
    assert not NotificationPreference.objects.exists()


def _enqueue_calls_without_kind(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    missing = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        producer = name in {"email_enqueue", "email_enqueue_message"}
        if producer and not any(keyword.arg == "kind" for keyword in node.keywords):
            missing.append(f"{path}:{node.lineno}")
    return missing


def test_every_producer_of_email_says_its_kind():
    """A new producer that forgets `kind=` would escape people's preferences and the
    unsubscribe link: every call in the product names one."""
    root = Path(settings.BASE_DIR)
    skip = {"tests", "scripts", ".venv", "node_modules", "benchmarks"}
    calls = []
    packages = [d for d in root.iterdir() if (d / "__init__.py").exists() and d.name not in skip]
    assert {"core", "accounts", "teams", "measures", "pdsa"} <= {d.name for d in packages}
    for package in packages:
        for path in package.rglob("*.py"):
            calls += _enqueue_calls_without_kind(path)
    assert calls == []
