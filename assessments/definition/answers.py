"""Answers to a template: what a form sent, typed and checked, and an answer in words.

`parse_answers` turns submitted strings into the typed answers the scoring function
takes (Decimals, option keys, NA) with a message per bad answer; `answer_words` is
how exports, read-only pages and PDFs show one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .numbers import format_points, to_decimal
from .points import questions_by_key
from .schema import MAX_ANSWER_TEXT, MULTI, NA, NO, NUMBER, PERCENT, SINGLE, TEXT, YES, YES_NO


@dataclass
class RawAnswer:
    """What a form sent for one question: its value(s), and the "not applicable" box."""

    values: list[str]
    na: bool = False


NA_VALUE = "__na__"

#: Multiple choice: "none of these" is an answer (0 points), unlike nothing ticked.
NONE_VALUE = "__none__"


def _parse_one(question: Mapping[str, Any], raw: RawAnswer) -> tuple[Any, str | None]:
    """(typed answer or None for blank, problem or None)."""
    values = [v.strip() if isinstance(v, str) else v for v in raw.values]
    values = [v for v in values if v not in ("", None)]
    kind = question["type"]
    if raw.na or NA_VALUE in values:
        if not question.get("allow_na"):
            return None, "“Not applicable” is not an answer to this question."
        return NA, None
    if not values:
        return None, None
    if any(not isinstance(v, str) for v in values):
        return None, "The answer has the wrong type."
    if kind != MULTI and len(values) > 1:
        return None, "Give one answer."
    value = values[0]
    if kind == YES_NO:
        if value not in (YES, NO):
            return None, "Answer yes or no."
        return value, None
    if kind == SINGLE:
        keys = [o["key"] for o in question.get("options", [])]
        if value not in keys:
            return None, "Choose one of the listed answers."
        return value, None
    if kind == MULTI:
        if NONE_VALUE in values:
            if len(values) > 1:
                return None, "“None of these” cannot be ticked together with other answers."
            return [], None
        keys = [o["key"] for o in question.get("options", [])]
        unknown = [v for v in values if v not in keys]
        if unknown:
            return None, "Choose only from the listed answers."
        chosen = set(values)
        return [k for k in keys if k in chosen], None
    if kind in (NUMBER, PERCENT):
        number = to_decimal(value)
        if number is None:
            return None, "Enter a number, e.g. 12 or 12.5." if kind == NUMBER else (
                "Enter a percentage as a number from 0 to 100, e.g. 80."
            )
        low, high = to_decimal(question.get("min_value")), to_decimal(question.get("max_value"))
        if (low is not None and number < low) or (high is not None and number > high):
            if low is not None and high is not None:
                return None, f"Enter a number from {format_points(low)} to {format_points(high)}."
            if low is not None:
                return None, f"Enter a number of at least {format_points(low)}."
            return None, f"Enter a number of at most {format_points(high)}."
        if abs(number) >= Decimal("1e9") or number != number.quantize(Decimal("0.01")):
            return None, "Use at most two decimal places."
        return number, None
    if kind == TEXT:
        if len(value) > MAX_ANSWER_TEXT:
            return None, f"At most {MAX_ANSWER_TEXT} characters."
        return value, None
    return None, "This question cannot be answered."


def parse_answers(
    definition: Mapping[str, Any], raw: Mapping[str, RawAnswer]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Typed answers for every question in `raw` (None means "cleared"), and a
    message per question key that is unknown or whose answer is not valid."""
    questions = questions_by_key(definition)
    answers: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for key, item in raw.items():
        question = questions.get(key)
        if question is None:
            problems[key] = f"There is no question {key} in this survey."
            continue
        value, problem = _parse_one(question, item)
        if problem:
            problems[key] = problem
        else:
            answers[key] = value
    return answers, problems


def answer_words(question: Mapping[str, Any], answer: Any) -> str:
    """An answer as a person reads it (exports, read-only pages, PDFs)."""
    if answer is None:
        return ""
    if answer is NA:
        return "Not applicable"
    kind = question["type"]
    if kind == YES_NO:
        return "Yes" if answer == YES else "No"
    if kind in (SINGLE, MULTI):
        labels = {o["key"]: o["label"] for o in question.get("options", [])}
        if kind == MULTI:
            return "; ".join(labels.get(k, k) for k in answer) if answer else "None of these"
        return labels.get(answer, str(answer))
    if kind in (NUMBER, PERCENT):
        text = format_points(answer)
        if kind == PERCENT:
            return f"{text}%"
        unit = question.get("unit")
        return f"{text} {unit}" if unit else text
    return str(answer)
