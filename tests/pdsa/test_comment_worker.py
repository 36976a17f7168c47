"""A coach comments and the team is e-mailed by a real Celery worker.

The whole path: the service commits the comment and its OutboundEmail rows, the
on-commit hook publishes the task to the real Redis broker, a separate worker
process (the project's Celery app, on the test database) consumes it, claims
the row and sends the message through a file-based e-mail backend.
"""

import time
import uuid
from pathlib import Path

import pytest
from django.db import transaction

from config.celery import app as celery_app
from core.models import EmailStatus, OutboundEmail
from pdsa import services
from pdsa.models import Stage
from tests.celery_worker import WORKER_TIMEOUT, redis_url_or_skip, start_worker, stop_worker

from .helpers import make_cycle, make_idea

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def celery_on_redis():
    """Publish tasks to a private queue on the real broker for this test only."""
    redis_url = redis_url_or_skip()
    queue = f"test-pdsa-{uuid.uuid4().hex[:8]}"
    saved = {
        key: celery_app.conf[key]
        for key in ("task_always_eager", "broker_url", "task_default_queue")
    }
    celery_app.conf.update(task_always_eager=False, broker_url=redis_url, task_default_queue=queue)
    _forget_connections()
    yield redis_url, queue
    celery_app.conf.update(saved)
    _forget_connections()


def _forget_connections() -> None:
    """Make the app open new broker connections and routes with the current settings.

    Celery caches the connection pool and, on `app.amqp`, the queues and the router
    built from the settings at first use; a new AMQP object routes `delay()` to this
    test's private queue.
    """
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
    celery_app._pool = None
    celery_app.__dict__.pop("amqp", None)


@pytest.mark.services
@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_coach_comment_is_emailed_to_the_member_by_a_real_worker(
    tenant_a, celery_on_redis, tmp_path
):
    redis_url, queue = celery_on_redis
    cycle = make_cycle(
        tenant_a.team, make_idea(tenant_a.team), author=tenant_a.member, stage=Stage.STUDY
    )
    worker = start_worker(redis_url=redis_url, queue=queue, mail_dir=tmp_path)
    try:
        with transaction.atomic():
            comment = services.comment_create(
                cycle=cycle,
                actor=tenant_a.coach,
                body="Nine of ten <b>in kg</b>: try the night shift next.",
                stage=Stage.STUDY,
                by_coach=True,
            )
        emails = OutboundEmail.objects.filter(
            dedupe_key__startswith=f"pdsa-comment:{comment.public_id}"
        )
        deadline = time.time() + WORKER_TIMEOUT
        while time.time() < deadline:
            # A fresh query each round: iterating `emails` itself would cache the first
            # statuses seen (QUEUED) and wait out the whole timeout.
            if emails.exists() and not emails.exclude(status=EmailStatus.SENT).exists():
                break
            assert worker.poll() is None, "worker exited early"
            time.sleep(0.5)
    finally:
        output = stop_worker(worker)
    statuses = dict(emails.values_list("to_email", "status"))
    assert statuses == {
        tenant_a.member.email: EmailStatus.SENT,
        tenant_a.lead.email: EmailStatus.SENT,
    }, output[-3000:]
    sent = "\n".join(path.read_text() for path in tmp_path.iterdir())
    assert f"To: {tenant_a.member.email}" in sent
    assert "Nine of ten <b>in kg</b>: try the night shift next." in sent  # plain-text part
    assert "Nine of ten &lt;b&gt;in kg&lt;/b&gt;" in sent  # HTML part, escaped
    assert f"/pdsa/cycles/{cycle.public_id}/" in sent
    assert "succeeded" in output
