"""The outbound e-mail queue: rendered, stored, sent once by a task, retried, swept."""

from datetime import timedelta

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.utils import timezone

from core.emails import email_enqueue_message
from core.models import EmailStatus, OutboundEmail
from core.tasks import MAX_EMAIL_ATTEMPTS, requeue_stale_emails, send_outbound_email

pytestmark = pytest.mark.django_db


def test_enqueued_email_is_sent_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = email_enqueue_message(
            to="lead@example.org", subject="Hello", body_text="Plain", body_html="<p>Rich</p>"
        )
    # Nothing is sent before the transaction commits.
    assert len(mail.outbox) == 0
    assert len(callbacks) == 1
    callbacks[0]()
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert email.attempts == 1
    assert mail.outbox[0].alternatives[0].content == "<p>Rich</p>"


def test_sending_twice_sends_once():
    email = OutboundEmail.objects.create(to_email="a@example.org", subject="S", body_text="B")
    assert send_outbound_email.apply(args=[email.pk]).get() == EmailStatus.SENT
    assert send_outbound_email.apply(args=[email.pk]).get() == EmailStatus.SENT
    assert len(mail.outbox) == 1


def test_dedupe_key_makes_producers_idempotent():
    first = email_enqueue_message(to="a@example.org", subject="S", body_text="B", dedupe_key="k1")
    second = email_enqueue_message(to="a@example.org", subject="S", body_text="B", dedupe_key="k1")
    assert first is not None
    assert second is None
    assert OutboundEmail.objects.count() == 1


def test_transport_failure_is_retried_then_marked_failed(monkeypatch):
    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError("SMTP server refused")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    email = OutboundEmail.objects.create(to_email="a@example.org", subject="S", body_text="B")

    with pytest.raises(Retry):
        send_outbound_email.apply(args=[email.pk], throw=True)
    email.refresh_from_db()
    # Back in the queue for the retry, with the reason kept for staff.
    assert (email.status, email.attempts) == (EmailStatus.QUEUED, 1)
    assert "SMTP server refused" in email.last_error

    OutboundEmail.objects.filter(pk=email.pk).update(attempts=MAX_EMAIL_ATTEMPTS - 1)
    send_outbound_email.apply(args=[email.pk], throw=True)
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.FAILED, MAX_EMAIL_ATTEMPTS)


def test_sweeper_requeues_lost_emails():
    old = timezone.now() - timedelta(minutes=30)
    lost = OutboundEmail.objects.create(to_email="a@example.org", subject="S", body_text="B")
    stuck = OutboundEmail.objects.create(
        to_email="b@example.org", subject="S", body_text="B", status=EmailStatus.SENDING
    )
    OutboundEmail.objects.filter(pk=lost.pk).update(created_at=old)
    OutboundEmail.objects.filter(pk=stuck.pk).update(created_at=old, claimed_at=old)
    fresh = OutboundEmail.objects.create(to_email="c@example.org", subject="S", body_text="B")

    assert requeue_stale_emails() == 2
    lost.refresh_from_db()
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.status == stuck.status == EmailStatus.SENT
    assert fresh.status == EmailStatus.QUEUED


def test_sweeper_windows_are_settings_and_a_reclaimed_claim_is_sent_at_once(settings):
    """A worker killed mid-send leaves its row "sending": after OUTBOX_RECLAIM_AFTER it
    is sent again, even when that is shorter than OUTBOX_RESEND_AFTER."""
    settings.OUTBOX_RECLAIM_AFTER = 60
    settings.OUTBOX_RESEND_AFTER = 600
    two_minutes_ago = timezone.now() - timedelta(minutes=2)
    stuck = OutboundEmail.objects.create(
        to_email="b@example.org", subject="S", body_text="B", status=EmailStatus.SENDING
    )
    OutboundEmail.objects.filter(pk=stuck.pk).update(
        created_at=two_minutes_ago, claimed_at=two_minutes_ago
    )
    waiting = OutboundEmail.objects.create(to_email="c@example.org", subject="S", body_text="B")
    OutboundEmail.objects.filter(pk=waiting.pk).update(created_at=two_minutes_ago)

    assert requeue_stale_emails() == 1
    stuck.refresh_from_db()
    waiting.refresh_from_db()
    assert (stuck.status, stuck.attempts) == (EmailStatus.SENT, 1)
    assert waiting.status == EmailStatus.QUEUED  # not yet OUTBOX_RESEND_AFTER old


def test_a_broker_outage_does_not_break_the_saved_change(
    monkeypatch, caplog, django_capture_on_commit_callbacks
):
    """robust on_commit: the request succeeds, the e-mail stays queued for the sweeper."""

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(send_outbound_email, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        email = email_enqueue_message(to="a@example.org", subject="S", body_text="B")
    email.refresh_from_db()
    assert email.status == EmailStatus.QUEUED
    assert "broker unreachable" in caplog.text


def test_every_task_beat_schedules_can_be_queued(settings):
    """Celery refuses to queue a task whose soft time limit exceeds its hard one (the
    project's default soft limit applies when a task sets only a hard one): beat
    would then never run it. The fault drill found the outbox sweeper in that state."""
    import importlib

    from config.celery import app

    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        importlib.import_module(entry["task"].rsplit(".", 1)[0])  # registers it
        task = app.tasks[entry["task"]]
        soft, hard = task.soft_time_limit, task.time_limit
        assert not (soft and hard and soft > hard), f"{name}: soft limit {soft} > hard {hard}"


def test_the_sweeper_can_be_queued_as_beat_queues_it():
    assert requeue_stale_emails.apply_async().get() == 0
