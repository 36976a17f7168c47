"""Aims, driver diagrams, change ideas, PDSA cycles and ramps."""

from django.apps import AppConfig


class PdsaConfig(AppConfig):
    name = "pdsa"
    verbose_name = "PDSA"
