"""Ramps on change-package items for the share-and-sustain tests: a change idea seeded
from an item and its chain of cycles, each with an act decision or none."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from pdsa.models import ChangeIdea, ChangePackageItem, Cycle, Stage
from teams.models import TeamStatus
from tests.factories import TeamFactory


def package_item(tenant, title: str, position: int = 0) -> ChangePackageItem:
    return ChangePackageItem.objects.create(
        program=tenant.program, collaborative=tenant.collaborative, title=title, position=position
    )


def ramp(
    team,
    item: ChangePackageItem | None,
    title: str,
    decisions: list[str],
    *,
    shared: bool = False,
    author=None,
) -> ChangeIdea:
    """A change idea of `team` seeded from `item`, with one cycle per entry of
    `decisions` ("" = a cycle with no decision yet, still in Study), each building on
    the one before, oldest first."""
    idea = ChangeIdea.objects.create(
        program=team.program,
        team=team,
        title=title,
        source_item=item,
        shared_at=timezone.now() if shared else None,
    )
    previous = None
    start = timezone.now() - timedelta(days=10 * len(decisions) + 1)
    for n, decision in enumerate(decisions, start=1):
        previous = Cycle.objects.create(
            program=team.program,
            team=team,
            change_idea=idea,
            builds_on=previous,
            title=f"{title}: test {n}",
            stage=Stage.COMPLETE if decision else Stage.STUDY,
            decision=decision,
            created_at=start + timedelta(days=10 * n),
            created_by=author,
        )
    return idea


def add_plain_teams(tenant, n: int, prefix: str = "Extra") -> list:
    return [
        TeamFactory(
            program=tenant.program,
            collaborative=tenant.collaborative,
            name=f"{prefix} {i:03d}",
            status=TeamStatus.ACTIVE,
        )
        for i in range(n)
    ]
