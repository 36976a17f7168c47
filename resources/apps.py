"""Library of toolkits, files and links; communities of practice."""

from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = "Resources"
