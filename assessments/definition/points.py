"""Walking a template's questions and weighing them: what each question, section and
the whole instrument can earn.

The builder's tally, the publishing rule and the scoring function all use these, so
that "the maximum" means one thing everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from .numbers import to_decimal
from .schema import MULTI, NUMBER, PERCENT, SINGLE, TEXT, YES_NO


def is_scored(question: Mapping[str, Any]) -> bool:
    """Text and profile questions never count toward the score."""
    return question.get("type") != TEXT and not question.get("profile")


def question_max_points(question: Mapping[str, Any]) -> Decimal:
    """The most a question can earn: the points of yes, of the best option, of every
    option together (multiple choice), or of the best band."""
    if not is_scored(question):
        return Decimal(0)
    kind = question.get("type")
    if kind == YES_NO:
        return to_decimal(question.get("points")) or Decimal(0)
    if kind in (SINGLE, MULTI):
        points = [to_decimal(o.get("points")) or Decimal(0) for o in question.get("options", [])]
        if not points:
            return Decimal(0)
        return sum(points, Decimal(0)) if kind == MULTI else max(points)
    if kind in (NUMBER, PERCENT):
        bands = [to_decimal(b.get("points")) or Decimal(0) for b in question.get("bands", [])]
        return max(bands, default=Decimal(0))
    return Decimal(0)


def section_max_points(section: Mapping[str, Any]) -> Decimal:
    return sum((question_max_points(q) for q in section.get("questions", [])), Decimal(0))


def total_max_points(definition: Mapping[str, Any]) -> Decimal:
    return sum((section_max_points(s) for s in definition.get("sections", [])), Decimal(0))


def iter_questions(definition: Mapping[str, Any]) -> Iterable[tuple[dict, dict]]:
    """(section, question) pairs in template order."""
    for section in definition.get("sections", []):
        for question in section.get("questions", []):
            yield section, question


def questions_by_key(definition: Mapping[str, Any]) -> dict[str, dict]:
    return {q["key"]: q for _, q in iter_questions(definition)}
