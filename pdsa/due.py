""" "What is due next" on the team home, for PDSA work (teams.due registry).

Two kinds of items: a member's own open cycles waiting for their next stage (due
before they would show as stalled to the coach), and unread comments on the
team's cycles.
"""

from collections.abc import Iterable

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from teams.due import DueItem, register_due_provider
from teams.models import Team
from teams.selectors import TeamAccess

from .models import Stage
from .selectors import STALLED_AFTER, cycles_of_team, unread_receipts
from .stages import STAGES, next_stage, stage_label

#: At most this many cycle items, so the team home stays short.
MAX_CYCLE_ITEMS = 5


@register_due_provider
def cycles_due(*, team: Team, user: User, access: TeamAccess) -> Iterable[DueItem]:
    """The person's own unfinished cycles: fill in the next stage before it stalls."""
    if not access.does_team_work:
        return []
    # Only the four fields the item shows: the cycle's long texts and its related rows
    # (cycles_of_team's select_related) would be read and built for nothing.
    cycles = (
        cycles_of_team(team=team)
        .filter(created_by=user)
        .exclude(stage=Stage.COMPLETE)
        .order_by("updated_at")
        .values_list("public_id", "title", "stage", "updated_at")[:MAX_CYCLE_ITEMS]
    )
    items = []
    for public_id, title, stage, updated_at in cycles:
        following = next_stage(stage)
        url = reverse("pdsa:cycle_edit", kwargs={"team_id": team.public_id, "cycle_id": public_id})
        items.append(
            DueItem(
                title=f"Fill in {stage_label(stage)} of “{title}” and move it to "
                f"{stage_label(following)}",
                due=timezone.localtime(updated_at + STALLED_AFTER).date(),
                url=url,
                detail=STAGES[stage].question,
            )
        )
    return items


@register_due_provider
def unread_comments_due(*, team: Team, user: User, access: TeamAccess) -> Iterable[DueItem]:
    """Comments the person has not read yet, one item per cycle."""
    rows = (
        unread_receipts(user=user, team=team)
        .values("cycle__public_id", "cycle__title")
        .annotate(n=Count("id"))
        .order_by("cycle__title")
    )
    items = []
    for row in rows:
        url = reverse(
            "pdsa:cycle_detail",
            kwargs={"team_id": team.public_id, "cycle_id": row["cycle__public_id"]},
        )
        n = row["n"]
        items.append(
            DueItem(
                title=f"Read {n} new comment{'s' if n != 1 else ''} on “{row['cycle__title']}”",
                due=None,
                url=url + "#comments",
            )
        )
    return items
