"""The coach and staff dashboards: every team's state in one view, ranked by need."""

from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = "Dashboards"

    def ready(self) -> None:
        # The collaborative page's links (teams dashboard, progress), and the receivers
        # that mark a team's cached summary and a collaborative's cached progress
        # figures stale when their data change.
        from . import panels_coach, panels_progress  # noqa: F401
        from .progress_cache import connect_progress_receivers
        from .summary_versions import connect_writes

        connect_writes()
        connect_progress_receivers()
