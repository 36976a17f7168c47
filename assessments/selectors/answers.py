"""A response's answers: stored rows as the typed answers scoring takes, and back.

Answers are stored as JSON (numbers as strings, "not applicable" as a flag) and
scored as Decimals, option keys and NA; these functions are the one translation
between the two, and `cached_sections` is what a submitted response keeps of its score.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from ..definition import (
    NA,
    NUMBER,
    PERCENT,
    format_points,
    questions_by_key,
    to_decimal,
)
from ..models import Answer, SurveyResponse
from ..scoring import ScoreResult, score_response


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
