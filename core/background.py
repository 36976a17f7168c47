"""Queueing background work the one way the project does it."""

from typing import Any

from django.db import transaction


def enqueue_on_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    """Queue `task` with ids as arguments once the current transaction commits.

    A task queued before commit could run before its rows exist (or after they
    were rolled back); on_commit makes the worker see exactly what was saved.
    Outside a transaction the callback runs at once. `robust` keeps a broker
    outage from turning a saved change into an error page; the beat sweeper
    (core.tasks.requeue_stale_emails) picks up what was not queued.
    """

    def queue_task() -> None:
        # A named function, not functools.partial: Django logs a failed robust
        # callback by its __qualname__, which a partial lacks.
        task.delay(*args, **kwargs)

    transaction.on_commit(queue_task, robust=True)
