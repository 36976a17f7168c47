"""Measures' group of the top-bar search (core.search): the measures of the person's
teams, i.e. the measure sets of the collaboratives of the teams they may see
(teams_visible_to) and those teams' own measures. The program's library as such is not
searched here: staff have its own page.

A hit opens the team's chart of the measure when the person sees one team in the
measure's collaborative (a team's own measure always), else the collaborative's page
of the measure (every team they see there, pooled)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q
from django.urls import reverse

from accounts.models import User
from core.search import SearchHit, matched_hit, register_search_provider, text_matches
from teams.models import Team
from teams.selectors import teams_visible_to

from .models import CollaborativeMeasure, Measure


def _target(measure: Measure, teams: list[Team]) -> tuple[str, str]:
    """Where a hit goes among `teams` (the person's teams that report it), and the team
    or collaborative it is about, in words."""
    if len(teams) == 1:
        kwargs = {"team_id": teams[0].public_id, "measure_id": measure.public_id}
        return reverse("measures:team_measure", kwargs=kwargs), teams[0].name
    collaborative = teams[0].collaborative
    kwargs = {"collaborative_id": collaborative.public_id, "measure_id": measure.public_id}
    return reverse("measures:measure", kwargs=kwargs), collaborative.title


def measure_hits(user: User, query: str, limit: int) -> list[SearchHit]:
    """Measures of the person's teams whose name, code or definitions match (three
    queries whatever the number of teams)."""
    teams = sorted(teams_visible_to(user=user), key=lambda t: (t.collaborative.title, t.name))
    if not teams:
        return []
    by_collaborative: dict[int, list[Team]] = defaultdict(list)
    for team in teams:
        by_collaborative[team.collaborative_id].append(team)
    in_sets = CollaborativeMeasure.objects.filter(collaborative_id__in=list(by_collaborative))
    measures = Measure.objects.filter(
        Q(team__isnull=True, pk__in=in_sets.values("measure_id"))
        | Q(team_id__in=[team.pk for team in teams])
    )
    found = list(
        text_matches(
            measures,
            query,
            title="name",
            weighted={
                "A": ["name", "short_name", "code"],
                "B": ["numerator_definition", "denominator_definition"],
                "C": ["inclusions", "exclusions", "sampling", "target_note"],
            },
            snippet=["numerator_definition", "denominator_definition", "inclusions", "exclusions"],
        )[:limit]
    )
    sets_of: dict[int, list[int]] = defaultdict(list)
    for measure_id, collaborative_id in in_sets.filter(
        measure_id__in=[m.pk for m in found]
    ).values_list("measure_id", "collaborative_id"):
        sets_of[measure_id].append(collaborative_id)
    hits = []
    for measure in found:
        if measure.team_id:
            reporting = [team for team in teams if team.pk == measure.team_id]
        else:
            # The first of the person's collaboratives (by title) whose set has it.
            first = next(c for c in by_collaborative if c in sets_of[measure.pk])
            reporting = by_collaborative[first]
        url, context = _target(measure, reporting)
        hits.append(
            matched_hit(
                measure,
                query,
                url=url,
                kind="Measure" + (f" {measure.code}" if measure.code else ""),
                context=context,
            )
        )
    return hits


register_search_provider("measures", "Measures", measure_hits, order=40)
