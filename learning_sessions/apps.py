"""Events, registration, attendance, evaluations, reminders."""

from django.apps import AppConfig


class LearningSessionsConfig(AppConfig):
    name = "learning_sessions"
    verbose_name = "Learning sessions"
