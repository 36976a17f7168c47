"""Replay e-mail sending: `python manage.py send_pending_emails`."""

from django.core.management.base import BaseCommand

from core.tasks import requeue_stale_emails


class Command(BaseCommand):
    help = "Queue again the e-mails whose sending task was lost (what beat does every 10 minutes)."

    def handle(self, *args, **options) -> None:
        count = requeue_stale_emails()
        self.stdout.write(f"Queued {count} e-mail(s) again.")
