"""Measure library, data points, imports, run and control charts."""

from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = "Measures"

    def ready(self) -> None:
        # Register the copy step (copies bring the measure set and periods), the
        # team home's "what is due next" provider and its charts panel.
        # Its group of the top-bar search (measures/search.py).
        from . import copying, due, panels, search  # noqa: F401
