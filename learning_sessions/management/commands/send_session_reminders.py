"""Run the learning-session reminder scan by hand: `manage.py send_session_reminders [--at T]`."""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from learning_sessions.tasks import send_due_session_reminders


class Command(BaseCommand):
    help = (
        "Queue every learning-session reminder already due and still useful (sessions 7 "
        "days and 1 day before, recordings, evaluations, module windows): what beat runs "
        "every few minutes. Reminders already queued are not queued again."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--at",
            help="Run as if it were this moment (ISO 8601 with its offset, "
            "e.g. 2026-12-01T09:00+00:00).",
        )

    def handle(self, *args, **options) -> None:
        at = options.get("at")
        if at:
            try:
                moment = datetime.fromisoformat(at)
            except ValueError:
                raise CommandError(f"--at must be an ISO 8601 moment, got {at!r}") from None
            if moment.tzinfo is None:
                raise CommandError("--at needs its offset (e.g. +00:00): whose 9:00 is it?")
        count = send_due_session_reminders(at)
        self.stdout.write(f"Queued {count} reminder(s).")
