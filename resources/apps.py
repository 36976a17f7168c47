"""Library of toolkits, files and links; share and sustain; communities of practice."""

from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = "Resources"

    def ready(self) -> None:
        # Each part registers its panels on other apps' pages, its search providers
        # and its receivers in its own module.
        from . import (  # noqa: F401
            ready_community,
            ready_library,
            ready_links,
            ready_search,
            ready_sustain,
        )
