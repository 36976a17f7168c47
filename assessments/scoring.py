"""Scoring a gap-analysis response: one pure function, no Django.

`score_response(definition, answers)` is the only place a score is computed; the
pages, the PDF, the CSV export, the API and the cached score of a submitted
response all call it, so they can never disagree.

What it guarantees (tested in tests/assessments/test_scoring.py):

* Each scored question can earn between 0 and its maximum: yes earns the
  question's points; a single choice the chosen option's; a multiple choice the
  sum of the ticked options'; a number or percent the points of the highest band
  it reaches (nothing below the lowest band).
* "Not applicable" removes the question's maximum from the possible total, and a
  question hidden because its condition is unmet counts exactly like N/A. The
  score is then normalised: earned / possible x 100, so a team is not punished for
  items that do not apply to it.
* A shown question without an answer earns 0 of its maximum (a draft is scored
  as it stands; a submitted response has every required answer).
* Text and profile questions never count. Arithmetic is exact (Decimal); only the
  normalised scores are rounded, half up, to one decimal place.
* Possible = 0 (everything N/A) gives a score of None, never a division by zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .definition import (
    MULTI,
    NA,
    NUMBER,
    PERCENT,
    SINGLE,
    YES,
    YES_NO,
    is_scored,
    question_max_points,
    to_decimal,
    visibility,
)

MET = "met"
PARTIAL = "partial"
NOT_MET = "not_met"
UNANSWERED = "unanswered"
NOT_APPLICABLE = "na"
HIDDEN = "hidden"
UNSCORED = "unscored"

#: Items that are gaps: they lost points.
GAP_STATUSES = (PARTIAL, NOT_MET, UNANSWERED)

ONE_DECIMAL = Decimal("0.1")


def normalised(earned: Decimal, possible: Decimal) -> Decimal | None:
    """earned / possible on a 0-100 scale, one decimal; None when nothing was possible."""
    if possible <= 0:
        return None
    return (earned * 100 / possible).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ItemScore:
    """One question's result. `possible` is 0 for N/A, hidden and unscored items."""

    key: str
    section: str
    text: str
    status: str
    earned: Decimal
    possible: Decimal
    impact: str = ""

    @property
    def lost(self) -> Decimal:
        return self.possible - self.earned

    @property
    def is_gap(self) -> bool:
        return self.status in GAP_STATUSES


@dataclass(frozen=True)
class SectionScore:
    key: str
    title: str
    earned: Decimal
    possible: Decimal
    maximum: Decimal

    @property
    def score(self) -> Decimal | None:
        return normalised(self.earned, self.possible)


@dataclass(frozen=True)
class ScoreResult:
    earned: Decimal
    possible: Decimal
    maximum: Decimal
    sections: list[SectionScore] = field(default_factory=list)
    items: list[ItemScore] = field(default_factory=list)

    @property
    def score(self) -> Decimal | None:
        """The total on a 0-100 scale after removing N/A and hidden items."""
        return normalised(self.earned, self.possible)

    @property
    def gaps(self) -> list[ItemScore]:
        """Unmet and partly met items, most points lost first (then template order)."""
        order = {item.key: index for index, item in enumerate(self.items)}
        return sorted(
            (item for item in self.items if item.is_gap and item.lost > 0),
            key=lambda item: (-item.lost, order[item.key]),
        )


def _earned(question: Mapping[str, Any], answer: Any) -> Decimal:
    """Points earned by an answer to a shown, scored question (before capping)."""
    kind = question["type"]
    if kind == YES_NO:
        return question_max_points(question) if answer == YES else Decimal(0)
    if kind in (SINGLE, MULTI):
        points = {o["key"]: to_decimal(o.get("points")) or Decimal(0) for o in question["options"]}
        if kind == SINGLE:
            return points.get(answer, Decimal(0))
        chosen = set(answer) if isinstance(answer, list) else set()
        return sum((points.get(key, Decimal(0)) for key in chosen), Decimal(0))
    if kind in (NUMBER, PERCENT):
        value = to_decimal(answer)
        if value is None:
            return Decimal(0)
        reached = [
            to_decimal(band["points"]) or Decimal(0)
            for band in question.get("bands", [])
            if value >= (to_decimal(band["at_least"]) or Decimal(0))
        ]
        return max(reached, default=Decimal(0))
    return Decimal(0)


def score_response(definition: Mapping[str, Any], answers: Mapping[str, Any]) -> ScoreResult:
    """Earned and possible points per item, per section and in total.

    `definition` is a normalised template (`definition.normalise_definition`);
    `answers` maps question keys to typed answers (`definition.parse_answers`):
    "yes"/"no", an option key, a list of option keys, a Decimal, a string, or NA.
    Keys the template does not know are ignored.
    """
    shown = visibility(definition, answers)
    items: list[ItemScore] = []
    sections: list[SectionScore] = []
    for section in definition.get("sections", []):
        s_earned = s_possible = s_max = Decimal(0)
        for question in section.get("questions", []):
            key = question["key"]
            maximum = question_max_points(question)
            answer = answers.get(key)
            if not is_scored(question):
                status, earned, possible = UNSCORED, Decimal(0), Decimal(0)
            elif not shown[key]:
                status, earned, possible = HIDDEN, Decimal(0), Decimal(0)
            elif answer is NA:
                status, earned, possible = NOT_APPLICABLE, Decimal(0), Decimal(0)
            elif answer is None or answer == "":
                status, earned, possible = UNANSWERED, Decimal(0), maximum
            else:
                earned, possible = min(_earned(question, answer), maximum), maximum
                status = MET if earned >= possible else PARTIAL if earned > 0 else NOT_MET
            items.append(
                ItemScore(
                    key=key,
                    section=section["key"],
                    text=question["text"],
                    status=status,
                    earned=earned,
                    possible=possible,
                    impact=question.get("impact", ""),
                )
            )
            s_earned += earned
            s_possible += possible
            s_max += maximum
        sections.append(
            SectionScore(
                key=section["key"],
                title=section["title"],
                earned=s_earned,
                possible=s_possible,
                maximum=s_max,
            )
        )
    return ScoreResult(
        earned=sum((s.earned for s in sections), Decimal(0)),
        possible=sum((s.possible for s in sections), Decimal(0)),
        maximum=sum((s.maximum for s in sections), Decimal(0)),
        sections=sections,
        items=items,
    )


__all__ = [
    "GAP_STATUSES",
    "HIDDEN",
    "MET",
    "NOT_APPLICABLE",
    "NOT_MET",
    "PARTIAL",
    "UNANSWERED",
    "UNSCORED",
    "ItemScore",
    "ScoreResult",
    "SectionScore",
    "normalised",
    "score_response",
]
