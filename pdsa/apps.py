"""Aims, driver diagrams, change ideas, PDSA cycles and ramps."""

from django.apps import AppConfig


class PdsaConfig(AppConfig):
    name = "pdsa"
    verbose_name = "PDSA"

    def ready(self) -> None:
        # Register the change-package copy step and the team home's "due next" items.
        from . import copying, due  # noqa: F401
