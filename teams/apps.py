"""Facilities, teams, memberships, invitations, progress ratings."""

from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = "Teams"

    def ready(self) -> None:
        from core.emails import register_recipient_time_zone

        from . import panels  # noqa: F401 - registers the teams panel of the collaborative page
        from .selectors import recipient_time_zone

        # E-mails write times in the zone their recipient reads pages in.
        register_recipient_time_zone(recipient_time_zone)
