"""The shape of a gap-analysis template, and of the answers to it. Pure Python, no Django.

A template version stores its sections and questions as one JSON document (the
same document is exported and imported, see `template_io`). Keeping the rules in
plain functions lets the builder, the importer, the response form, the scoring
function and the tests share one definition of "valid":

* `normalise_definition(raw)` checks a document and returns its canonical form
  (defaults filled in, numbers as int/float) plus every problem found, each with
  where it is and which field is at fault, so that a form can show it at the field
  and an import can list them all at once;
* `publish_problems(definition, max_points)` adds the rule that only a finished
  instrument may be published: scored points add up to the stated maximum;
* `parse_answers(definition, raw)` turns submitted strings into typed answers and
  a message per bad answer; `visibility()` and `missing_required()` apply the
  conditional questions.

Question types: yes/no, single choice (points per option), multiple choice (points
per ticked option), number and percent (points from the highest band reached) and
free text. Text and "profile" questions are never scored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

YES_NO = "yes_no"
SINGLE = "single"
MULTI = "multi"
NUMBER = "number"
PERCENT = "percent"
TEXT = "text"

QUESTION_TYPES: dict[str, str] = {
    YES_NO: "Yes / no",
    SINGLE: "Single choice (points per option)",
    MULTI: "Multiple choice (points per ticked option)",
    NUMBER: "Number (scored in bands)",
    PERCENT: "Percent (scored in bands)",
    TEXT: "Free text (not scored)",
}

#: Types whose answer can decide whether a later question is shown.
CONDITION_TYPES = (YES_NO, SINGLE, MULTI)

#: How hard a gap is to close (DOMAIN.md: easy wins, moderate, high impact).
IMPACTS: dict[str, str] = {
    "": "Not set",
    "easy": "Easy win",
    "moderate": "Moderate effort",
    "high_impact": "High impact",
}

KEY_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,19}$")
KEY_HELP = "1 to 20 letters, digits, dots, dashes or underscores, e.g. A1"

MAX_TEXT = 1000
MAX_HELP = 2000
MAX_ANSWER_TEXT = 4000
MAX_POINTS = Decimal("1000")
MAX_SECTIONS = 50
MAX_QUESTIONS = 400
MAX_OPTIONS = 40

YES, NO = "yes", "no"

UNSCORED_POINTS = "A profile question is not scored: remove its points."


class _NotApplicable:
    """The answer "not applicable": the question's points leave the possible total."""

    _instance: _NotApplicable | None = None

    def __new__(cls) -> _NotApplicable:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NA"

    def __reduce__(self) -> str:
        return "NA"


NA = _NotApplicable()


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a template: where, which field, and what to do."""

    where: str
    field: str
    message: str
    section: str = ""
    question: str = ""

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


# --- numbers ----------------------------------------------------------------------------


def to_decimal(value: Any) -> Decimal | None:
    """A finite Decimal from an int, float or numeric string; None for anything else."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int | float | str):
        try:
            number = Decimal(str(value).strip().replace(",", ""))
        except (InvalidOperation, ValueError):
            return None
    else:
        return None
    return number if number.is_finite() else None


def plain_number(value: Decimal) -> int | float:
    """A Decimal as the JSON number a person would write (7, 1.2)."""
    normalised = value.normalize()
    if normalised == normalised.to_integral_value():
        return int(normalised)
    return float(normalised)


def format_points(value: Decimal | int | float | None) -> str:
    """Points for people: 7, 1.5, 0.25 (no trailing zeros)."""
    if value is None:
        return ""
    number = Decimal(str(value)).normalize()
    if number == number.to_integral_value():
        return str(int(number))
    return f"{number:f}"


# --- points -------------------------------------------------------------------------------


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


# --- checking a template ------------------------------------------------------------------


def _text(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _long_text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


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
        options.append({"key": key, "label": label[:300], "points": plain_number(points)})
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
        question["unit"] = _text(raw.get("unit"))[:40]
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
        section = {
            "key": key,
            "title": title[:200],
            "description": _long_text(raw_section.get("description"))[:MAX_HELP],
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


# --- answers ---------------------------------------------------------------------------------


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
