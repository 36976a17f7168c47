"""The collaborative page's "Progress of the collaborative" panel: program staff's way
to the progress dashboard and the sponsor report (nobody else sees the panel)."""

from accounts.selectors import is_program_staff
from core.panels import COLLABORATIVE_PAGE, register_panel


def _progress_panel(*, collaborative, user) -> dict | None:
    if not is_program_staff(user=user, program=collaborative.program):
        return None
    return {}


register_panel(
    COLLABORATIVE_PAGE,
    name="progress",
    template="dashboards/progress_panel.html",
    context=_progress_panel,
    order=5,
)
