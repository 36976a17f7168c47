"""Copying a collaborative brings its survey waves along (collaboratives.copying).

The copy uses the same published template versions, with the opening and due
dates moved by the same number of days as the rest of the calendar. Responses
are never copied: every team answers the new collaborative's surveys afresh.
"""

from datetime import timedelta

from collaboratives.copying import copy_step
from collaboratives.models import Collaborative

from .models import SurveyWave


@copy_step("survey_waves")
def copy_survey_waves(source: Collaborative, target: Collaborative, shift_days: int) -> None:
    delta = timedelta(days=shift_days)
    SurveyWave.objects.bulk_create(
        SurveyWave(
            program=target.program,
            collaborative=target,
            template_id=wave.template_id,
            kind=wave.kind,
            opens_on=wave.opens_on + delta,
            due_on=wave.due_on + delta,
        )
        for wave in SurveyWave.objects.filter(
            program_id=source.program_id, collaborative=source
        ).order_by("opens_on")
    )
