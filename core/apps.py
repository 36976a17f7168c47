"""Shared plumbing: audit events, outbound e-mail, API base classes, health."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the system checks
