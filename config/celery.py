"""The Celery application.

Settings come from Django's settings (CELERY_* names). When no REDIS_URL is
configured, settings switch tasks to eager mode so that the demo works with
nothing but SQLite; see config/settings.py.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("qi_collaboratives")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
