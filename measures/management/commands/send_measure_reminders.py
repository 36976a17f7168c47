"""Replay the monthly-data reminders: `python manage.py send_measure_reminders [--date D]`."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from measures.tasks import send_measure_reminders


class Command(BaseCommand):
    help = (
        "Queue the reminders for monthly data due within 7 days, due tomorrow or today, or "
        "overdue by a few days (what beat runs hourly; missed days are caught up). "
        "Reminders already sent are not sent again."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", help="Run as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, **options) -> None:
        day = options.get("date")
        if day:
            try:
                date.fromisoformat(day)
            except ValueError:
                raise CommandError(f"--date must be YYYY-MM-DD, got {day!r}") from None
        count = send_measure_reminders(day)
        self.stdout.write(f"Queued {count} reminder(s).")
