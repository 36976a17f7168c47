"""Start and stop a real Celery worker (and beat) process for integration tests.

The worker runs the project's Celery app (config.settings) on the test database
and the real Redis, consuming only a private queue, and writes e-mails to a
folder through Django's file-based backend so that tests can read them. Beat runs
the project's CELERY_BEAT_SCHEDULE, publishing to the same private queue; settings
read from the environment (e.g. LEARNING_REMINDERS_EVERY) shorten its intervals.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import require_services

ROOT = Path(__file__).resolve().parents[1]

#: Worker start-up (Django set-up, broker connection) can take a while on a busy machine.
WORKER_TIMEOUT = 60


def redis_url_or_skip() -> str:
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        if require_services():
            pytest.fail("TEST_REDIS_URL is not set but REQUIRE_SERVICES=1")
        pytest.skip("no Redis: run through `make test` with Redis running")
    return url


def database_url_or_skip() -> str:
    db = settings.DATABASES["default"]
    if not db["ENGINE"].endswith("postgresql"):
        pytest.skip("the worker needs a database it can share: PostgreSQL")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def _environment(*, redis_url: str, queue: str, mail_dir: Path, extra: dict | None) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "worker-test-key",
        "DATABASE_URL": database_url_or_skip(),
        "REDIS_URL": redis_url,
        "CELERY_QUEUE": queue,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "CONN_MAX_AGE": "0",
        **(extra or {}),
    }


def _spawn(command: list[str], env: dict, log: Path | None) -> subprocess.Popen:
    """Start `command`; its output goes to a pipe, or to `log` for a chatty process
    (a full pipe would block it)."""
    out = log.open("w") if log else subprocess.PIPE
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, text=True
    )
    process.log_path = log
    if log:
        out.close()  # the child has its own copy
    return process


def start_worker(
    *,
    redis_url: str,
    queue: str,
    mail_dir: Path,
    env: dict | None = None,
    log: Path | None = None,
) -> subprocess.Popen:
    """A worker consuming `queue`; `env` adds or overrides environment settings."""
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-Q", queue,
        "--without-heartbeat", "--without-mingle", "--without-gossip", "-l", "info",
    ]  # fmt: skip
    environment = _environment(redis_url=redis_url, queue=queue, mail_dir=mail_dir, extra=env)
    return _spawn(command, environment, log)


def start_beat(
    *,
    redis_url: str,
    queue: str,
    mail_dir: Path,
    state_dir: Path,
    env: dict | None = None,
    log: Path | None = None,
) -> subprocess.Popen:
    """Celery beat publishing the project's schedule to `queue` (its state in `state_dir`)."""
    command = [
        sys.executable, "-m", "celery", "-A", "config", "beat", "-l", "info",
        "--schedule", str(state_dir / "beat-schedule"), "--max-interval", "1",
    ]  # fmt: skip
    environment = _environment(redis_url=redis_url, queue=queue, mail_dir=mail_dir, extra=env)
    return _spawn(command, environment, log)


def _output(process: subprocess.Popen, output: str | None) -> str:
    log = getattr(process, "log_path", None)
    return output or (log.read_text() if log else "")


def kill_worker(worker: subprocess.Popen) -> str:
    """Kill the process outright (SIGKILL: no warm shutdown, nothing acknowledged or
    handed back) and return what it printed."""
    worker.kill()
    output, _ = worker.communicate()
    return _output(worker, output)


def stop_worker(worker: subprocess.Popen) -> str:
    """Stop the worker and return what it printed (for assertion messages)."""
    worker.terminate()
    try:
        output, _ = worker.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        output, _ = worker.communicate()
    return _output(worker, output)
