"""The coach and staff dashboards: every team's state in one view, ranked by need."""

from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = "Dashboards"

    def ready(self) -> None:
        # The collaborative page's progress panel, and the receivers that mark a
        # collaborative's cached progress figures stale when its data change.
        from . import panels_progress  # noqa: F401
        from .progress_cache import connect_progress_receivers

        connect_progress_receivers()
