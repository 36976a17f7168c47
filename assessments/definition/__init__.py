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

Import from `assessments.definition`; the modules are its sections: `schema` (the
vocabulary), `numbers`, `points` (what a question can earn), `validation` (checking
a document), `answers` (parsing and wording answers) and `conditions` (what is asked).
"""

from .answers import (
    NA_VALUE,
    NONE_VALUE,
    RawAnswer,
    answer_words,
    parse_answers,
)
from .conditions import (
    is_answered,
    missing_required,
    section_progress,
    visibility,
)
from .numbers import (
    format_points,
    plain_number,
    to_decimal,
)
from .points import (
    is_scored,
    iter_questions,
    question_max_points,
    questions_by_key,
    section_max_points,
    total_max_points,
)
from .schema import (
    CONDITION_TYPES,
    IMPACTS,
    KEY_HELP,
    KEY_PATTERN,
    MAX_ANSWER_TEXT,
    MAX_HELP,
    MAX_OPTIONS,
    MAX_POINTS,
    MAX_QUESTIONS,
    MAX_SECTIONS,
    MAX_TEXT,
    MULTI,
    NA,
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
from .validation import (
    normalise_definition,
    publish_problems,
)

__all__ = [
    "CONDITION_TYPES",
    "IMPACTS",
    "KEY_HELP",
    "KEY_PATTERN",
    "MAX_ANSWER_TEXT",
    "MAX_HELP",
    "MAX_OPTIONS",
    "MAX_POINTS",
    "MAX_QUESTIONS",
    "MAX_SECTIONS",
    "MAX_TEXT",
    "MULTI",
    "NA",
    "NA_VALUE",
    "NO",
    "NONE_VALUE",
    "NUMBER",
    "PERCENT",
    "QUESTION_TYPES",
    "SINGLE",
    "TEXT",
    "UNSCORED_POINTS",
    "YES",
    "YES_NO",
    "Problem",
    "RawAnswer",
    "answer_words",
    "format_points",
    "is_answered",
    "is_scored",
    "iter_questions",
    "missing_required",
    "normalise_definition",
    "parse_answers",
    "plain_number",
    "publish_problems",
    "question_max_points",
    "questions_by_key",
    "section_max_points",
    "section_progress",
    "to_decimal",
    "total_max_points",
    "visibility",
]
