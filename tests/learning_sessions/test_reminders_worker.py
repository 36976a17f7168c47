"""Reminders arrive exactly once from a real Celery worker and beat on the real Redis.

The scan task is delivered twice by hand and again by every beat tick (every 2 seconds
here); the first worker is killed with SIGKILL in the middle of the scan (nothing is
acknowledged or handed back: its message stays unacknowledged, as after a crash) and a
new worker takes over. Every recipient still gets every reminder exactly once, read
back from the e-mails the file backend wrote.

The worker has the real clock, not the suite's fixed one, so the events are placed
around the real current time (time-machine's escape hatch).
"""

import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from email import message_from_string
from email.header import decode_header, make_header

import pytest
import time_machine
from celery import Celery

from core.models import EmailStatus, OutboundEmail
from learning_sessions.models import (
    Attendance,
    AttendanceSource,
    EvaluationForm,
    EvaluationQuestion,
    Event,
    EventKind,
    QuestionKind,
    Registration,
    RegistrationStatus,
)
from learning_sessions.reminders import TEMPLATES
from tests.celery_worker import (
    WORKER_TIMEOUT,
    kill_worker,
    redis_url_or_skip,
    start_beat,
    start_worker,
    stop_worker,
)
from tests.factories import TeamMembershipFactory, UserFactory

from .conftest import make_event

SCAN = "learning_sessions.tasks.send_due_session_reminders"
#: People in the team; enough e-mails that the scan takes a moment to queue them all.
PEOPLE = 16


def real_now() -> datetime:
    return datetime.fromtimestamp(time_machine.escape_hatch.time.time(), UTC)


