"""Events, registration, attendance, evaluations, reminders."""

from django.apps import AppConfig


class LearningSessionsConfig(AppConfig):
    name = "learning_sessions"
    verbose_name = "Learning sessions"

    def ready(self) -> None:
        # Register the calendar's copy step and the team home's "my upcoming sessions".
        from . import copying, due  # noqa: F401
