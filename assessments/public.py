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
from datetime import date
from decimal import Decimal

from django.contrib.postgres.aggregates import JSONBAgg
from django.db.models import CharField, JSONField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast, JSONObject

from .definition import to_decimal
from .models import WAVE_ORDER, ResponseStatus, SurveyResponse, WaveKind
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
    "latest_gap_score_column",
    "latest_gap_score_from",
    "latest_gap_scores",
    "resource_question_link_add",
    "resource_question_link_remove",
    "resource_question_links_clear",
    "resource_question_links_retitle",
    "resource_questions",
    "section_change_from",
    "section_change_rows",
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


def _gap_score(responses: list[tuple[Decimal, str, date]]) -> GapScore:
    """The GapScore of a team's submitted responses [(score, wave kind, wave opens on)]:
    the latest wave's score, and its change since the baseline's."""
    responses = sorted(responses, key=lambda r: (WAVE_ORDER.get(r[1], 9), r[2]))
    latest = responses[-1]
    baseline = next((r for r in responses if r[1] == WaveKind.BASELINE), None)
    change = latest[0] - baseline[0] if baseline is not None and baseline is not latest else None
    return GapScore(score=latest[0], wave_label=WaveKind(latest[1]).label, change=change)


def latest_gap_scores(*, team_ids: Iterable[int]) -> dict[int, GapScore]:
    """{team id: GapScore} from the scores cached on submitted responses, in one query
    whatever the number of teams; teams without a submitted response are absent."""
    rows = SurveyResponse.objects.filter(
        team_id__in=list(team_ids), status=ResponseStatus.SUBMITTED, score__isnull=False
    ).values_list("team_id", "score", "wave__kind", "wave__opens_on")
    by_team: dict[int, list[tuple[Decimal, str, date]]] = defaultdict(list)
    for team_id, score, kind, opens_on in rows:
        by_team[team_id].append((score, kind, opens_on))
    return {team_id: _gap_score(responses) for team_id, responses in by_team.items()}


def latest_gap_score_column() -> Subquery:
    """`latest_gap_scores` as an annotation of a query over teams (the team is
    OuterRef("pk")): the team's submitted responses as a JSON list, so that a dashboard
    reads them with the teams' other figures; `latest_gap_score_from` reads it."""
    responses = (
        SurveyResponse.objects.filter(
            team_id=OuterRef("pk"), status=ResponseStatus.SUBMITTED, score__isnull=False
        )
        .order_by()
        .values("team_id")
        .annotate(
            responses=JSONBAgg(
                JSONObject(
                    score=Cast("score", CharField()),
                    kind="wave__kind",
                    opens_on="wave__opens_on",
                )
            )
        )
        .values("responses")
    )
    return Subquery(responses, output_field=JSONField())


def latest_gap_score_from(value: list[dict] | None) -> GapScore | None:
    """The GapScore of a team from its `latest_gap_score_column` (None: no response)."""
    if not value:
        return None
    return _gap_score(
        [(Decimal(r["score"]), r["kind"], date.fromisoformat(r["opens_on"])) for r in value]
    )


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


def section_change_rows(*, collaborative, team_ids: Sequence[int]) -> QuerySet:
    """The submitted survey responses of these teams that `section_change_from` reads,
    as a query of one JSON column ("row": team, wave kind and order, the response's
    cached section scores), at most teams x waves small rows, that a dashboard reads as
    a column of one statement with its other figures (the progress API's budget of
    queries, issue 16)."""
    return (
        SurveyResponse.objects.filter(
            program_id=collaborative.program_id,
            collaborative=collaborative,
            team_id__in=list(team_ids),
            status=ResponseStatus.SUBMITTED,
        )
        .order_by()
        .values(
            row=JSONObject(
                team_id="team_id",
                kind="wave__kind",
                opens_on="wave__opens_on",
                pk="pk",
                sections="section_scores",
            )
        )
    )


def section_change_from(rows: Iterable[dict]) -> list[SectionChange]:
    """Per section (in the template's order): the mean baseline score of the teams of
    `section_change_rows`, the mean of their latest submitted later survey (midpoint or
    follow-up), and the mean change of the teams that have both; the per-section
    averages are taken here because the scores live in each response's JSON list."""
    ordered = sorted(rows, key=lambda row: (row["team_id"], row["opens_on"], row["pk"]))
    baseline: dict[int, list] = {}
    latest: dict[int, list] = {}
    for row in ordered:
        team_id, kind, sections = row["team_id"], row["kind"], row["sections"]
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