def build_calendar(tenant) -> dict[str, set[str]]:
    """Events around the real now, each with one reminder due; returns title -> who
    must get exactly one e-mail about it."""
    now = real_now()
    # A calendar of its own: the tenant's sample events (tests/learning_sessions/
    # tenant_builder.py) sit on the suite's fixed day, which the real clock has passed.
    Event.objects.filter(collaborative=tenant.collaborative).delete()
    people = [tenant.lead, tenant.member]
    for i in range(PEOPLE):
        person = UserFactory(email=f"person{i:02}@alpha.example")
        TeamMembershipFactory(team=tenant.team, user=person)
        people.append(person)
    long_ago = now - timedelta(days=30)

    def event(title, starts, ends, **extra):
        return make_event(tenant, title=title, starts_at=starts, ends_at=ends, **extra)

    tomorrow = event("Tomorrow's session", now + timedelta(hours=20), now + timedelta(hours=21))
    # Its 7-day reminder was missed (nobody ran for two days): sent late, once.
    next_week = event("Next week's chat", now + timedelta(days=5), now + timedelta(days=5, hours=1))
    module = event(
        "Module 2", now - timedelta(hours=1), now + timedelta(days=13), kind=EventKind.MODULE
    )
    past = event(
        "Yesterday's webinar",
        now - timedelta(hours=3),
        now - timedelta(hours=2),
        recording_url="https://video.example/yesterday",
        recording_posted_at=now - timedelta(minutes=30),
    )
    form, _ = EvaluationForm.objects.get_or_create(
        program=tenant.program, collaborative=tenant.collaborative
    )
    EvaluationQuestion.objects.create(
        program=tenant.program, form=form, kind=QuestionKind.RATING, prompt="Useful?"
    )
    for target, group in ((tomorrow, people[::2]), (next_week, people[1::2])):
        Registration.objects.bulk_create(
            Registration(
                program=tenant.program,
                event=target,
                user=person,
                status=RegistrationStatus.REGISTERED,
                created_at=long_ago,
            )
            for person in group
        )
    attendees = people[: PEOPLE // 2]
    Attendance.objects.bulk_create(
        Attendance(program=tenant.program, event=past, user=person, source=AttendanceSource.CODE)
        for person in attendees
    )
    emails = {person.email for person in people}
    return {
        tomorrow.title: {p.email for p in people[::2]},
        next_week.title: {p.email for p in people[1::2]},
        module.title: emails,
        # The recording notice and the evaluation reminder: two e-mails to each attendee.
        past.title: {p.email for p in attendees},
    }


def read_mail(folder) -> list[tuple[str, str]]:
    """(recipient, subject) of every message the file backend wrote."""
    found = []
    for path in folder.iterdir():
        for chunk in path.read_text().split("-" * 79):
            if chunk.strip():
                message = message_from_string(chunk.strip())
                subject = str(make_header(decode_header(message["Subject"])))
                found.append((message["To"], subject))
    return found


def scans_done(worker) -> int:
    """How many scans the worker finished (from its log)."""
    lines = worker.log_path.read_text().splitlines()
    return sum(1 for line in lines if f"{SCAN}[" in line and "succeeded" in line)


def wait_for(condition, *, processes, timeout=WORKER_TIMEOUT, step=0.05) -> bool:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return True
        for process in processes:
            assert process.poll() is None, "a Celery process exited early"
        time.sleep(step)
    return False


@pytest.mark.services
@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_each_reminder_arrives_exactly_once_through_duplicates_and_a_killed_worker(
    tenant_a, tmp_path
):
    redis_url = redis_url_or_skip()
    queue = f"test-reminders-{uuid.uuid4().hex[:8]}"
    expected = build_calendar(tenant_a)
    total = sum(len(v) for v in expected.values()) + len(expected["Yesterday's webinar"])
    ours = OutboundEmail.objects.filter(kind__in=list(TEMPLATES))
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    settings_env = {
        "LEARNING_REMINDERS_EVERY": "2",  # beat ticks every 2 seconds
        # The sweeper sends again what a killed worker committed but did not publish;
        # not so eagerly that duplicate send tasks flood the queue on a slow machine.
        "OUTBOX_SWEEP_EVERY": "5",
        "OUTBOX_RESEND_AFTER": "20",
        "OUTBOX_RECLAIM_AFTER": "20",
    }
    common = {"redis_url": redis_url, "queue": queue, "mail_dir": mail_dir, "env": settings_env}

    # The same task delivered twice before any worker runs.
    publisher = Celery(broker=redis_url, set_as_current=False)
    with publisher.connection_for_write() as connection:
        for _ in range(2):
            publisher.send_task(SCAN, queue=queue, connection=connection)

    logs = []
    first = start_worker(**common, log=tmp_path / "worker-1.log")
    beat = start_beat(**common, state_dir=tmp_path, log=tmp_path / "beat.log")
    second = None
    try:
        # Kill the first worker while its scan is queuing the e-mails.
        assert wait_for(lambda: ours.exists(), processes=[first, beat], step=0.02), "no scan"
        logs.append(kill_worker(first))
        queued_at_kill = ours.count()
        assert 0 < queued_at_kill < total, "the worker was not killed mid-scan"
        assert not ours.filter(status=EmailStatus.SENT).exists()  # it was still scanning

        second = start_worker(**common, log=tmp_path / "worker-2.log")

        def all_sent():
            return ours.filter(status=EmailStatus.SENT).count() >= total

        # Generous on a busy machine (start-up is most of it); about 15 s when idle.
        assert wait_for(all_sent, processes=[second, beat], timeout=2 * WORKER_TIMEOUT, step=0.5), (
            f"{ours.filter(status=EmailStatus.SENT).count()} of {total} sent"
        )
        # More beat ticks (and outbox sweeps) find nothing new to send.
        done = scans_done(second)
        assert wait_for(lambda: scans_done(second) >= done + 2, processes=[second, beat], step=0.5)
    finally:
        if first.poll() is None:
            logs.append(kill_worker(first))
        if second is not None:
            logs.append(stop_worker(second))
        logs.append(stop_worker(beat))
    output = "\n".join(logs)
    assert "Sending due task learning-session-reminders" in logs[-1], logs[-1][-3000:]
    assert f"{SCAN}[" in logs[0] and "succeeded" in logs[1], output[-3000:]
    output = output[-3000:]

    assert ours.count() == total, output
    assert set(ours.values_list("status", flat=True)) == {EmailStatus.SENT}, output
    sent = [m for m in read_mail(mail_dir) if any(title in m[1] for title in expected)]
    copies = Counter(sent)
    assert len(sent) == total and set(copies.values()) == {1}, (copies.most_common(3), output)
    for title, recipients in expected.items():
        got = Counter(to for to, subject in sent if title in subject)
        times = 2 if title == "Yesterday's webinar" else 1
        assert got == dict.fromkeys(recipients, times), title
