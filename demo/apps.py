"""The demo world (seed data): the top layer, which may import every other app."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "demo"
    verbose_name = "Demo"
