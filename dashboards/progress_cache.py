"""A version number per collaborative, bumped whenever data its progress figures rest
on is written: the teams, measure values and reports, progress ratings, gap-analysis
responses and PDSA cycles. The cached figures carry it in their key, so the first read after a
write computes them afresh.

The receivers are connected by model label (Django's lazy senders), so this app does
not import the other features' models. Bulk writes that skip model signals
(`QuerySet.update`, `bulk_create`) announce themselves through core.bulk_changes.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from core.bulk_changes import data_changed
from teams.models import Team

#: Models whose rows carry `collaborative_id` (a team joining or leaving changes the
#: number of active teams).
WITH_COLLABORATIVE = (
    "teams.Team",
    "measures.DataPoint",
    "measures.Submission",
    "measures.ReportingPeriod",
    "measures.CollaborativeMeasure",
    "assessments.SurveyResponse",
)
#: Models whose rows carry only `team_id`.
WITH_TEAM = ("teams.ProgressRating", "pdsa.Cycle")
#: A version outlives any cached figures by far.
VERSION_SECONDS = 7 * 24 * 3600


def _key(collaborative_id: int) -> str:
    return f"dashboards:progress:version:{collaborative_id}"


def progress_version(collaborative_id: int) -> int:
    """The collaborative's current version (0 until its first write)."""
    return cache.get(_key(collaborative_id), 0)


def progress_changed(collaborative_id: int | None) -> None:
    """Make every cached copy of the collaborative's figures stale."""
    if collaborative_id is None:
        return
    key = _key(collaborative_id)
    try:
        cache.incr(key)
    except ValueError:  # not in the cache yet (or evicted): start counting again
        cache.set(key, 1, timeout=VERSION_SECONDS)


def _by_collaborative(sender, instance, **kwargs) -> None:
    progress_changed(getattr(instance, "collaborative_id", None))


def _by_team(sender, instance, **kwargs) -> None:
    collaborative_id = (
        Team.objects.filter(pk=instance.team_id).values_list("collaborative_id", flat=True).first()
    )
    progress_changed(collaborative_id)


def _by_bulk_write(sender, team_ids=frozenset(), collaborative_ids=frozenset(), **kwargs):
    """A bulk write (core.bulk_changes): the named collaboratives, and those of the
    named teams (one query)."""
    every = set(collaborative_ids)
    if team_ids:
        every.update(
            Team.objects.filter(pk__in=team_ids).values_list("collaborative_id", flat=True)
        )
    for collaborative_id in sorted(every):
        progress_changed(collaborative_id)


def connect_progress_receivers() -> None:
    """Called once from the app's ready()."""
    data_changed.connect(_by_bulk_write, dispatch_uid="progress:bulk-write")
    for label in WITH_COLLABORATIVE:
        post_save.connect(_by_collaborative, sender=label, dispatch_uid=f"progress-{label}")
        post_delete.connect(_by_collaborative, sender=label, dispatch_uid=f"progress-d-{label}")
    for label in WITH_TEAM:
        post_save.connect(_by_team, sender=label, dispatch_uid=f"progress-{label}")
        post_delete.connect(_by_team, sender=label, dispatch_uid=f"progress-d-{label}")
