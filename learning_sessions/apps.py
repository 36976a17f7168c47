"""Events, registration, attendance, evaluations, reminders."""

from django.apps import AppConfig


class LearningSessionsConfig(AppConfig):
    name = "learning_sessions"
    verbose_name = "Learning sessions"

    def ready(self) -> None:
        # The team home's "what is due next": evaluations owed for attended events.
        from . import evaluation_due  # noqa: F401
