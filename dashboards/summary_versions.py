"""A version number per team that changes whenever the dashboard's view of the team
may have changed, so that cached summaries and API answers are keyed by it.

The writes that matter (measure values and submissions, chart settings, PDSA cycles
and comments, progress ratings, gap-analysis responses) bump it: `connect_writes`
hooks Django's post_save/post_delete of those models by their labels, so that no
feature app imports the dashboards (they sit above them). Bulk writes that bypass the
signals (imports, `.update()`, `bulk_create`) announce themselves through
core.bulk_changes, which `connect_writes` hooks too.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from core.bulk_changes import data_changed
from teams.models import Team

#: Models whose rows carry a `team_id` and whose changes alter a team's summary.
TEAM_MODELS = (
    "measures.DataPoint",
    "measures.Submission",
    "measures.TeamMeasure",
    "pdsa.Cycle",
    "pdsa.Comment",
    "pdsa.CommentReceipt",
    "teams.ProgressRating",
    "assessments.SurveyResponse",
)

#: A version outlives the caches keyed by it.
VERSION_SECONDS = 7 * 24 * 3600


def _key(team_id: int) -> str:
    return f"dashboards:team-version:{team_id}"


def team_versions(team_ids: Iterable[int]) -> dict[int, int]:
    """{team id: version} (0 for a team never bumped, or while the cache is down)."""
    team_ids = list(team_ids)
    found = cache.get_many([_key(pk) for pk in team_ids]) if team_ids else {}
    return {pk: int(found.get(_key(pk), 0)) for pk in team_ids}


def team_changed(team_id: int) -> None:
    """Bump the team's version once the current transaction commits."""

    def bump() -> None:
        key = _key(team_id)
        if not cache.add(key, 1, timeout=VERSION_SECONDS):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=VERSION_SECONDS)

    transaction.on_commit(bump)


def _on_write(sender, instance, **kwargs) -> None:
    team_id = getattr(instance, "team_id", None)
    if team_id:
        team_changed(team_id)


def _on_bulk_write(sender, team_ids=frozenset(), collaborative_ids=frozenset(), **kwargs):
    """A bulk write (core.bulk_changes): bump each named team, and every team of each
    named collaborative (its periods or measure set changed: one query)."""
    every = set(team_ids)
    if collaborative_ids:
        every.update(
            Team.objects.filter(collaborative_id__in=collaborative_ids).values_list("pk", flat=True)
        )
    for team_id in sorted(every):
        team_changed(team_id)


def connect_writes() -> None:
    """Hook the writes that matter (called once, from the app's ready())."""
    data_changed.connect(_on_bulk_write, dispatch_uid="dashboards:bulk-write")
    for label in TEAM_MODELS:
        post_save.connect(_on_write, sender=label, dispatch_uid=f"dashboards:{label}:save")
        post_delete.connect(_on_write, sender=label, dispatch_uid=f"dashboards:{label}:delete")
