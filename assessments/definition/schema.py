"""The vocabulary of a template document: question types, impacts, keys and limits,
the answer "not applicable", and `Problem`, the one way every check reports a fault.

Every other module of the package speaks these words, so they live apart from the
rules that use them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

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
#: Lengths of the shorter texts: a section's title, an option's label, a number's unit.
MAX_TITLE = 200
MAX_OPTION_LABEL = 300
MAX_UNIT = 40

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
