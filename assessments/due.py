""" "What is due next" on the team home: open surveys the team has not submitted.

Registered with teams.due when the app is ready. A survey is due for the team's
members from its opening date until the team submits it, by the team's own due date
(assessments.selectors.deadlines: later for a team that joined after the survey
opened, or the new date of a reopened survey); past it the item shows as late.
"""

from collections.abc import Iterable

from django.urls import reverse

from accounts.models import User
from core import clock
from teams.due import DueItem, register_due_provider
from teams.models import Team, TeamStatus
from teams.selectors import TeamAccess

from .definition import iter_questions
from .models import Answer, ResponseStatus, SurveyResponse, SurveyWave
from .selectors import survey_due


@register_due_provider
def surveys_due(*, team: Team, user: User, access: TeamAccess) -> Iterable[DueItem]:
    """Open waves without a submitted response, for the team's members (three queries)."""
    if not access.is_member or team.status != TeamStatus.ACTIVE:
        return []
    if team.collaborative.is_read_only:
        return []
    today = clock.today()
    waves = list(
        SurveyWave.objects.filter(
            program_id=team.program_id, collaborative_id=team.collaborative_id, opens_on__lte=today
        ).select_related("template", "collaborative")
    )
    if not waves:
        return []
    responses = {
        r.wave_id: r
        for r in SurveyResponse.objects.filter(
            program_id=team.program_id, team=team, wave__in=[w.pk for w in waves]
        )
    }
    open_drafts = [r.pk for r in responses.values() if r.status == ResponseStatus.DRAFT]
    answered: dict[int, int] = {}
    for response_id in Answer.objects.filter(
        program_id=team.program_id, response_id__in=open_drafts
    ).values_list("response_id", flat=True):
        answered[response_id] = answered.get(response_id, 0) + 1
    items = []
    for wave in waves:
        response = responses.get(wave.pk)
        if response is not None and response.status == ResponseStatus.SUBMITTED:
            continue
        total = sum(1 for _ in iter_questions(wave.template.definition))
        if response is None:
            detail = f"Not started yet: {total} questions. Several members can fill it in."
        else:
            detail = f"{answered.get(response.pk, 0)} of {total} questions answered so far."
        if access.is_lead:
            detail += " You submit it when it is complete."
        items.append(
            DueItem(
                title=f"Complete the {wave.get_kind_display().lower()} gap analysis",
                due=survey_due(wave=wave, team=team, response=response, today=today).due_on,
                url=reverse(
                    "assessments:response_form",
                    kwargs={"team_id": team.public_id, "wave_id": wave.public_id},
                ),
                detail=detail,
            )
        )
    return items
