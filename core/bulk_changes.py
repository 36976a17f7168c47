"""A hook for writes that bypass model signals (`QuerySet.update`, `bulk_create`, raw
SQL): the writing service says which teams' and collaboratives' data it changed, and
whoever keeps cached views of that data (the dashboards, docs/decisions/0018 and
0019) listens. Feature apps sit below the dashboards and may not import them; core
sits below every app, so this signal is the one both sides can reach.

Receivers run after the surrounding transaction commits (the caches must not be bumped
for a write that is then rolled back, nor before other processes can read it).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.dispatch import Signal

#: Sent with `team_ids` (frozenset: these teams' own data changed) and
#: `collaborative_ids` (frozenset: data shared by every team of these collaboratives
#: changed, such as their reporting periods).
data_changed = Signal()


def bulk_data_changed(
    *, team_ids: Iterable[int] = (), collaborative_ids: Iterable[int] = ()
) -> None:
    """Announce, once the current transaction commits, that a bulk write changed the
    data of these teams, or data that every team of these collaboratives shares."""
    teams = frozenset(pk for pk in team_ids if pk)
    collaboratives = frozenset(pk for pk in collaborative_ids if pk)
    if not teams and not collaboratives:
        return
    transaction.on_commit(
        lambda: data_changed.send(sender=None, team_ids=teams, collaborative_ids=collaboratives)
    )
