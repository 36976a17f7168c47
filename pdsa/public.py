"""What other feature apps may use of pdsa. import-linter lets them import only this
module (pyproject.toml; docs/decisions/0007-layers.md).

certificates is the user: whole-collaborative credit (MOC Part 4) asks for PDSA
cycles the person contributed to.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Q

from accounts.models import User

from .models import Cycle

__all__ = ["cycles_contributed"]


def cycles_contributed(*, user: User, collaborative_ids: Iterable[int]) -> dict[int, int]:
    """{collaborative id: number of cycles} the person created or edited (a saved
    revision by them) in the teams of these collaboratives, deleted cycles excluded;
    one query. Collaboratives without any are absent."""
    rows = (
        Cycle.objects.filter(
            team__collaborative_id__in=list(collaborative_ids), deleted_at__isnull=True
        )
        .filter(Q(created_by=user) | Q(updated_by=user) | Q(revisions__revised_by=user))
        .values("team__collaborative_id")
        .annotate(n=Count("id", distinct=True))
        .order_by()
    )
    return {row["team__collaborative_id"]: row["n"] for row in rows}
