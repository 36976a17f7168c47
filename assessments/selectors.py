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
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from accounts.models import User
from accounts.selectors import (
    is_program_staff,
    staff_or_coach_program_ids,
)
from collaboratives.models import Collaborative
from collaboratives.selectors import collaboratives_visible_to
from core import clock
from teams.models import Team, TeamStatus
from teams.selectors import TeamAccess, team_access, teams_visible_to

from .definition import (
    MULTI,
    NA,
    NONE_VALUE,
    NUMBER,
    PERCENT,
    RawAnswer,
    answer_words,
    format_points,
    is_scored,
    iter_questions,
    questions_by_key,
    section_max_points,
    to_decimal,
    total_max_points,
)
from .models import (
    WAVE_ORDER,
    Answer,
    QuestionLink,
    ResponseStatus,
    SurveyResponse,
    SurveyTemplate,
    SurveyWave,
    TemplateStatus,
)
from .scoring import ScoreResult, score_response

# --- templates ---------------------------------------------------------------------------


def templates_visible_to(*, user: User) -> QuerySet[SurveyTemplate]:
    """Template versions the user may read."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return SurveyTemplate.objects.none()
    program_ids = staff_or_coach_program_ids(user=user)
    condition = Q(
        status=TemplateStatus.PUBLISHED,
        pk__in=SurveyWave.objects.filter(
            collaborative__teams__memberships__user=user,
            collaborative__teams__memberships__is_active=True,
        ).values("template_id"),
    )
    if program_ids:
        condition |= Q(program_id__in=program_ids)
    return SurveyTemplate.objects.filter(condition).select_related("program")


def can_manage_templates(*, user: User, template: SurveyTemplate) -> bool:
    """Building, publishing and versioning instruments is program staff's work."""
    return is_program_staff(user=user, program=template.program)


@dataclass
class Instrument:
    """The versions of one instrument, newest first, for the library page."""

    latest: SurveyTemplate
    versions: list[SurveyTemplate]

    @property
    def draft(self) -> SurveyTemplate | None:
        return next((v for v in self.versions if v.status == TemplateStatus.DRAFT), None)

    @property
    def published(self) -> SurveyTemplate | None:
        return next((v for v in self.versions if v.status == TemplateStatus.PUBLISHED), None)

    @property
    def n_waves(self) -> int:
        return sum(getattr(v, "n_waves", 0) for v in self.versions)


def template_library(*, user: User) -> list[Instrument]:
    """Visible instruments with their versions, in one query."""
    versions = (
        templates_visible_to(user=user)
        .annotate(n_waves=Count("waves"))
        .order_by("program__name", "lineage", "-version")
    )
    grouped: dict[tuple[int, Any], list[SurveyTemplate]] = {}
    for version in versions:
        grouped.setdefault((version.program_id, version.lineage), []).append(version)
    instruments = [Instrument(latest=vs[0], versions=vs) for vs in grouped.values()]
    return sorted(instruments, key=lambda i: (i.latest.program.name, i.latest.name.lower()))


def template_versions(*, template: SurveyTemplate, user: User) -> list[SurveyTemplate]:
    """Every visible version of the template's instrument, newest first."""
    return list(
        templates_visible_to(user=user)
        .filter(program_id=template.program_id, lineage=template.lineage)
        .order_by("-version")
    )


def question_links(*, template: SurveyTemplate) -> dict[str, list[QuestionLink]]:
    """Question key -> links to resources and change ideas, for one instrument.

    The same change (a change-package item copied into next year's collaborative)
    is listed once.
    """
    links: dict[str, list[QuestionLink]] = {}
    seen: set[tuple[str, str, str]] = set()
    for link in QuestionLink.objects.filter(
        program_id=template.program_id, lineage=template.lineage
    ):
        identity = (link.question_key, link.kind, link.title.lower())
        if identity in seen:
            continue
        seen.add(identity)
        links.setdefault(link.question_key, []).append(link)
    return links


@dataclass
class SectionPoints:
    key: str
    title: str
    points: Decimal
    n_questions: int


