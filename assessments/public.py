"""What other feature apps may use of the gap analysis. import-linter lets them import
only this module (pyproject.toml; docs/decisions/0007-layers.md).

pdsa is the user today: a change idea, or a change-package item, names the gap-analysis
question it closes, and the gap report shows the change-package item beside that
question. The gap report does not import pdsa: it reads the links that pdsa writes here
(`QuestionLink` rows, keyed by question lineage so that they survive new versions).
The coach dashboard reads each team's latest score and its change since baseline.

resources links a library resource to a question ("resources for this gap"): the link
is a `QuestionLink` of kind resource, made, removed and retitled through the functions
below, so the gap report and its PDF list it without importing resources.

dashboards reads the change from baseline per section across a collaborative (the
staff progress dashboard); the caller has checked that the viewer is program staff.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .definition import to_decimal
from .models import ResponseStatus, SurveyResponse, WaveKind
from .selectors import (
    ResourceQuestion,
    gap_question_choices,
    resource_questions,
    survey_question_choices,
    survey_template_of,
)
from .services import (
    change_idea_link_set,
    resource_question_link_add,
    resource_question_link_remove,
    resource_question_links_clear,
    resource_question_links_retitle,
)

__all__ = [
    "GapScore",
    "ResourceQuestion",
    "SectionChange",
    "change_idea_link_set",
    "gap_question_choices",
    "latest_gap_scores",
    "resource_question_link_add",
    "resource_question_link_remove",
    "resource_question_links_clear",
    "resource_question_links_retitle",
    "resource_questions",
    "section_change",
    "survey_question_choices",
    "survey_template_of",
]


@dataclass(frozen=True)
class GapScore:
    """A team's latest submitted gap-analysis score and the change since its baseline
    (None when it has no baseline score, or the latest is the baseline)."""

    score: Decimal
    wave_label: str
    change: Decimal | None = None


def latest_gap_scores(*, team_ids: Iterable[int]) -> dict[int, GapScore]:
    """{team id: GapScore} from the scores cached on submitted responses, in one query
    whatever the number of teams; teams without a submitted response are absent."""
    rows = (
        SurveyResponse.objects.filter(
            team_id__in=list(team_ids), status=ResponseStatus.SUBMITTED, score__isnull=False
        )
        .select_related("wave")
        .only("team_id", "score", "wave__kind", "wave__opens_on")
    )
    by_team: dict[int, list[SurveyResponse]] = defaultdict(list)
    for response in rows:
        by_team[response.team_id].append(response)
    out: dict[int, GapScore] = {}
    for team_id, responses in by_team.items():
        responses.sort(key=lambda r: (r.wave.order, r.wave.opens_on))
        latest = responses[-1]
        baseline = next((r for r in responses if r.wave.kind == WaveKind.BASELINE), None)
        change = (
            latest.score - baseline.score
            if baseline is not None and baseline is not latest
            else None
        )
        out[team_id] = GapScore(
            score=latest.score, wave_label=latest.wave.get_kind_display(), change=change
        )
    return out


@dataclass(frozen=True)
class SectionChange:
    """One gap-analysis section across a collaborative: the teams' mean score (percent
    of the section's points) at baseline and in their latest later survey."""

    key: str
    title: str
    baseline: Decimal | None
    latest: Decimal | None
    n_baseline: int
    n_latest: int
    #: Mean of (latest - baseline) over the teams that have both.
    change: Decimal | None
    n_paired: int


def _mean(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.1"))


def section_change(*, collaborative, team_ids: Sequence[int]) -> list[SectionChange]:
    """Per section (in the template's order): the mean baseline score of these teams,
    the mean of their latest submitted later survey (midpoint or follow-up), and the
    mean change of the teams that have both. One query over the submitted responses'
    cached section scores (at most teams x waves small rows), whatever the number of
    teams; the per-section averages are taken here because the scores live in each
    response's JSON list."""
    rows = (
        SurveyResponse.objects.filter(
            program_id=collaborative.program_id,
            collaborative=collaborative,
            team_id__in=list(team_ids),
            status=ResponseStatus.SUBMITTED,
        )
        .order_by("team_id", "wave__opens_on", "pk")
        .values_list("team_id", "wave__kind", "section_scores")
    )
    baseline: dict[int, list] = {}
    latest: dict[int, list] = {}
    for team_id, kind, sections in rows:
        if kind == WaveKind.BASELINE:
            baseline.setdefault(team_id, sections or [])
        else:
            latest[team_id] = sections or []  # ordered by wave: the last one wins
    titles: dict[str, str] = {}
    before: dict[str, dict[int, Decimal]] = {}
    after: dict[str, dict[int, Decimal]] = {}
    for source, target in ((baseline, before), (latest, after)):
        for team_id, sections in source.items():
            for section in sections:
                titles.setdefault(section["key"], section.get("title") or section["key"])
                score = to_decimal(section.get("score"))
                if score is not None:
                    target.setdefault(section["key"], {})[team_id] = score
    out = []
    for key, title in titles.items():
        first, last = before.get(key, {}), after.get(key, {})
        paired = [last[t] - first[t] for t in first if t in last]
        out.append(
            SectionChange(
                key=key,
                title=title,
                baseline=_mean(list(first.values())),
                latest=_mean(list(last.values())),
                n_baseline=len(first),
                n_latest=len(last),
                change=_mean(paired),
                n_paired=len(paired),
            )
        )
    return out
