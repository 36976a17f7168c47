"""Events, registration, attendance, evaluations, reminders."""

from django.apps import AppConfig


class LearningSessionsConfig(AppConfig):
    name = "learning_sessions"
    verbose_name = "Learning sessions"

    def ready(self) -> None:
        # Register the calendar's copy step and the team home's "what is due next": my
        # upcoming sessions, evaluations owed for attended events.
        # Its group of the top-bar search (learning_sessions/search.py).
        from . import copying, due, evaluation_due, search  # noqa: F401