@dataclass
class PointsSummary:
    """Points per section and in total against the stated maximum (the builder's tally)."""

    sections: list[SectionPoints]
    total: Decimal
    maximum: Decimal

    @property
    def difference(self) -> Decimal:
        return self.maximum - self.total

    @property
    def adds_up(self) -> bool:
        return self.total == self.maximum

    @property
    def status(self) -> str:
        return "close" if self.adds_up else "gap"

    @property
    def words(self) -> str:
        if self.adds_up:
            return f"Adds up to {format_points(self.maximum)}"
        if self.difference > 0:
            return f"{format_points(self.difference)} points short"
        return f"{format_points(-self.difference)} points over"


def points_summary(template: SurveyTemplate) -> PointsSummary:
    sections = [
        SectionPoints(
            key=s["key"],
            title=s["title"],
            points=section_max_points(s),
            n_questions=len(s["questions"]),
        )
        for s in template.definition.get("sections", [])
    ]
    return PointsSummary(
        sections=sections,
        total=total_max_points(template.definition),
        maximum=Decimal(template.max_points),
    )


# --- waves --------------------------------------------------------------------------------


def waves_visible_to(*, user: User) -> QuerySet[SurveyWave]:
    """Waves of the collaboratives the user works in."""
    return SurveyWave.objects.filter(
        collaborative__in=collaboratives_visible_to(user=user).values("pk")
    ).select_related("template", "collaborative", "collaborative__program")


def waves_of(*, collaborative: Collaborative) -> list[SurveyWave]:
    """A collaborative's waves in order: baseline, midpoint, follow-up."""
    waves = SurveyWave.objects.filter(
        program_id=collaborative.program_id, collaborative=collaborative
    ).select_related("template", "collaborative")
    return sorted(waves, key=lambda w: (WAVE_ORDER.get(w.kind, 9), w.opens_on))


def wave_state(wave: SurveyWave, today: date | None = None) -> tuple[str, str]:
    """(status value, words) of a wave on `today`, for a status tag."""
    today = today or clock.today()
    if wave.collaborative.is_read_only:
        return "closed", "Closed"
    if today < wave.opens_on:
        return "waiting", f"Opens {wave.opens_on:%-d %B %Y}"
    if today > wave.due_on:
        return "past_due", f"Was due {wave.due_on:%-d %B %Y}"
    return "active", "Open"


def can_see_wave_report(*, user: User, collaborative: Collaborative) -> bool:
    """Collaborative-level reports are for program staff and the program's coaches."""
    return collaborative.program_id in staff_or_coach_program_ids(user=user)


# --- responses ------------------------------------------------------------------------------


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


def answer_rows(*, response: SurveyResponse | None) -> dict[str, Answer]:
    """Question key -> stored answer (with its last editor)."""
    if response is None or response.pk is None:
        return {}
    return {
        row.question_key: row
        for row in Answer.objects.filter(
            program_id=response.program_id, response=response
        ).select_related("updated_by")
    }


def stored_value(answer: Any) -> tuple[Any, bool]:
    """(JSON value, not applicable) for storing a typed answer."""
    if answer is NA:
        return None, True
    if isinstance(answer, Decimal):
        return format_points(answer), False
    return answer, False


def typed_answers(definition: Mapping[str, Any], rows: Iterable[Answer]) -> dict[str, Any]:
    """Stored answers as the scoring function takes them (Decimals, lists, NA)."""
    questions = questions_by_key(definition)
    answers: dict[str, Any] = {}
    for row in rows:
        question = questions.get(row.question_key)
        if question is None:
            continue
        if row.not_applicable:
            answers[row.question_key] = NA
        elif question["type"] in (NUMBER, PERCENT):
            answers[row.question_key] = to_decimal(row.value)
        else:
            answers[row.question_key] = row.value
    return answers


def raw_from_typed(definition: Mapping[str, Any], answers: Mapping[str, Any]) -> dict:
    """Typed answers back as form input (to re-parse a stored response)."""
    raw = {}
    for _, question in iter_questions(definition):
        value = answers.get(question["key"])
        if value is NA:
            raw[question["key"]] = RawAnswer(values=[], na=True)
        elif value is None:
            continue
        elif question["type"] == MULTI:
            raw[question["key"]] = RawAnswer(values=list(value) or [NONE_VALUE])
        elif isinstance(value, Decimal):
            raw[question["key"]] = RawAnswer(values=[format_points(value)])
        else:
            raw[question["key"]] = RawAnswer(values=[str(value)])
    return raw


