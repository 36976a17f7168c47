"""Settings for the test suite: the production settings with a few test-only changes.

DEBUG stays off, so mandatory e-mail verification, required MFA for staff, secure
cookies and the production password validators are all exercised by the tests.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")  # noqa: S105

from .settings import *  # noqa: E402,F403
from .settings import STORAGES  # noqa: E402

# Tests talk to the test client over plain HTTP.
SECURE_SSL_REDIRECT = False
# Tasks run in-process unless a test starts a real worker (tests/core/test_worker.py).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A fast hasher: the suite creates many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Static files are served from the finders, no collectstatic needed.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "run" / "test-media"  # noqa: F405
# WhiteNoise would scan STATIC_ROOT (absent in tests) at start-up.
WHITENOISE_AUTOREFRESH = True
