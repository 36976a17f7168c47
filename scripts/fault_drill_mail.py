"""The fault drill's e-mail backend: Django's file-based backend, slowed down.

scripts/fault_drill.py points its Celery worker at this backend (EMAIL_BACKEND,
with scripts/ on PYTHONPATH) so that a batch of e-mails takes long enough for the
drill to kill the worker in the middle of it, and so that it can count, from the
files, how many times each message went out. Never used by the application.
"""

import os
import time

from django.core.mail.backends.filebased import EmailBackend


class SlowFileBackend(EmailBackend):
    """Waits FAULT_DRILL_SEND_SECONDS (0.3) before writing, as a slow SMTP server would:
    a worker killed during the wait has claimed the message but not sent it."""

    def send_messages(self, email_messages):  # noqa: ANN001, ANN201 - Django's signature
        time.sleep(float(os.environ.get("FAULT_DRILL_SEND_SECONDS", "0.3")))
        return super().send_messages(email_messages)
