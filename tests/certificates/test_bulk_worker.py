"""A bulk issue survives a worker killed mid-batch: a real Celery worker on the real
Redis and the test database renders ~30 certificates; it is killed with SIGKILL
(nothing acknowledged or handed back) part-way; staff resume the stalled run and a
second worker finishes it. Every claim ends with exactly one current, rendered
certificate, and the run's counters add up.

The killed worker's message stays unacknowledged in Redis until the visibility
timeout (an hour) and would then be delivered again: the run is finished by then and
the redelivered task returns at once (tests/certificates/test_bulk.py checks that).
"""

import time
import uuid
from datetime import timedelta

import pytest
from celery import Celery
from django.db import transaction

from certificates import bulk
from certificates.models import BulkIssue, BulkIssueStatus, Certificate, CertificateStatus
from core import clock
from tests.celery_worker import (
    WORKER_TIMEOUT,
    kill_worker,
    redis_url_or_skip,
    start_worker,
    stop_worker,
)

from .bulk_helpers import claims, offer

TASK = "certificates.tasks_bulk.issue_in_bulk"
CLAIMS = 30


def wait_for(condition, *, process, timeout=WORKER_TIMEOUT, step=0.05) -> bool:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return True
        assert process.poll() is None, "the worker exited early"
        time.sleep(step)
    return False


@pytest.mark.services
@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_bulk_issue_survives_a_killed_worker_without_duplicates(
    tenant_a, tmp_path, monkeypatch, settings
):
    redis_url = redis_url_or_skip()
    queue = f"test-bulk-{uuid.uuid4().hex[:8]}"
    made = claims(tenant_a, offer(tenant_a), [f"Learner {i:02}" for i in range(CLAIMS)])
    media = tmp_path / "media"
    settings.MEDIA_ROOT = str(media)
    common = {
        "redis_url": redis_url,
        "queue": queue,
        "mail_dir": tmp_path,
        "env": {"MEDIA_ROOT": str(media)},
    }
    publisher = Celery(broker=redis_url, set_as_current=False)

    def send(run_id: int) -> None:
        # This test process runs tasks eagerly; the run must go to the real worker.
        def publish() -> None:
            with publisher.connection_for_write() as connection:
                publisher.send_task(TASK, args=[run_id], queue=queue, connection=connection)

        transaction.on_commit(publish)

    monkeypatch.setattr(bulk, "enqueue_run", send)
    run = bulk.start_bulk_issue(collaborative=tenant_a.collaborative, actor=tenant_a.staff)
    ours = Certificate.objects.filter(bulk_issue=run)

    logs = []
    first = start_worker(**common, log=tmp_path / "worker-1.log")
    second = None
    try:
        assert wait_for(lambda: ours.count() >= 4, process=first), "the run did not start"
        logs.append(kill_worker(first))
        done_at_kill = ours.count()
        assert 0 < done_at_kill < CLAIMS, "the worker was not killed mid-batch"
        run.refresh_from_db()
        assert run.status == BulkIssueStatus.RUNNING and run.issued == done_at_kill

        # Staff see the run stalled and resume it. (The worker has the real clock, this
        # test the suite's fixed day: the run is made to look idle for an hour.)
        BulkIssue.objects.filter(pk=run.pk).update(progress_at=clock.now() - timedelta(hours=1))
        bulk.resume_bulk_issue(run=run, actor=tenant_a.staff)
        second = start_worker(**common, log=tmp_path / "worker-2.log")

        def finished() -> bool:
            return BulkIssue.objects.get(pk=run.pk).status == BulkIssueStatus.DONE

        assert wait_for(finished, process=second, timeout=2 * WORKER_TIMEOUT, step=0.2)
    finally:
        if first.poll() is None:
            logs.append(kill_worker(first))
        if second is not None:
            logs.append(stop_worker(second))
    output = "\n".join(logs)[-1500:]

    run.refresh_from_db()
    assert (run.total, run.issued, run.failed, run.skipped) == (CLAIMS, CLAIMS, 0, 0), (
        run.errors[:3],
        output,
    )
    assert run.errors == []
    for claim in made:
        current = Certificate.objects.filter(offer=claim.offer, user=claim.user, is_current=True)
        assert current.count() == 1, claim.user.full_name
        certificate = current.get()
        assert certificate.status == CertificateStatus.ISSUED and certificate.pdf
        assert (media / certificate.pdf.name).read_bytes().startswith(b"%PDF")
    assert Certificate.objects.filter(offer=made[0].offer).count() == CLAIMS
