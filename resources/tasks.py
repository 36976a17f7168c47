"""Background work of resources: printing every team's storyboard of a collaborative
as one PDF (resources.storyboard_batch has the work and says why it is safe).

acks_late: a worker killed mid-run leaves the message to be delivered again, and the
redelivered task starts the run over; a finished run is never redone. Replay one with
`manage.py shell -c "from resources.tasks import render_storyboards; render_storyboards(<id>)"`.
"""

from celery import shared_task

from .storyboard_batch import run_storyboard_batch

#: A run renders one page after another: 300 teams take a few minutes.
TIME_LIMIT = 3600


@shared_task(acks_late=True, time_limit=TIME_LIMIT, soft_time_limit=TIME_LIMIT - 60)
def render_storyboards(batch_id: int) -> str:
    """Render and store the joined storyboards of the run; returns its status."""
    return run_storyboard_batch(batch_id)
