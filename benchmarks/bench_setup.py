"""Shared start of the in-process benchmarks: Django on a database of their own.

The benchmarks seed tens of thousands of rows in bulk, so they refuse any database that
holds someone else's programs or people, and they run with production-like settings
(DEBUG off) except what a test client on no real host needs.
"""

from __future__ import annotations

import os
import sys


def refuse_foreign_data(slugs: tuple[str, ...], domain: str | tuple[str, ...]) -> None:
    """Exit unless every program is one of `slugs` and every user is @`domain` (or one
    of the domains: the load dataset adds its people to the measures benchmark's)."""
    from django.db.models import Q

    from accounts.models import Program, User

    ours = Q()
    for name in (domain,) if isinstance(domain, str) else domain:
        ours |= Q(email__endswith=f"@{name}")
    foreign_programs = Program.objects.exclude(slug__in=slugs).count()
    foreign_users = User.objects.exclude(ours).count()
    if foreign_programs or foreign_users:
        sys.exit(
            f"Refusing to run: this database holds {foreign_programs} other program(s) and "
            f"{foreign_users} other user(s). Point DATABASE_URL at an empty database."
        )


def ensure_database(url: str) -> None:
    """Create the database `url` names when the server has none of that name, so that
    the README's command works the first time (a benchmark's own, empty database)."""
    from urllib.parse import urlsplit

    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
        "user": parts.username or "postgres",
        "password": parts.password or None,
    }
    connection = psycopg2.connect(dbname="postgres", **server)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                print(f"Created database {name}.")
    finally:
        connection.close()


def start_django(slugs: tuple[str, ...], domain: str | tuple[str, ...]) -> None:
    """Set Django up on DATABASE_URL (PostgreSQL only, created when missing), migrate it
    and check it is ours."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to an empty PostgreSQL database of its own.")
    ensure_database(os.environ["DATABASE_URL"])
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
