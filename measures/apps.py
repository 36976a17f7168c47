"""Measure library, data points, imports, run and control charts."""

from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = "Measures"
