"""WSGI entry point for gunicorn."""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

from django.conf import settings  # noqa: E402

if getattr(settings, "SECRET_KEY_IS_EPHEMERAL", False):
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Set it in the environment before serving with DEBUG off."
    )
