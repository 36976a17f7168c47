"""Shared start of the in-process benchmarks: Django on a database of their own.

The benchmarks seed tens of thousands of rows in bulk, so they refuse any database that
holds someone else's programs or people, and they run with production-like settings
(DEBUG off) except what a test client on no real host needs.
"""

from __future__ import annotations

import os
import sys


def refuse_foreign_data(slugs: tuple[str, ...], domain: str) -> None:
    """Exit unless every program is one of `slugs` and every user is @`domain`."""
    from accounts.models import Program, User

    foreign_programs = Program.objects.exclude(slug__in=slugs).count()
    foreign_users = User.objects.exclude(email__endswith=f"@{domain}").count()
    if foreign_programs or foreign_users:
        sys.exit(
            f"Refusing to run: this database holds {foreign_programs} other program(s) and "
            f"{foreign_users} other user(s). Point DATABASE_URL at an empty database."
        )


def start_django(slugs: tuple[str, ...], domain: str) -> None:
    """Set Django up on DATABASE_URL (PostgreSQL only), migrate it and check it is ours."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to an empty PostgreSQL database of its own.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    settings.SECURE_SSL_REDIRECT = False
    settings.MFA_REQUIRED_FOR_STAFF = False
    settings.DEBUG = False
    # Static files come from the finders (no collectstatic for a benchmark).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    refuse_foreign_data(slugs, domain)
