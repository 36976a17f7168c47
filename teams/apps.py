"""Facilities, teams, memberships, invitations, progress ratings."""

from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = "Teams"

    def ready(self) -> None:
        # Registers the teams panel of the collaborative page.
        from . import panels  # noqa: F401
