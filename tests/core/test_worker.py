"""A task executed by a real Celery worker process against the real Redis broker.

The worker runs the project's Celery app with the test database, so this proves
the whole path: commit, publish to Redis, consume, claim the row, send, record.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings

from core.models import EmailStatus, OutboundEmail
from tests.conftest import require_services

ROOT = Path(__file__).resolve().parents[2]


def _redis_url() -> str | None:
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        if require_services():
            pytest.fail("TEST_REDIS_URL is not set but REQUIRE_SERVICES=1")
        pytest.skip("no Redis: run through `make test` with Redis running")
    return url


def _database_url() -> str:
    db = settings.DATABASES["default"]
    if not db["ENGINE"].endswith("postgresql"):
        pytest.skip("the worker needs a database it can share: PostgreSQL")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


@pytest.mark.services
@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_real_worker_sends_a_queued_email(tmp_path):
    redis_url = _redis_url()
    queue = f"test-{uuid.uuid4().hex[:8]}"
    email = OutboundEmail.objects.create(
        to_email="lead@example.org", subject="Worker test", body_text="Sent by a real worker"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "worker-test-key",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_url,
        "CELERY_QUEUE": queue,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path),
        "CONN_MAX_AGE": "0",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
            "-l",
            "info",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        publisher = Celery(broker=redis_url)
        publisher.send_task("core.tasks.send_outbound_email", args=[email.pk], queue=queue)
        deadline = time.time() + 60
        while time.time() < deadline:
            email.refresh_from_db()
            if email.status == EmailStatus.SENT:
                break
            assert worker.poll() is None, "worker exited early"
            time.sleep(0.5)
    finally:
        worker.terminate()
        try:
            output, _ = worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
    assert email.status == EmailStatus.SENT, output[-3000:]
    assert email.attempts == 1
    sent = list(tmp_path.iterdir())
    assert len(sent) == 1
    assert "Sent by a real worker" in sent[0].read_text()
    assert "succeeded" in output
