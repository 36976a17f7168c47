"""The collaborative's view of its surveys: every wave with each active team's score,
the median and the section medians.

Staff and the program's coaches see the score of every team, so that the
distribution is complete, but only the names of the teams they may see. Submitted
responses carry a cached score, so the overview never re-scores hundreds of them.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from accounts.models import User
from accounts.selectors import is_program_staff
from collaboratives.models import Collaborative
from core import clock
from teams.models import Team, TeamStatus
from teams.selectors import teams_visible_to

from ..definition import to_decimal
from ..models import SurveyResponse, SurveyWave
from .deadlines import SurveyDue, survey_due
from .waves import wave_state, waves_of


def median(values: Iterable[Decimal]) -> Decimal | None:
    values = list(values)
    if not values:
        return None
    return Decimal(statistics.median(values)).quantize(Decimal("0.1"))


@dataclass
class TeamScoreRow:
    team: Team
    response: SurveyResponse | None
    named: bool
    #: The team's due date and whether it is late (assessments.selectors.deadlines).
    due: SurveyDue | None = None

    @property
    def score(self) -> Decimal | None:
        if self.response is None or not self.response.is_submitted:
            return None
        return self.response.score

    @property
    def is_late(self) -> bool:
        return self.due is not None and self.due.is_late

    @property
    def joined_later(self) -> bool:
        """The team joined after the wave opened: it has its own, later due date."""
        return self.due is not None and self.due.first_due_on > self.due.wave_due_on


@dataclass
class SectionMedian:
    key: str
    title: str
    median: Decimal | None


@dataclass
class WaveSummary:
    """One wave across the collaborative's active teams.

    "x of y teams submitted" counts the teams the wave was due for on its own date
    (`expected`): a team that joined after the wave opened has its own, later due date
    and is counted once it submits; until then it is listed apart (`joined_later`).
    """

    wave: SurveyWave
    rows: list[TeamScoreRow]
    state: tuple[str, str] = ("", "")
    sections: list[SectionMedian] = field(default_factory=list)

    @property
    def submitted(self) -> list[TeamScoreRow]:
        return [r for r in self.rows if r.score is not None]

    @property
    def expected(self) -> list[TeamScoreRow]:
        """The teams counted in "x of y teams": due on the wave's date, or submitted."""
        return [r for r in self.rows if not r.joined_later or r.score is not None]

    @property
    def joined_later(self) -> list[TeamScoreRow]:
        """Named teams that joined after the wave opened and have not submitted yet."""
        return [r for r in self.rows if r.joined_later and r.score is None and r.named]

    @property
    def scores(self) -> list[Decimal]:
        return [r.score for r in self.submitted]

    @property
    def median(self) -> Decimal | None:
        return median(self.scores)

    @property
    def not_submitted(self) -> list[TeamScoreRow]:
        """Named teams that have not submitted (drafts first), of those expected."""
        missing = [r for r in self.expected if r.score is None and r.named]
        return sorted(missing, key=lambda r: (r.response is None, r.team.name.lower()))

    @property
    def n_not_submitted(self) -> int:
        return len([r for r in self.expected if r.score is None])

    @property
    def named_rows(self) -> list[TeamScoreRow]:
        return [r for r in self.rows if r.named]


def _section_medians(responses: Iterable[SurveyResponse]) -> list[SectionMedian]:
    order: dict[str, str] = {}
    values: dict[str, list[Decimal]] = {}
    for response in responses:
        for section in response.section_scores or []:
            order.setdefault(section["key"], section["title"])
            score = to_decimal(section.get("score"))
            if score is not None:
                values.setdefault(section["key"], []).append(score)
    return [
        SectionMedian(key=key, title=title, median=median(values.get(key, [])))
        for key, title in order.items()
    ]


def collaborative_survey_overview(
    *, collaborative: Collaborative, user: User, waves: list[SurveyWave] | None = None
) -> list[WaveSummary]:
    """Every wave of the collaborative with each active team's result, in three queries
    whatever the number of teams: waves, teams (plus the visible subset), responses."""
    waves = waves if waves is not None else waves_of(collaborative=collaborative)
    teams = list(
        Team.objects.filter(
            program_id=collaborative.program_id,
            collaborative=collaborative,
            status=TeamStatus.ACTIVE,
        )
        .select_related("facility")
        .order_by("name")
    )
    if is_program_staff(user=user, program=collaborative.program):
        named_ids = {t.pk for t in teams}
    else:
        named_ids = set(
            teams_visible_to(user=user)
            .filter(collaborative=collaborative)
            .values_list("pk", flat=True)
        )
    responses: dict[tuple[int, int], SurveyResponse] = {}
    by_pk = {w.pk: w for w in waves}
    for response in SurveyResponse.objects.filter(
        program_id=collaborative.program_id, wave__in=list(by_pk)
    ):
        response.wave = by_pk[response.wave_id]  # no query per row for "late"
        responses[(response.wave_id, response.team_id)] = response
    today = clock.today()
    summaries = []
    for wave in waves:
        rows = []
        for team in teams:
            response = responses.get((wave.pk, team.pk))
            due = survey_due(wave=wave, team=team, response=response, today=today)
            rows.append(
                TeamScoreRow(team=team, response=response, named=team.pk in named_ids, due=due)
            )
        summary = WaveSummary(wave=wave, rows=rows, state=wave_state(wave, today))
        summary.sections = _section_medians(
            r.response for r in summary.submitted if r.response is not None
        )
        summaries.append(summary)
    return summaries
