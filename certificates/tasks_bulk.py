"""The bulk-issue task (certificates.bulk has the work and says why it is safe).

acks_late: the message is acknowledged only when the run is done, so a worker killed
mid-batch leaves it to be delivered again; the redelivered (or resumed) task carries
on from the claims still without a certificate. An unexpected error leaves the run
"running"; once it has not moved for a while staff may resume it.
"""

from celery import shared_task

from .bulk import run_bulk_issue

#: A run renders one certificate after another: far longer than the default limit.
TIME_LIMIT = 4 * 3600


@shared_task(acks_late=True, time_limit=TIME_LIMIT, soft_time_limit=TIME_LIMIT - 60)
def issue_in_bulk(run_id: int) -> str:
    """Issue and render every remaining certificate of the run; returns its status."""
    return run_bulk_issue(run_id)
