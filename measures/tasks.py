"""Background work of the measures feature.

`send_measure_reminders` runs every hour (beat): a day's reminders become due at
REMINDER_HOUR (UTC), so on a normal day the first run after that hour sends them and the
later ones find nothing new; a run missed while beat or the workers were down is made
up by the next one (measures.reminders catches up on missed days). It is idempotent
through the e-mails' dedupe keys, so a retry or a second run queues nothing new.
Submission and review notices are queued by the services themselves (core.emails, sent
after commit).
"""

from datetime import UTC, date, datetime, timedelta

from celery import shared_task

from core import clock

from .reminders import send_data_reminders

#: The hour of the day (UTC) from which a day's reminders are sent: midday in the
#: Americas, not the evening before.
REMINDER_HOUR = 12


def reminder_day(moment: datetime) -> date:
    """The latest day whose reminders are due at `moment`: today from REMINDER_HOUR
    (UTC), yesterday before it."""
    return (moment - timedelta(hours=REMINDER_HOUR)).astimezone(UTC).date()


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540, max_retries=3)
def send_measure_reminders(day: str | None = None) -> int:
    """Queue the monthly-data reminders of `day` (ISO date; default: `reminder_day(now)`)."""
    today = date.fromisoformat(day) if day else reminder_day(clock.now())
    return send_data_reminders(today=today)
