"""Measure definitions: the library, a collaborative's measure set, a team's measures.

A library measure belongs to a program (no team); a team's own measure to its team.
The set a team reports is the collaborative's required measures, the optional ones it
chose and its own (`team_measure_rows`), each with the team's chart settings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from django.db.models import Q, QuerySet
from django.db.models.functions import Length

from accounts.models import User
from accounts.selectors import staff_or_coach_program_ids
from collaboratives.models import Collaborative
from collaboratives.selectors import collaboratives_visible_to
from core.memo import memoized
from teams.models import Team
from teams.selectors import teams_visible_to

from ..models import CollaborativeMeasure, Measure, Requirement, TeamMeasure


def measures_visible_to(*, user: User) -> QuerySet[Measure]:
    """Definitions the user may read: the library of programs they work in (staff,
    coaches), the measure sets of their collaboratives, and their teams' own measures."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Measure.objects.none()
    program_ids = staff_or_coach_program_ids(user=user)
    condition = Q(set_entries__collaborative__in=collaboratives_visible_to(user=user)) | Q(
        team__in=teams_visible_to(user=user)
    )
    if program_ids:
        condition |= Q(team__isnull=True, program_id__in=program_ids)
    ids = Measure.objects.filter(condition).values("pk")
    return Measure.objects.filter(pk__in=ids).select_related("program")


def library_of(*, program_ids: Iterable[int], include_inactive: bool = True) -> QuerySet[Measure]:
    """Library measures of the programs (no custom team measures)."""
    measures = Measure.objects.filter(program_id__in=list(program_ids), team__isnull=True)
    if not include_inactive:
        measures = measures.filter(is_active=True)
    # M2 before M10: shorter codes first, then alphabetical
    return measures.select_related("program").order_by(
        "program__name", Length("code"), "code", "name"
    )


def library_measure_for(*, user: User, measure_id: UUID | str) -> Measure:
    """A library measure of a program where the user is staff or coach (else DoesNotExist)."""
    program_ids = staff_or_coach_program_ids(user=user)
    return (
        Measure.objects.filter(team__isnull=True, program_id__in=program_ids)
        .select_related("program")
        .get(public_id=measure_id)
    )


def measure_set_of(*, collaborative: Collaborative) -> list[CollaborativeMeasure]:
    """The collaborative's measure set, in order (one query)."""
    return list(
        CollaborativeMeasure.objects.filter(
            program_id=collaborative.program_id, collaborative=collaborative
        )
        .select_related("measure")
        .order_by("position", "measure__code", "measure__name")
    )


def measure_sets_of(*, collaborative_ids: Iterable[int]) -> list[CollaborativeMeasure]:
    """The measure sets of several collaboratives, each in its order, in one query
    (entries grouped by collaborative id)."""
    return list(
        CollaborativeMeasure.objects.filter(collaborative_id__in=list(collaborative_ids))
        .select_related("measure")
        .order_by("collaborative_id", "position", "measure__code", "measure__name")
    )


def measure_in_set(*, collaborative: Collaborative, measure_id: UUID | str) -> CollaborativeMeasure:
    return (
        CollaborativeMeasure.objects.filter(
            program_id=collaborative.program_id, collaborative=collaborative
        )
        .select_related("measure")
        .get(measure__public_id=measure_id)
    )


@dataclass
class TeamMeasureRow:
    """A measure the team reports, why (required, optional, custom) and its chart settings."""

    measure: Measure
    requirement: str
    settings: TeamMeasure | None = None

    @property
    def requirement_label(self) -> str:
        return {"required": "Required", "optional": "Optional", "custom": "Our own"}[
            self.requirement
        ]


def team_measure_rows(*, team: Team, include_unselected: bool = False) -> list[TeamMeasureRow]:
    """The team's measure set: the collaborative's required measures, the optional ones the
    team selected and the team's own measures (two queries).

    With `include_unselected`, optional and own measures the team did not select come too
    (for the page where the team chooses). Read once per page inside a
    core.memo.page_memo (the team home's due list and measures panel both need it).
    """
    return list(
        memoized(
            ("measures.team_measure_rows", team.pk, include_unselected),
            lambda: _team_measure_rows(team, include_unselected),
        )
    )


def _team_measure_rows(team: Team, include_unselected: bool) -> list[TeamMeasureRow]:
    settings = {
        tm.measure_id: tm
        for tm in TeamMeasure.objects.filter(program_id=team.program_id, team=team).select_related(
            "measure"
        )
    }
    rows: list[TeamMeasureRow] = []
    for entry in measure_set_of(collaborative=team.collaborative):
        tm = settings.get(entry.measure_id)
        if entry.requirement == Requirement.REQUIRED:
            rows.append(TeamMeasureRow(entry.measure, "required", tm))
        elif include_unselected or (tm is not None and tm.is_selected):
            rows.append(TeamMeasureRow(entry.measure, "optional", tm))
    for tm in settings.values():
        if tm.measure.team_id == team.pk and (include_unselected or tm.is_selected):
            rows.append(TeamMeasureRow(tm.measure, "custom", tm))
    return rows


def team_measure_get(*, team: Team, measure_id: UUID | str) -> TeamMeasureRow:
    """One measure the team may report (its set, or an optional or own measure it has not
    selected: collaborative pages link to those too), or Measure.DoesNotExist (a 404).
    The row `team_measure_rows(include_unselected=True)` holds for it, read alone (two
    queries of one row each, not the whole set)."""
    try:
        measure_id = UUID(str(measure_id))
    except ValueError:
        raise Measure.DoesNotExist from None
    entry = (
        CollaborativeMeasure.objects.filter(
            program_id=team.program_id,
            collaborative_id=team.collaborative_id,
            measure__public_id=measure_id,
        )
        .select_related("measure")
        .first()
    )
    tm = (
        TeamMeasure.objects.filter(
            program_id=team.program_id, team=team, measure__public_id=measure_id
        )
        .select_related("measure")
        .first()
    )
    if entry is not None:
        requirement = "required" if entry.requirement == Requirement.REQUIRED else "optional"
        return TeamMeasureRow(entry.measure, requirement, tm)
    if tm is not None and tm.measure.team_id == team.pk:
        return TeamMeasureRow(tm.measure, "custom", tm)
    raise Measure.DoesNotExist


def custom_measures_of(*, team: Team) -> QuerySet[Measure]:
    return Measure.objects.filter(program_id=team.program_id, team=team).order_by("name")
