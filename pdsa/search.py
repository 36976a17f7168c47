"""PDSA's groups of the top-bar search (core.search): the change ideas and the PDSA
cycles of the teams the person may see (teams_visible_to: their own teams, the teams a
coach is assigned, every team of the programs staff run). Deleted cycles are left out;
nothing of another team or program is ever read."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse

from accounts.models import User
from core.search import SearchHit, matched_hit, register_search_provider, text_matches
from teams.selectors import teams_visible_to

from .models import ChangeIdea, Cycle


def _visible_team_ids(user: User) -> QuerySet:
    return teams_visible_to(user=user).values("pk")


def cycle_hits(user: User, query: str, limit: int) -> list[SearchHit]:
    """PDSA cycles of the person's teams whose title or worksheet matches."""
    cycles = Cycle.objects.filter(
        team_id__in=_visible_team_ids(user), deleted_at__isnull=True
    ).select_related("team")
    found = text_matches(
        cycles,
        query,
        title="title",
        weighted={
            "A": ["title"],
            "B": ["objective", "learned", "results"],
            "C": ["questions", "predictions", "plan_details", "what_happened"],
            "D": ["observations", "problems", "next_steps"],
        },
        snippet=["objective", "what_happened", "results", "learned", "next_steps"],
    )[:limit]
    return [
        matched_hit(
            cycle,
            query,
            url=reverse(
                "pdsa:cycle_detail",
                kwargs={"team_id": cycle.team.public_id, "cycle_id": cycle.public_id},
            ),
            kind=f"PDSA cycle · {cycle.get_stage_display()}",
            context=cycle.team.name,
        )
        for cycle in found
    ]


def change_idea_hits(user: User, query: str, limit: int) -> list[SearchHit]:
    """Change ideas of the person's teams (retired ones too: their ramps stay readable)."""
    ideas = ChangeIdea.objects.filter(team_id__in=_visible_team_ids(user)).select_related("team")
    found = text_matches(
        ideas,
        query,
        title="title",
        weighted={"A": ["title"], "B": ["description"], "C": ["gap_item"]},
        snippet=["description", "gap_item"],
    )[:limit]
    return [
        matched_hit(
            idea,
            query,
            url=reverse(
                "pdsa:ramp_detail",
                kwargs={"team_id": idea.team.public_id, "change_idea_id": idea.public_id},
            ),
            kind="Change idea" + (" (retired)" if idea.retired_at else ""),
            context=idea.team.name,
        )
        for idea in found
    ]


register_search_provider("change_ideas", "Change ideas", change_idea_hits, order=20)
register_search_provider("pdsa_cycles", "PDSA cycles", cycle_hits, order=30)
