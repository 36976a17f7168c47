"""A program's outbox page: what was e-mailed to whom, failures, sending again."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEvent, EmailStatus, OutboundEmail
from tests.conftest import PRIVATE_MARKER
from tests.core.tenant_builder import failed_email

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _a_failure(tenant_a):
    """Tenant A's failed e-mail (tenant B's comes from the tenant builder)."""
    return failed_email(tenant_a)


def _outbox(tenant) -> str:
    return reverse("accounts:outbox", kwargs={"program_id": tenant.program.public_id})


def _retry(tenant, email) -> str:
    return reverse(
        "accounts:outbox_retry",
        kwargs={"program_id": tenant.program.public_id, "email_id": email.public_id},
    )


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _email(tenant, **fields) -> OutboundEmail:
    defaults = {
        "program": tenant.program,
        "to_email": tenant.member.email,
        "subject": "Session tomorrow",
        "body_text": "Body",
        "kind": "session_reminder",
        "status": EmailStatus.SENT,
    }
    return OutboundEmail.objects.create(**(defaults | fields))


def _failed(tenant) -> OutboundEmail:
    """The failed e-mail of the tenant (tests/core/tenant_builder.py)."""
    return OutboundEmail.objects.get(program=tenant.program, status=EmailStatus.FAILED)


@pytest.mark.parametrize("persona", ["staff", "admin"])
def test_program_staff_see_what_was_sent_and_what_failed(persona, tenant_a, tenant_b):
    _email(tenant_a, subject="Recording posted <b>now</b>", kind="session_recording")
    page = _client(getattr(tenant_a, persona)).get(_outbox(tenant_a)).content.decode()
    assert "Alpha Program data reminder" in page
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in page
    assert "Monthly data reminders" in page  # the kind in words
    assert "Recording posted &lt;b&gt;now&lt;/b&gt;" in page  # escaped
    assert "Send again" in page
    assert tenant_a.member.email in page
    assert "Please submit" not in page  # bodies are not shown
    assert PRIVATE_MARKER not in page  # nothing of the other program


@pytest.mark.parametrize("persona", ["coach", "lead", "member"])
def test_everyone_else_in_the_program_gets_404(persona, tenant_a):
    client = _client(getattr(tenant_a, persona))
    assert client.get(_outbox(tenant_a)).status_code == 404
    assert client.post(_retry(tenant_a, _failed(tenant_a))).status_code == 404
    assert _failed(tenant_a).attempts == 5


def test_staff_of_another_program_get_404_and_change_nothing(tenant_a, tenant_b):
    client = _client(tenant_a.staff)
    assert client.get(_outbox(tenant_b)).status_code == 404
    assert client.post(_retry(tenant_b, _failed(tenant_b))).status_code == 404
    # Their own program's URL with the other program's e-mail: 404 as well.
    mixed = reverse(
        "accounts:outbox_retry",
        kwargs={"program_id": tenant_a.program.public_id, "email_id": _failed(tenant_b).public_id},
    )
    assert client.post(mixed).status_code == 404
    assert _failed(tenant_b).status == EmailStatus.FAILED
    assert not AuditEvent.objects.filter(verb="outbound_email.retried").exists()


def test_signed_out_visitors_are_sent_to_sign_in(tenant_a):
    response = Client().get(_outbox(tenant_a))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_retry_queues_the_failed_email_again_and_audits_it(
    tenant_a, django_capture_on_commit_callbacks
):
    email = _failed(tenant_a)
    client = _client(tenant_a.staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _retry(tenant_a, email), {"status": "failed", "kind": "data_reminder"}
        )
    assert response.status_code == 302
    assert response["Location"] == _outbox(tenant_a) + "?status=failed&kind=data_reminder"
    email.refresh_from_db()
    # Sent through the usual task, with a fresh set of attempts.
    assert (email.status, email.attempts, email.last_error) == (EmailStatus.SENT, 1, "")
    event = AuditEvent.objects.get(verb="outbound_email.retried")
    assert event.program == tenant_a.program and event.actor == tenant_a.staff
    assert event.target_id == str(email.public_id)
    assert "SMTPServerDisconnected" in event.data["error"]
    page = client.get(response["Location"]).content.decode()
    assert f"The e-mail to {email.to_email} is queued to be sent again." in page


def test_only_a_failed_email_can_be_sent_again(tenant_a):
    sent = _email(tenant_a)
    client = _client(tenant_a.staff)
    response = client.post(_retry(tenant_a, sent), follow=True)
    assert "Only a failed e-mail can be sent again; this one is sent." in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == EmailStatus.SENT and sent.attempts == 0
    assert not AuditEvent.objects.filter(verb="outbound_email.retried").exists()


def test_retry_is_a_post_with_a_csrf_token(tenant_a):
    email = _failed(tenant_a)
    assert _client(tenant_a.staff).get(_retry(tenant_a, email)).status_code == 405
    client = Client(enforce_csrf_checks=True)
    client.force_login(tenant_a.staff)
    assert client.post(_retry(tenant_a, email)).status_code == 403
    assert _failed(tenant_a).attempts == 5


def test_filters_by_status_and_kind(tenant_a):
    _email(tenant_a, subject="A reminder that went out")
    _email(tenant_a, subject="A recording notice", kind="session_recording")
    _email(tenant_a, subject="Turned off", status=EmailStatus.SUPPRESSED)
    client = _client(tenant_a.staff)
    page = client.get(_outbox(tenant_a), {"status": "failed"}).content.decode()
    assert "Alpha Program data reminder" in page and "A reminder that went out" not in page
    page = client.get(_outbox(tenant_a), {"kind": "session_recording"}).content.decode()
    assert "A recording notice" in page and "A reminder that went out" not in page
    page = client.get(_outbox(tenant_a), {"status": "suppressed"}).content.decode()
    assert "Turned off" in page and "Not sent (turned off)" in page
    page = client.get(
        _outbox(tenant_a), {"status": "sent", "kind": "pdsa_comment"}
    ).content.decode()
    assert "No e-mail matches these filters." in page


def test_a_bad_filter_is_said(tenant_a):
    response = _client(tenant_a.staff).get(_outbox(tenant_a), {"status": "exploded"})
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()


def test_pages_of_fifty_newest_first_keep_the_filters(tenant_a):
    for n in range(55):
        email = _email(tenant_a, subject=f"Reminder {n:02d}")
        OutboundEmail.objects.filter(pk=email.pk).update(
            created_at=email.created_at - timedelta(minutes=60 - n)
        )
    client = _client(tenant_a.staff)
    first = client.get(_outbox(tenant_a), {"status": "sent"}).content.decode()
    assert first.count("<tr>") == 51  # header row and 50 e-mails
    assert first.index("Reminder 54") < first.index("Reminder 10")
    assert "Reminder 04" not in first
    assert "?page=2&amp;status=sent" in first and "Older e-mails" in first
    second = client.get(_outbox(tenant_a), {"status": "sent", "page": 2}).content.decode()
    assert "Reminder 04" in second and "Reminder 54" not in second
    assert "Newer e-mails" in second
    # A page past the end shows the last page rather than an error.
    assert (
        "Reminder 04"
        in client.get(_outbox(tenant_a), {"status": "sent", "page": 99}).content.decode()
    )


def test_a_message_sent_in_a_digest_says_so(tenant_a):
    digest = OutboundEmail.objects.create(
        to_email=tenant_a.member.email,
        subject="Your weekly digest",
        body_text="B",
        kind="digest",
        status=EmailStatus.SENT,
    )
    _email(tenant_a, subject="Held notice", status=EmailStatus.DIGESTED, digest=digest)
    page = _client(tenant_a.staff).get(_outbox(tenant_a)).content.decode()
    assert "Sent in the weekly digest" in page
    assert "Your weekly digest" not in page  # the digest itself is nobody's program's


def test_the_audit_log_links_to_the_outbox(tenant_a):
    url = reverse("accounts:audit_log", kwargs={"program_id": tenant_a.program.public_id})
    assert _outbox(tenant_a) in _client(tenant_a.staff).get(url).content.decode()


def test_the_page_reads_the_same_number_of_queries_for_5_or_50_rows(
    tenant_a, django_assert_num_queries
):
    client = _client(tenant_a.staff)
    digest = OutboundEmail.objects.create(
        to_email=tenant_a.member.email, subject="Digest", body_text="B", kind="digest"
    )
    for n in range(4):
        _email(tenant_a, subject=f"Few {n}", status=EmailStatus.DIGESTED, digest=digest)
    client.get(_outbox(tenant_a))  # warm the session and role caches
    with CaptureQueriesContext(connection) as few:
        client.get(_outbox(tenant_a))
    for n in range(50):
        _email(tenant_a, subject=f"Many {n}", status=EmailStatus.DIGESTED, digest=digest)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(_outbox(tenant_a))
    assert response.content.decode().count("<strong>Sent in the weekly digest</strong>") == 50
