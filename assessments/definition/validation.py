"""Checking a template document: `normalise_definition` and `publish_problems`.

The builder, the importer and publishing call the same two functions, so a
document is valid by one set of rules wherever it comes from. Every problem is
collected (never only the first), with where it is and which field is at fault, so
that a form shows it at the field and an import lists them all at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .numbers import format_points, plain_number, to_decimal
from .points import is_scored, iter_questions, question_max_points, total_max_points
from .schema import (
    CONDITION_TYPES,
    IMPACTS,
    KEY_HELP,
    KEY_PATTERN,
    MAX_HELP,
    MAX_OPTION_LABEL,
    MAX_OPTIONS,
    MAX_POINTS,
    MAX_QUESTIONS,
    MAX_SECTIONS,
    MAX_TEXT,
    MAX_TITLE,
    MAX_UNIT,
    MULTI,
    NO,
    NUMBER,
    PERCENT,
    QUESTION_TYPES,
    SINGLE,
    TEXT,
    UNSCORED_POINTS,
    YES,
    YES_NO,
    Problem,
)


def _text(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _long_text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _at_most(
    text: str, limit: int, what: str, where: str, field: str, problems: list[Problem], **ids: str
) -> str:
    """`text` unchanged; a problem when it is longer than `limit`.

    An imported document is never cut to fit: a shortened label would be saved as if
    the author had written it.
    """
    if len(text) > limit:
        problems.append(Problem(where, field, f"{what}: at most {limit} characters.", **ids))
    return text


def _points(
    value: Any, where: str, field: str, problems: list[Problem], **ids: str
) -> Decimal | None:
    number = to_decimal(value)
    if number is None:
        problems.append(Problem(where, field, "Give the points as a number, e.g. 2 or 1.5.", **ids))
        return None
    if number < 0:
        problems.append(Problem(where, field, "Points cannot be negative.", **ids))
        return None
    if number > MAX_POINTS:
        problems.append(Problem(where, field, f"Points cannot exceed {MAX_POINTS}.", **ids))
        return None
    if number != number.quantize(Decimal("0.01")):
        problems.append(Problem(where, field, "Use at most two decimal places.", **ids))
        return None
    return number


def _options(raw: Any, where: str, problems: list[Problem], scored: bool, **ids) -> list[dict]:
    if not isinstance(raw, list) or not raw:
        problems.append(Problem(where, "options", "Give at least one option.", **ids))
        return []
    if len(raw) > MAX_OPTIONS:
        problems.append(Problem(where, "options", f"At most {MAX_OPTIONS} options.", **ids))
        return []
    options, seen = [], set()
    for index, item in enumerate(raw, start=1):
        if not isinstance(item, Mapping):
            problems.append(Problem(where, "options", f"Option {index} is not an object.", **ids))
            continue
        key = item.get("key")
        label = _text(item.get("label"))
        if not isinstance(key, str) or not KEY_PATTERN.match(key):
            problems.append(
                Problem(where, "options", f"Option {index} needs a key ({KEY_HELP}).", **ids)
            )
            continue
        if key in seen:
            problems.append(Problem(where, "options", f"Option key {key} is used twice.", **ids))
            continue
        seen.add(key)
        if not label:
            problems.append(Problem(where, "options", f"Option {key} needs a label.", **ids))
        points = Decimal(0)
        if scored:
            points = _points(item.get("points", 0), where, "options", problems, **ids) or Decimal(0)
        elif to_decimal(item.get("points", 0)) not in (None, Decimal(0)):
            problems.append(Problem(where, "options", UNSCORED_POINTS, **ids))
        label = _at_most(
            label, MAX_OPTION_LABEL, f"Option {key}", where, "options", problems, **ids
        )
        options.append({"key": key, "label": label, "points": plain_number(points)})
    return options


def _bands(raw: Any, where: str, problems: list[Problem], kind: str, **ids) -> list[dict]:
    if raw in (None, []):
        return []
    if not isinstance(raw, list):
        problems.append(Problem(where, "bands", "Bands must be a list.", **ids))
        return []
    bands, seen = [], set()
    for index, item in enumerate(raw, start=1):
        if not isinstance(item, Mapping):
            problems.append(Problem(where, "bands", f"Band {index} is not an object.", **ids))
            continue
        at_least = to_decimal(item.get("at_least"))
        if at_least is None:
            problems.append(
                Problem(where, "bands", f"Band {index} needs a lowest value (at_least).", **ids)
            )
            continue
        if kind == PERCENT and not Decimal(0) <= at_least <= Decimal(100):
            problems.append(
                Problem(where, "bands", f"Band {index}: a percent is between 0 and 100.", **ids)
            )
            continue
        if at_least in seen:
            problems.append(
                Problem(where, "bands", f"Two bands start at {format_points(at_least)}.", **ids)
            )
            continue
        seen.add(at_least)
        points = _points(item.get("points"), where, "bands", problems, **ids)
        if points is not None:
            bands.append({"at_least": plain_number(at_least), "points": plain_number(points)})
    return sorted(bands, key=lambda b: Decimal(str(b["at_least"])), reverse=True)


def _condition(
    raw: Any,
    where: str,
    problems: list[Problem],
    earlier: Mapping[str, dict],
    **ids: str,
) -> dict | None:
    if raw in (None, {}, ""):
        return None
    if not isinstance(raw, Mapping):
        problems.append(Problem(where, "show_if", "The condition must be an object.", **ids))
        return None
    parent_key = raw.get("question")
    parent = earlier.get(parent_key) if isinstance(parent_key, str) else None
    if parent is None:
        problems.append(
            Problem(
                where,
                "show_if",
                f"The condition refers to {parent_key!r}, which is not an earlier question.",
                **ids,
            )
        )
        return None
    if parent["type"] not in CONDITION_TYPES:
        problems.append(
            Problem(
                where,
                "show_if",
                f"Only yes/no and choice questions can decide; {parent_key} is not one.",
                **ids,
            )
        )
        return None
    values = raw.get("any_of")
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list) or not values:
        problems.append(
            Problem(where, "show_if", "Say which answers show this question (any_of).", **ids)
        )
        return None
    allowed = (
        [YES, NO] if parent["type"] == YES_NO else [o["key"] for o in parent.get("options", [])]
    )
    wrong = [v for v in values if v not in allowed]
    if wrong:
        problems.append(
            Problem(
                where,
                "show_if",
                f"{parent_key} has no answer {', '.join(map(str, wrong))}; "
                f"choose from {', '.join(allowed)}.",
                **ids,
            )
        )
        return None
    return {"question": parent_key, "any_of": list(dict.fromkeys(values))}


def _question(raw: Any, where: str, problems: list[Problem], earlier: dict, section: str) -> dict:
    ids = {"section": section}
    if not isinstance(raw, Mapping):
        problems.append(Problem(where, "", "A question must be an object.", **ids))
        return {}
    key = raw.get("key")
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        problems.append(Problem(where, "key", f"Give the question a key ({KEY_HELP}).", **ids))
        return {}
    where = f"Question {key}"
    ids["question"] = key
    count = len(problems)
    kind = raw.get("type")
    if kind not in QUESTION_TYPES:
        problems.append(
            Problem(
                where,
                "type",
                f"Unknown question type {kind!r}; use one of {', '.join(QUESTION_TYPES)}.",
                **ids,
            )
        )
        return {}
    text = _text(raw.get("text"))
    if not text:
        problems.append(Problem(where, "text", "Write the question.", **ids))
    elif len(text) > MAX_TEXT:
        problems.append(Problem(where, "text", f"At most {MAX_TEXT} characters.", **ids))
    help_text = _long_text(raw.get("help"))
    if len(help_text) > MAX_HELP:
        problems.append(Problem(where, "help", f"At most {MAX_HELP} characters of help.", **ids))
    profile = bool(raw.get("profile", False))
    scored = kind != TEXT and not profile
    question: dict[str, Any] = {
        "key": key,
        "text": text,
        "help": help_text,
        "type": kind,
        "profile": profile,
        "required": bool(raw.get("required", kind != TEXT)),
        "allow_na": bool(raw.get("allow_na", False)),
        "impact": raw.get("impact") or "",
    }
    if question["impact"] not in IMPACTS:
        problems.append(
            Problem(
                where,
                "impact",
                f"Unknown impact {question['impact']!r}; use easy, moderate or high_impact.",
                **ids,
            )
        )
    if kind == YES_NO:
        if scored:
            question["points"] = plain_number(
                _points(raw.get("points"), where, "points", problems, **ids) or Decimal(0)
            )
        elif to_decimal(raw.get("points", 0)) not in (None, Decimal(0)):
            problems.append(Problem(where, "points", UNSCORED_POINTS, **ids))
    if kind in (SINGLE, MULTI):
        question["options"] = _options(raw.get("options"), where, problems, scored, **ids)
        if kind == SINGLE and len(question["options"]) == 1:
            problems.append(Problem(where, "options", "A single choice needs two options.", **ids))
    if kind in (NUMBER, PERCENT):
        question["bands"] = _bands(raw.get("bands"), where, problems, kind, **ids)
        if not scored and question["bands"]:
            problems.append(Problem(where, "bands", UNSCORED_POINTS, **ids))
        low, high = to_decimal(raw.get("min_value")), to_decimal(raw.get("max_value"))
        if kind == PERCENT:
            low = Decimal(0) if low is None else low
            high = Decimal(100) if high is None else high
            if low < 0 or high > 100:
                problems.append(
                    Problem(where, "max_value", "A percent lies between 0 and 100.", **ids)
                )
        else:
            low = Decimal(0) if low is None and raw.get("min_value") is None else low
        if raw.get("min_value") not in (None, "") and to_decimal(raw.get("min_value")) is None:
            problems.append(Problem(where, "min_value", "The minimum must be a number.", **ids))
        if raw.get("max_value") not in (None, "") and to_decimal(raw.get("max_value")) is None:
            problems.append(Problem(where, "max_value", "The maximum must be a number.", **ids))
        if low is not None and high is not None and low > high:
            problems.append(
                Problem(where, "max_value", "The maximum must not be below the minimum.", **ids)
            )
        question["min_value"] = plain_number(low) if low is not None else None
        question["max_value"] = plain_number(high) if high is not None else None
        question["unit"] = _at_most(
            _text(raw.get("unit")), MAX_UNIT, "The unit", where, "unit", problems, **ids
        )
    if scored and len(problems) == count and question_max_points(question) <= 0:
        problems.append(
            Problem(
                where,
                "points",
                "A scored question must be worth more than 0 points "
                "(or mark it as a profile question).",
                **ids,
            )
        )
    condition = _condition(raw.get("show_if"), where, problems, earlier, **ids)
    question["show_if"] = condition
    return question


def normalise_definition(raw: Any) -> tuple[dict, list[Problem]]:
    """The canonical form of a template's sections and questions, and every problem.

    Conditions may only point at an earlier question, which rules out cycles and
    lets visibility be computed in one pass.
    """
    problems: list[Problem] = []
    if isinstance(raw, Mapping):
        raw_sections = raw.get("sections", [])
    else:
        problems.append(Problem("", "sections", "The template must be a JSON object."))
        return {"sections": []}, problems
    if not isinstance(raw_sections, list):
        problems.append(Problem("", "sections", "The sections must be a list."))
        return {"sections": []}, problems
    if len(raw_sections) > MAX_SECTIONS:
        problems.append(Problem("", "sections", f"At most {MAX_SECTIONS} sections."))
        return {"sections": []}, problems
    sections: list[dict] = []
    section_keys: set[str] = set()
    earlier: dict[str, dict] = {}
    n_questions = 0
    for s_index, raw_section in enumerate(raw_sections, start=1):
        if not isinstance(raw_section, Mapping):
            problems.append(Problem(f"Section {s_index}", "", "A section must be an object."))
            continue
        key = raw_section.get("key")
        if not isinstance(key, str) or not KEY_PATTERN.match(key):
            problems.append(
                Problem(f"Section {s_index}", "key", f"Give the section a key ({KEY_HELP}).")
            )
            continue
        where = f"Section {key}"
        if key in section_keys:
            problems.append(Problem(where, "key", f"Section key {key} is used twice.", section=key))
            continue
        section_keys.add(key)
        title = _text(raw_section.get("title"))
        if not title:
            problems.append(Problem(where, "title", "Give the section a title.", section=key))
        description = _long_text(raw_section.get("description"))
        section = {
            "key": key,
            "title": _at_most(title, MAX_TITLE, "The title", where, "title", problems, section=key),
            "description": _at_most(
                description,
                MAX_HELP,
                "The description",
                where,
                "description",
                problems,
                section=key,
            ),
            "questions": [],
        }
        raw_questions = raw_section.get("questions", [])
        if not isinstance(raw_questions, list):
            problems.append(Problem(where, "questions", "Questions must be a list.", section=key))
            raw_questions = []
        for q_index, raw_question in enumerate(raw_questions, start=1):
            n_questions += 1
            if n_questions > MAX_QUESTIONS:
                problems.append(Problem(where, "questions", f"At most {MAX_QUESTIONS} questions."))
                break
            question = _question(
                raw_question, f"{where}, question {q_index}", problems, earlier, key
            )
            if not question:
                continue
            if question["key"] in earlier:
                problems.append(
                    Problem(
                        f"Question {question['key']}",
                        "key",
                        f"Question key {question['key']} is used twice.",
                        section=key,
                        question=question["key"],
                    )
                )
                continue
            earlier[question["key"]] = question
            section["questions"].append(question)
        sections.append(section)
    return {"sections": sections}, problems


def publish_problems(definition: Mapping[str, Any], max_points: Any) -> list[Problem]:
    """Why a (structurally valid) template cannot be published yet, if anything."""
    problems: list[Problem] = []
    stated = to_decimal(max_points)
    if stated is None or stated <= 0:
        problems.append(Problem("", "max_points", "The maximum score must be more than 0."))
        return problems
    sections = definition.get("sections", [])
    if not sections:
        problems.append(Problem("", "sections", "Add at least one section with questions."))
    for section in sections:
        if not section.get("questions"):
            problems.append(
                Problem(f"Section {section['key']}", "questions", "The section has no questions.")
            )
    if not any(is_scored(q) for _, q in iter_questions(definition)):
        problems.append(Problem("", "sections", "Add at least one scored question."))
    total = total_max_points(definition)
    if total != stated:
        difference = stated - total
        fix = (
            f"add {format_points(difference)} points"
            if difference > 0
            else f"remove {format_points(-difference)} points"
        )
        problems.append(
            Problem(
                "",
                "max_points",
                f"The scored points add up to {format_points(total)}, not the stated maximum "
                f"of {format_points(stated)}: {fix} or change the maximum.",
            )
        )
    return problems
