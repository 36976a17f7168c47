"""Background work of the measures feature.

`send_measure_reminders` runs daily (beat): it is idempotent through the e-mails' dedupe
keys, so a retry or a second run the same day queues nothing new. Submission and review
notices are queued by the services themselves (core.emails, sent after commit).
"""

from datetime import date

from celery import shared_task

from core import clock

from .reminders import send_data_reminders


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540, max_retries=3)
def send_measure_reminders(day: str | None = None) -> int:
    """Queue the monthly-data reminders of `day` (ISO date; default today)."""
    today = date.fromisoformat(day) if day else clock.today()
    return send_data_reminders(today=today)
