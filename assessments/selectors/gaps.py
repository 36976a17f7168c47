"""The gap report of one response: its score and sections beside the collaborative's
medians, the gaps by points lost with their linked resources and change ideas, and
the change since the team's earlier wave.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from accounts.models import User

from ..definition import answer_words, questions_by_key, to_decimal
from ..models import WAVE_ORDER, QuestionLink, ResponseStatus, SurveyResponse
from ..scoring import ScoreResult
from .answers import response_result
from .links import question_links
from .overview import WaveSummary, collaborative_survey_overview
from .waves import waves_of


@dataclass
class GapItem:
    key: str
    section_title: str
    text: str
    status: str
    earned: Decimal
    possible: Decimal
    lost: Decimal
    impact: str
    answer: str
    links: list[QuestionLink]


@dataclass
class SectionRow:
    key: str
    title: str
    earned: Decimal
    possible: Decimal
    score: Decimal | None
    median: Decimal | None
    earlier: Decimal | None = None

    @property
    def change(self) -> Decimal | None:
        if self.score is None or self.earlier is None:
            return None
        return self.score - self.earlier


@dataclass
class GapReport:
    response: SurveyResponse
    result: ScoreResult
    gaps: list[GapItem]
    sections: list[SectionRow]
    summary: WaveSummary
    earlier: SurveyResponse | None
    later: SurveyResponse | None

    @property
    def score(self) -> Decimal | None:
        return self.result.score

    @property
    def median(self) -> Decimal | None:
        return self.summary.median

    @property
    def change(self) -> Decimal | None:
        if self.earlier is None or self.score is None or self.earlier.score is None:
            return None
        return self.score - self.earlier.score

    @property
    def n_submitted(self) -> int:
        return len(self.summary.submitted)


def gap_report(*, response: SurveyResponse, user: User) -> GapReport:
    """A team's gap report for one wave: scores, gaps by lost points with their linked
    resources, the collaborative's medians, and the change since the team's earlier
    wave (baseline vs follow-up) when both were submitted."""
    definition = response.template.definition
    result, answers = response_result(response=response)
    questions = questions_by_key(definition)
    titles = {s["key"]: s["title"] for s in definition.get("sections", [])}
    links = question_links(template=response.template)
    gaps = [
        GapItem(
            key=item.key,
            section_title=titles.get(item.section, item.section),
            text=item.text,
            status=item.status,
            earned=item.earned,
            possible=item.possible,
            lost=item.lost,
            impact=item.impact,
            answer=answer_words(questions[item.key], answers.get(item.key)),
            links=links.get(item.key, []),
        )
        for item in result.gaps
    ]
    waves = waves_of(collaborative=response.collaborative)
    summaries = collaborative_survey_overview(
        collaborative=response.collaborative, user=user, waves=waves
    )
    summary = next(s for s in summaries if s.wave.pk == response.wave_id)
    medians = {s.key: s.median for s in summary.sections}
    own = {
        r.wave_id: r
        for r in SurveyResponse.objects.filter(
            program_id=response.program_id,
            team_id=response.team_id,
            status=ResponseStatus.SUBMITTED,
        ).select_related("wave")
    }
    ordered = [own[w.pk] for w in waves if w.pk in own and w.pk != response.wave_id]
    this_order = WAVE_ORDER.get(response.wave.kind, 9)
    earlier = next(
        (r for r in reversed(ordered) if WAVE_ORDER.get(r.wave.kind, 9) < this_order), None
    )
    later = next((r for r in ordered if WAVE_ORDER.get(r.wave.kind, 9) > this_order), None)
    earlier_sections = {
        s["key"]: to_decimal(s.get("score")) for s in (earlier.section_scores if earlier else [])
    }
    sections = [
        SectionRow(
            key=s.key,
            title=s.title,
            earned=s.earned,
            possible=s.possible,
            score=s.score,
            median=medians.get(s.key),
            earlier=earlier_sections.get(s.key),
        )
        for s in result.sections
        if s.maximum > 0
    ]
    return GapReport(
        response=response,
        result=result,
        gaps=gaps,
        sections=sections,
        summary=summary,
        earlier=earlier,
        later=later,
    )
