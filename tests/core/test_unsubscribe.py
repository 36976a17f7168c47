"""One-click unsubscribe (RFC 8058): a signed link per person and kind, no sign-in; GET
only asks, POST turns off; the mail provider's one-click POST needs no CSRF token."""

import re

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from core.emails import email_enqueue_message
from core.models import AuditEvent, Delivery, EmailStatus, NotificationPreference
from core.notifications import UNSUBSCRIBE_SALT, preferences_of, preferences_save, unsubscribe_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ONE_CLICK = {"List-Unsubscribe": "One-Click"}


@pytest.fixture
def ana():
    return UserFactory(email="ana@example.org", full_name="Ana Lee")


@pytest.fixture
def bo():
    return UserFactory(email="bo@example.org", full_name="Bo Chen")


def _url(token: str) -> str:
    return reverse("unsubscribe", kwargs={"token": token})


def _link(user, kind="session_reminder") -> str:
    return _url(unsubscribe_token(user, kind))


def test_the_link_in_a_sent_email_unsubscribes_with_one_post_and_no_session(
    ana, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        email_enqueue_message(
            to=ana.email, subject="Session in 7 days", body_text="B", kind="session_reminder"
        )
    header = mail.outbox[0].extra_headers["List-Unsubscribe"]
    path = re.fullmatch(r"<https?://[^/]+(/unsubscribe/[^>]+/)>", header).group(1)
    assert path in mail.outbox[0].body  # the visible link is the same one

    # What a mail provider sends (RFC 8058 3.2): no cookie, no CSRF token, a form body.
    provider = Client(enforce_csrf_checks=True)
    response = provider.post(path, ONE_CLICK)
    assert response.status_code == 200
    assert "Location" not in response  # never a redirect (RFC 8058 3.1)
    assert "You are unsubscribed" in response.content.decode()
    assert preferences_of(ana)["session_reminder"] == Delivery.OFF

    # The next reminder of that kind is not sent; other kinds still are.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            email_enqueue_message(
                to=ana.email, subject="Session tomorrow", body_text="B", kind="session_reminder"
            )
            is None
        )
        email_enqueue_message(to=ana.email, subject="Data due", body_text="B", kind="data_reminder")
    assert [m.subject for m in mail.outbox] == ["Data due"]


