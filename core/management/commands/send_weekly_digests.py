"""Replay the weekly digest: `python manage.py send_weekly_digests`."""

from django.core.management.base import BaseCommand

from core.tasks import send_weekly_digests


class Command(BaseCommand):
    help = (
        "Send each person the digest of the e-mails held for it (what beat does weekly). "
        "A digest already sent this week is not sent again."
    )

    def handle(self, *args, **options) -> None:
        count = send_weekly_digests()
        self.stdout.write(f"Queued {count} digest(s).")
