"""The coach and staff dashboards: every team's state in one view, ranked by need."""

from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = "Dashboards"

    def ready(self) -> None:
        from . import panels_coach  # noqa: F401 - registers the collaborative page's link
        from .summary_versions import connect_writes

        connect_writes()
