"""What other feature apps may use of the gap analysis. import-linter lets them import
only this module (pyproject.toml; docs/decisions/0007-layers.md).

pdsa is the user today: a change idea, or a change-package item, names the gap-analysis
question it closes, and the gap report shows the change-package item beside that
question. The gap report does not import pdsa: it reads the links that pdsa writes here
(`QuestionLink` rows, keyed by question lineage so that they survive new versions).
The coach dashboard reads each team's latest score and its change since baseline.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .models import ResponseStatus, SurveyResponse, WaveKind
from .selectors import gap_question_choices
from .services import change_idea_link_set

__all__ = ["GapScore", "change_idea_link_set", "gap_question_choices", "latest_gap_scores"]


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
