"""Background work of learning sessions: the reminder scan.

`send_due_session_reminders` runs every few minutes through beat
(settings.LEARNING_REMINDERS_EVERY). It queues every reminder whose due time has passed
and that is still useful (learning_sessions.reminders), so a run missed while beat or
the workers were down is made up by the next one; it is idempotent through the
outbox's dedupe keys, so a retried or duplicated run queues nothing twice.
"""

from datetime import datetime

from celery import shared_task

from core import clock

from .reminders import send_session_reminders


def _moment(at: str | None) -> datetime:
    return datetime.fromisoformat(at) if at else clock.now()


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540)
def send_due_session_reminders(at: str | None = None) -> int:
    """Queue the reminders due at `at` (ISO instant with its offset; default now)."""
    return send_session_reminders(now=_moment(at))


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def send_event_reminders(event_id: int) -> int:
    """Queue what is due about one event now (the recording notice, right after staff
    post the link) instead of waiting for the next scan."""
    return send_session_reminders(now=clock.now(), event_ids=[event_id])
