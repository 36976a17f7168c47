"""Scoped reads of gap-analysis templates, waves, responses and reports.

Who sees what (PRODUCT.md privacy model):

* templates: program staff and coaches see every version of their programs'
  instruments; team members see the published versions their waves use;
* waves: everyone who sees the collaborative;
* responses and answers: the team's members, its assigned coaches and program
  staff (`teams_visible_to`);
* collaborative reports: staff and the program's coaches. They see the score
  distribution of every team, but only teams they may see are named.

Everything else answers "nothing", which views turn into a 404. `survey_access`
then says who may change what (403 for the rest).

Import from `assessments.selectors`; the modules are its sections: `templates`,
`links` (questions linked to other features), `waves`, `deadlines` (a team's due date
and "late"), `responses`, `answers`
(stored answers as typed answers), `overview` (a collaborative's waves) and `gaps`
(the gap report of one response).
"""

from .answers import (
    answer_rows,
    cached_sections,
    response_result,
    stored_value,
    typed_answers,
)
from .deadlines import (
    SurveyDue,
    survey_due,
)
from .gaps import (
    GapItem,
    GapReport,
    SectionRow,
    gap_report,
)
from .links import (
    ResourceQuestion,
    gap_question_choices,
    question_links,
    resource_questions,
    survey_question_choices,
    survey_template_of,
)
from .overview import (
    SectionMedian,
    TeamScoreRow,
    WaveSummary,
    collaborative_survey_overview,
    median,
)
from .responses import (
    SurveyAccess,
    TeamWaveRow,
    latest_scores_visible_to,
    response_for,
    responses_visible_to,
    survey_access,
    team_survey_rows,
)
from .templates import (
    Instrument,
    PointsSummary,
    SectionPoints,
    can_manage_templates,
    points_summary,
    template_library,
    template_versions,
    templates_visible_to,
)
from .waves import (
    can_see_wave_report,
    wave_state,
    waves_of,
    waves_visible_to,
)

__all__ = [
    "GapItem",
    "GapReport",
    "Instrument",
    "PointsSummary",
    "ResourceQuestion",
    "SectionMedian",
    "SectionPoints",
    "SectionRow",
    "SurveyAccess",
    "SurveyDue",
    "TeamScoreRow",
    "TeamWaveRow",
    "WaveSummary",
    "answer_rows",
    "cached_sections",
    "can_manage_templates",
    "can_see_wave_report",
    "collaborative_survey_overview",
    "gap_question_choices",
    "gap_report",
    "latest_scores_visible_to",
    "median",
    "points_summary",
    "question_links",
    "resource_questions",
    "response_for",
    "response_result",
    "responses_visible_to",
    "stored_value",
    "survey_access",
    "survey_due",
    "survey_question_choices",
    "survey_template_of",
    "team_survey_rows",
    "template_library",
    "template_versions",
    "templates_visible_to",
    "typed_answers",
    "wave_state",
    "waves_of",
    "waves_visible_to",
]
