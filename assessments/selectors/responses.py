"""A team's responses: who may read them, who may fill in, submit or reopen one, the
team's waves with its response to each, and each team's latest score.

The team's members, its assigned coaches and program staff read a response
(`teams_visible_to`); anyone else gets nothing, which views turn into a 404.
`survey_access` then says who may change what, and in words why not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, QuerySet

from accounts.models import User
from core import clock
from teams.models import Team, TeamStatus
from teams.selectors import TeamAccess, team_access, teams_visible_to

from ..models import ResponseStatus, SurveyResponse, SurveyWave
from .deadlines import SurveyDue, survey_due
from .waves import wave_state, waves_of


def responses_visible_to(*, user: User) -> QuerySet[SurveyResponse]:
    """Responses of the teams whose records the user may read."""
    return SurveyResponse.objects.filter(
        team__in=teams_visible_to(user=user).values("pk")
    ).select_related(
        "team", "team__facility", "wave", "wave__collaborative", "template", "collaborative"
    )


def response_for(*, team: Team, wave: SurveyWave) -> SurveyResponse | None:
    """The team's response to a wave (of the same program), or None if not started."""
    return (
        SurveyResponse.objects.filter(program_id=team.program_id, team=team, wave=wave)
        .select_related("template", "wave", "submitted_by", "reopened_by")
        .first()
    )


@dataclass
class SurveyAccess:
    """What the caller may do with a team's response to a wave, and why not."""

    team_access: TeamAccess
    can_edit: bool = False
    can_submit: bool = False
    can_reopen: bool = False
    reason: str = ""


def survey_access(
    *,
    user: User,
    team: Team,
    wave: SurveyWave,
    response: SurveyResponse | None,
    access: TeamAccess | None = None,
    today: date | None = None,
) -> SurveyAccess:
    """Members fill in the survey, leads submit it, staff reopen it.

    `reason` says in words why the survey cannot be edited now (for the page).
    """
    access = access or team_access(user=user, team=team)
    today = today or clock.today()
    result = SurveyAccess(team_access=access)
    submitted = response is not None and response.is_submitted
    result.can_reopen = access.is_staff and submitted
    if not access.is_member:
        result.reason = "Only the team's members fill in the survey."
    elif team.status != TeamStatus.ACTIVE:
        result.reason = "Only active teams fill in surveys."
    elif wave.collaborative.is_read_only:
        result.reason = "The collaborative has ended; its surveys are read-only."
    elif today < wave.opens_on:
        result.reason = f"This survey opens on {wave.opens_on:%-d %B %Y}."
    elif submitted:
        result.reason = (
            "The survey was submitted and can no longer be changed. "
            "Program staff can reopen it if something must be corrected."
        )
    else:
        result.can_edit = True
        result.can_submit = access.is_lead
    return result


@dataclass
class TeamWaveRow:
    wave: SurveyWave
    response: SurveyResponse | None
    state: tuple[str, str]
    #: The team's due date and whether it is late (assessments.selectors.deadlines).
    due: SurveyDue


def team_survey_rows(*, team: Team) -> list[TeamWaveRow]:
    """The team's waves with its response to each and its own due date, in two queries."""
    waves = waves_of(collaborative=team.collaborative)
    by_pk = {w.pk: w for w in waves}
    responses = {}
    for response in SurveyResponse.objects.filter(program_id=team.program_id, team=team):
        if response.wave_id in by_pk:
            response.wave = by_pk[response.wave_id]
            responses[response.wave_id] = response
    today = clock.today()
    rows = []
    for wave in waves:
        response = responses.get(wave.pk)
        due = survey_due(wave=wave, team=team, response=response, today=today)
        state = wave_state(wave, today, due_on=due.due_on)
        rows.append(TeamWaveRow(wave=wave, response=response, state=state, due=due))
    return rows


def latest_scores_visible_to(*, user: User) -> QuerySet[SurveyResponse]:
    """Each visible team's most recently submitted response (the coach dashboard's score)."""
    newer = SurveyResponse.objects.filter(
        program_id=OuterRef("program_id"),
        team_id=OuterRef("team_id"),
        status=ResponseStatus.SUBMITTED,
        submitted_at__gt=OuterRef("submitted_at"),
    )
    return (
        responses_visible_to(user=user)
        .filter(status=ResponseStatus.SUBMITTED)
        .exclude(Exists(newer))
    )
