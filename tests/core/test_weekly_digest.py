"""The weekly digest: one e-mail per person with everything held, never sent twice."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from core import clock
from core.digest import digest_week, digests_send
from core.emails import email_enqueue_message
from core.models import Delivery, EmailStatus, OutboundEmail
from core.notifications import preferences_save
from core.tasks import send_weekly_digests
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


_capture = None


@pytest.fixture(autouse=True)
def _commit(django_capture_on_commit_callbacks):
    """Run the after-commit sending as a real commit would (tasks are eager in tests)."""
    global _capture
    _capture = django_capture_on_commit_callbacks
    yield
    _capture = None


def _digests() -> int:
    with _capture(execute=True):
        return digests_send(now=clock.now())


@pytest.fixture
def ana():
    user = UserFactory(email="ana@example.org", full_name="Ana Lee")
    preferences_save(
        user=user,
        choices={"pdsa_comment": Delivery.DIGEST, "data_reminder": Delivery.DIGEST},
    )
    return user


@pytest.fixture
def bo():
    user = UserFactory(email="bo@example.org", full_name="Bo Chen")
    preferences_save(user=user, choices={"pdsa_comment": Delivery.DIGEST})
    return user


def _hold(to: str, kind: str, subject: str, body: str = "Body") -> OutboundEmail:
    email = email_enqueue_message(to=to, subject=subject, body_text=body, kind=kind)
    assert email.status == EmailStatus.HELD
    return email


def test_one_digest_per_person_with_every_held_message_grouped_by_kind(ana, bo):
    first = _hold(
        ana.email, "pdsa_comment", "Cy commented on “Huddles”", "Read: https://qi.example/c/1"
    )
    second = _hold(ana.email, "data_reminder", "October data is due in 7 days")
    third = _hold(ana.email, "pdsa_comment", "Di commented on “Triage <b>”")
    _hold(bo.email, "pdsa_comment", "Cy commented on “Huddles”")

    with _capture(execute=True):
        assert send_weekly_digests.apply().get() == 2
    assert len(mail.outbox) == 2
    to_ana = next(m for m in mail.outbox if m.to == [ana.email])
    assert to_ana.subject == "Your weekly digest: 3 notices"
    body = to_ana.body
    # Grouped by kind, in the order of the settings page (data reminders first).
    assert body.index("== Monthly data reminders (1) ==") < body.index(
        "== Comments on PDSA cycles (2) =="
    )
    assert body.index("Cy commented") < body.index("Di commented")
    assert "Read: https://qi.example/c/1" in body
    html = to_ana.alternatives[0].content
    assert "Triage &lt;b&gt;" in html and "Triage <b>" not in html  # escaped
    assert '<a href="https://qi.example/c/1"' in html
    # The digest has its own one-click unsubscribe, which stops the digest.
    assert to_ana.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Stop the weekly digest: " in body

    digest = OutboundEmail.objects.get(to_email=ana.email, kind="digest")
    assert digest.dedupe_key == f"digest:{ana.public_id}:{digest_week(clock.now())}"
    for held in (first, second, third):
        held.refresh_from_db()
        assert (held.status, held.digest) == (EmailStatus.DIGESTED, digest)


def test_running_twice_sends_nothing_twice(ana):
    _hold(ana.email, "pdsa_comment", "Cy commented")
    assert _digests() == 1
    assert _digests() == 0
    assert len(mail.outbox) == 1


def test_a_message_held_after_this_weeks_digest_waits_for_next_week(ana):
    _hold(ana.email, "pdsa_comment", "Cy commented")
    assert _digests() == 1
    late = _hold(ana.email, "pdsa_comment", "Di commented")
    # Beat runs again the same week (a redelivered task, a restart): the week's key is used.
    assert _digests() == 0
    late.refresh_from_db()
    assert late.status == EmailStatus.HELD
    with time_machine.travel(clock.now() + timedelta(days=7), tick=False):
        assert _digests() == 1
    late.refresh_from_db()
    assert late.status == EmailStatus.DIGESTED
    assert len(mail.outbox) == 2
    assert "Di commented" in mail.outbox[1].body and "Cy commented" not in mail.outbox[1].body


def test_nothing_held_nothing_sent(ana):
    email_enqueue_message(to=ana.email, subject="Sent now", body_text="B", kind="data_reviewed")
    mail.outbox.clear()
    assert _digests() == 0
    assert mail.outbox == []
    assert not OutboundEmail.objects.filter(kind="digest").exists()


def test_a_deactivated_person_gets_no_digest(ana):
    _hold(ana.email, "pdsa_comment", "Cy commented")
    ana.is_active = False
    ana.save()
    assert _digests() == 0
    assert mail.outbox == []


def test_the_digest_week_follows_the_iso_calendar():
    assert digest_week(datetime(2026, 11, 20, 12, tzinfo=UTC)) == "2026-W47"
    # New Year's Day 2027 is a Friday: still the last ISO week of 2026, one key for the week.
    assert digest_week(datetime(2027, 1, 1, tzinfo=UTC)) == "2026-W53"
    assert digest_week(datetime(2026, 12, 28, tzinfo=UTC)) == "2026-W53"


def test_the_management_command_replays_the_task(ana):
    _hold(ana.email, "pdsa_comment", "Cy commented")
    with _capture(execute=True):
        call_command("send_weekly_digests")
        call_command("send_weekly_digests")
    assert len(mail.outbox) == 1
