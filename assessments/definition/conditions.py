"""Conditional questions: which questions are asked for the answers so far, and what
is still missing.

A condition may only point at an earlier question (`validation` checks it), so
visibility is computed in one pass in template order. A hidden question counts like
"not applicable" in the score and is never required.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .points import iter_questions
from .schema import NA


def _shown_by(parent_answer: Any, condition: Mapping[str, Any]) -> bool:
    if parent_answer is None or parent_answer is NA:
        return False
    wanted = set(condition["any_of"])
    if isinstance(parent_answer, list):
        return bool(wanted.intersection(parent_answer))
    return parent_answer in wanted


def visibility(definition: Mapping[str, Any], answers: Mapping[str, Any]) -> dict[str, bool]:
    """Question key -> shown. A question is hidden when its condition is unmet, or
    when the question it depends on is itself hidden."""
    shown: dict[str, bool] = {}
    for _, question in iter_questions(definition):
        condition = question.get("show_if")
        if not condition:
            shown[question["key"]] = True
            continue
        parent = condition["question"]
        shown[question["key"]] = shown.get(parent, False) and _shown_by(
            answers.get(parent), condition
        )
    return shown


def is_answered(answer: Any) -> bool:
    """Whether a question has an answer; "none of these" ([]) and N/A count."""
    return answer is not None and answer != ""


def missing_required(definition: Mapping[str, Any], answers: Mapping[str, Any]) -> list[str]:
    """Keys of shown, required questions that have no answer, in template order."""
    shown = visibility(definition, answers)
    return [
        q["key"]
        for _, q in iter_questions(definition)
        if shown[q["key"]] and q.get("required") and not is_answered(answers.get(q["key"]))
    ]


def section_progress(
    definition: Mapping[str, Any], answers: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """Per section: shown questions and how many of them have an answer."""
    shown = visibility(definition, answers)
    progress = []
    for section in definition.get("sections", []):
        keys = [q["key"] for q in section["questions"] if shown[q["key"]]]
        answered = [k for k in keys if is_answered(answers.get(k))]
        progress.append(
            {
                "key": section["key"],
                "title": section["title"],
                "shown": len(keys),
                "answered": len(answered),
            }
        )
    return progress