def response_result(*, response: SurveyResponse) -> tuple[ScoreResult, dict[str, Any]]:
    """The response's score as it stands, and its typed answers."""
    answers = typed_answers(response.template.definition, answer_rows(response=response).values())
    return score_response(response.template.definition, answers), answers


def cached_sections(result: ScoreResult) -> list[dict[str, Any]]:
    """Section scores as stored on a submitted response (JSON: numbers as strings)."""
    return [
        {
            "key": s.key,
            "title": s.title,
            "earned": format_points(s.earned),
            "possible": format_points(s.possible),
            "score": format_points(s.score) if s.score is not None else None,
        }
        for s in result.sections
        if s.maximum > 0  # profile-only sections have no score
    ]


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


def team_survey_rows(*, team: Team) -> list[TeamWaveRow]:
    """The team's waves with its response to each, in two queries."""
    waves = waves_of(collaborative=team.collaborative)
    by_pk = {w.pk: w for w in waves}
    responses = {}
    for response in SurveyResponse.objects.filter(program_id=team.program_id, team=team):
        if response.wave_id in by_pk:
            response.wave = by_pk[response.wave_id]
            responses[response.wave_id] = response
    today = clock.today()
    return [
        TeamWaveRow(wave=w, response=responses.get(w.pk), state=wave_state(w, today)) for w in waves
    ]


# --- collaborative reports ---------------------------------------------------------------------


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

    @property
    def score(self) -> Decimal | None:
        if self.response is None or not self.response.is_submitted:
            return None
        return self.response.score


@dataclass
class SectionMedian:
    key: str
    title: str
    median: Decimal | None


@dataclass
class WaveSummary:
    """One wave across the collaborative's active teams."""

    wave: SurveyWave
    rows: list[TeamScoreRow]
    state: tuple[str, str] = ("", "")
    sections: list[SectionMedian] = field(default_factory=list)

    @property
    def submitted(self) -> list[TeamScoreRow]:
        return [r for r in self.rows if r.score is not None]

    @property
    def scores(self) -> list[Decimal]:
        return [r.score for r in self.submitted]

    @property
    def median(self) -> Decimal | None:
        return median(self.scores)

    @property
    def not_submitted(self) -> list[TeamScoreRow]:
        """Named teams that have not submitted (drafts first)."""
        missing = [r for r in self.rows if r.score is None and r.named]
        return sorted(missing, key=lambda r: (r.response is None, r.team.name.lower()))

    @property
    def n_not_submitted(self) -> int:
        return len([r for r in self.rows if r.score is None])

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
        rows = [
            TeamScoreRow(team=t, response=responses.get((wave.pk, t.pk)), named=t.pk in named_ids)
            for t in teams
        ]
        summary = WaveSummary(wave=wave, rows=rows, state=wave_state(wave, today))
        summary.sections = _section_medians(
            r.response for r in summary.submitted if r.response is not None
        )
        summaries.append(summary)
    return summaries


# --- the gap report of one response -------------------------------------------------------------


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


# --- API: latest score per team ------------------------------------------------------------------


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


def gap_question_choices(*, collaborative) -> list[tuple[str, str]]:
    """Scored questions of the instruments a collaborative's waves use, as form choices.

    The value "<lineage>:<question key>" names the question across versions (how
    QuestionLink keys links), so a change idea stays linked when the instrument
    gets a new version. Newest version of each instrument wins for the wording.
    """
    templates = {}
    for wave in (
        SurveyWave.objects.filter(program_id=collaborative.program_id, collaborative=collaborative)
        .select_related("template")
        .order_by("template__version")
    ):
        templates[wave.template.lineage] = wave.template
    choices = []
    for lineage, template in templates.items():
        for _section, question in iter_questions(template.definition):
            if is_scored(question):
                text = " ".join(str(question.get("text", "")).split())
                choices.append((f"{lineage}:{question['key']}", f"{question['key']} {text}"[:200]))
    return choices
