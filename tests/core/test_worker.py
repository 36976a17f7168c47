"""A task executed by a real Celery worker process against the real Redis broker.

The worker runs the project's Celery app with the test database, so this proves
the whole path: commit, publish to Redis, consume, claim the row, send, record.
"""

import time
import uuid

import pytest
from celery import Celery

from core.models import EmailStatus, OutboundEmail
from tests.celery_worker import WORKER_TIMEOUT, redis_url_or_skip, start_worker, stop_worker


@pytest.mark.services
@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_real_worker_sends_a_queued_email(tmp_path):
    from config.celery import app as project_app

    redis_url = redis_url_or_skip()
    queue = f"test-{uuid.uuid4().hex[:8]}"
    email = OutboundEmail.objects.create(
        to_email="lead@example.org", subject="Worker test", body_text="Sent by a real worker"
    )
    worker = start_worker(redis_url=redis_url, queue=queue, mail_dir=tmp_path)
    try:
        # A separate publishing app that must not become the current app: shared_task
        # proxies (core.tasks.send_outbound_email) would follow it in later tests.
        publisher = Celery(broker=redis_url, set_as_current=False)
        with publisher.connection_for_write() as connection:
            publisher.send_task(
                "core.tasks.send_outbound_email",
                args=[email.pk],
                queue=queue,
                connection=connection,
            )
        deadline = time.time() + WORKER_TIMEOUT
        while time.time() < deadline:
            email.refresh_from_db()
            if email.status == EmailStatus.SENT:
                break
            assert worker.poll() is None, "worker exited early"
            time.sleep(0.5)
    finally:
        output = stop_worker(worker)
    assert email.status == EmailStatus.SENT, output[-3000:]
    assert email.attempts == 1
    sent = list(tmp_path.iterdir())
    assert len(sent) == 1
    assert "Sent by a real worker" in sent[0].read_text()
    assert "succeeded" in output
    # The project's app is still the one shared tasks are bound to.
    from core.tasks import send_outbound_email

    assert send_outbound_email.app is project_app
