"""Create the demo world: `python manage.py seed_demo [--password P] [--force]`.

The world is dated from today (core.clock): run it on any day and it has a past, an
active and a recruiting collaborative with data up to last month.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core import clock
from demo.seed import seed_demo
from demo.world import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Create demo programs, collaboratives, teams and logins (idempotent)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--password", default=DEMO_PASSWORD, help="Password of every demo login."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even though DEBUG is off (never in production).",
        )

    def handle(self, *args, password: str, force: bool, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to seed demo accounts with DEBUG off: they have a public password. "
                "Pass --force if this really is a demo server."
            )
        result = seed_demo(today=clock.today(), password=password)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({result.created} new records)."))
        for note in result.notes:
            self.stdout.write(self.style.WARNING(note))
        self.stdout.write(f"\nDemo logins (password: {password}):")
        for login in result.logins:
            self.stdout.write(f"  {login.email:<28} {login.role}\n  {'':<28} sees {login.sees}")