def test_the_one_click_post_may_be_urlencoded_too(ana):
    response = Client(enforce_csrf_checks=True).post(
        _link(ana), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert preferences_of(ana)["session_reminder"] == Delivery.OFF


def test_get_only_asks_and_changes_nothing(ana):
    """Link scanners and mail previews fetch links: a GET must never unsubscribe."""
    response = Client().get(_link(ana))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Turn off “Learning session reminders” e-mails?" in page
    assert 'method="post"' in page and "Turn these e-mails off" in page
    assert "a***@example.org" in page and "ana@example.org" not in page
    assert not NotificationPreference.objects.exists()
    assert not AuditEvent.objects.filter(verb="notification_preference.changed").exists()
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_confirmation_button_works_signed_out_with_its_csrf_token(ana):
    browser = Client(enforce_csrf_checks=True)
    url = _link(ana)
    browser.get(url)
    token = browser.cookies["csrftoken"].value
    response = browser.post(url, {"confirm": "yes", "csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert "You will no longer receive “Learning session reminders” e-mails" in (
        response.content.decode()
    )
    assert reverse("accounts:notifications") in response.content.decode()
    assert preferences_of(ana)["session_reminder"] == Delivery.OFF
    event = AuditEvent.objects.get(verb="notification_preference.changed")
    assert event.data == {
        "changes": {"session_reminder": "off"},
        "via": "unsubscribe link (session_reminder)",
    }
    assert event.actor is None and event.program is None


def test_a_post_without_the_one_click_body_needs_a_csrf_token(ana):
    """Only the RFC 8058 body is exempt: another page cannot post a form at the link."""
    response = Client(enforce_csrf_checks=True).post(_link(ana), {"confirm": "yes"})
    assert response.status_code == 403
    response = Client(enforce_csrf_checks=True).post(_link(ana), {"List-Unsubscribe": "yes"})
    assert response.status_code == 403
    assert not NotificationPreference.objects.exists()


def test_posting_twice_is_harmless(ana):
    client = Client(enforce_csrf_checks=True)
    assert client.post(_link(ana), ONE_CLICK).status_code == 200
    assert client.post(_link(ana), ONE_CLICK).status_code == 200
    assert AuditEvent.objects.filter(verb="notification_preference.changed").count() == 1
    assert "already off" in Client().get(_link(ana)).content.decode()


def _forgeries(ana, bo) -> dict[str, str]:
    genuine = unsubscribe_token(ana, "session_reminder")
    payload, signature = genuine.rsplit(":", 1)
    other = unsubscribe_token(bo, "data_reminder")
    return {
        "garbage": "not-a-token",
        "one character changed": genuine[:-1] + ("A" if genuine[-1] != "A" else "B"),
        "bo's payload with ana's signature": other.rsplit(":", 1)[0] + ":" + signature,
        "another kind, unsigned": signing.Signer(salt="x").sign_object(
            {"u": str(ana.public_id), "k": "pdsa_comment"}
        ),
        "another salt (a session's signature)": signing.Signer().sign_object(
            {"u": str(ana.public_id), "k": "session_reminder"}
        ),
        "a timestamped signature of the right salt": signing.dumps(
            {"u": str(bo.public_id), "k": "session_reminder"}, salt=UNSUBSCRIBE_SALT + "-other"
        ),
        "a kind that cannot be turned off": unsubscribe_token(ana, "account"),
        "a kind nobody registered": unsubscribe_token(ana, "marketing"),
    }


@pytest.mark.parametrize(
    "name",
    [
        "garbage",
        "one character changed",
        "bo's payload with ana's signature",
        "another kind, unsigned",
        "another salt (a session's signature)",
        "a timestamped signature of the right salt",
        "a kind that cannot be turned off",
        "a kind nobody registered",
    ],
)
def test_a_forged_or_tampered_token_is_refused(name, ana, bo):
    url = _url(_forgeries(ana, bo)[name])
    response = Client().get(url)
    assert response.status_code == 404
    assert "This unsubscribe link is not valid" in response.content.decode()
    assert Client(enforce_csrf_checks=True).post(url, ONE_CLICK).status_code == 404
    assert not NotificationPreference.objects.exists()


def test_a_token_only_ever_changes_its_own_person_and_kind(ana, bo):
    Client().post(_link(ana, "pdsa_comment"), ONE_CLICK)
    assert preferences_of(ana)["pdsa_comment"] == Delivery.OFF
    assert preferences_of(ana)["session_reminder"] == Delivery.IMMEDIATELY
    assert preferences_of(bo)["pdsa_comment"] == Delivery.IMMEDIATELY


def test_a_deactivated_persons_link_is_refused(ana):
    url = _link(ana)
    ana.is_active = False
    ana.save()
    assert Client().get(url).status_code == 404


def test_the_digest_link_stops_the_digest_and_only_the_digest(ana):
    preferences_save(
        user=ana,
        choices={"pdsa_comment": Delivery.DIGEST, "data_reminder": Delivery.DIGEST},
    )
    url = _link(ana, "digest")
    page = Client().get(url).content.decode()
    assert "Stop the weekly digest?" in page
    assert "Comments on PDSA cycles" in page and "Monthly data reminders" in page
    assert Client().post(url, ONE_CLICK).status_code == 200
    prefs = preferences_of(ana)
    assert prefs["pdsa_comment"] == prefs["data_reminder"] == Delivery.OFF
    assert prefs["session_reminder"] == Delivery.IMMEDIATELY
    assert "No weekly digest is being sent" in Client().get(url).content.decode()


def test_the_held_messages_are_unaffected_by_a_later_unsubscribe(ana):
    """What was already held still goes out in the digest: it was queued under the old
    choice; only new messages follow the new one."""
    preferences_save(user=ana, choices={"pdsa_comment": Delivery.DIGEST})
    held = email_enqueue_message(to=ana.email, subject="S", body_text="B", kind="pdsa_comment")
    Client().post(_link(ana, "pdsa_comment"), ONE_CLICK)
    held.refresh_from_db()
    assert held.status == EmailStatus.HELD
