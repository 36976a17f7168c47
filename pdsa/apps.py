"""Aims, driver diagrams, change ideas, PDSA cycles and ramps."""

from django.apps import AppConfig


class PdsaConfig(AppConfig):
    name = "pdsa"
    verbose_name = "PDSA"

    def ready(self) -> None:
        # Register the change-package copy step, the team home's "due next" items, the
        # cycles flagged on the team's charts and the linked cycles of a measure's page.
        # Its groups of the top-bar search (pdsa/search.py).
        from . import copying, due, panels, search, timeline  # noqa: F401
