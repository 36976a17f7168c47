"""The rules of the PDSA worksheet: which fields belong to each stage, which of them
must be filled before the cycle moves on, and the order the stage dates keep.

Pure functions over a cycle-like object, so the form, the service, the API and
the tests ask the same questions the same way.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from .models import STAGE_ORDER, Stage


@dataclass(frozen=True)
class StageSpec:
    stage: str
    label: str
    question: str
    fields: tuple[str, ...]
    required: tuple[str, ...]


#: What each stage asks, in order. `required` must be filled to leave the stage.
STAGES: dict[str, StageSpec] = {
    Stage.PLAN: StageSpec(
        Stage.PLAN,
        "Plan",
        "What will you test, what do you predict, and how will you run the test?",
        (
            "title",
            "change_idea",
            "builds_on",
            "scale",
            "objective",
            "questions",
            "predictions",
            "plan_details",
            "data_to_collect",
            "plan_date",
        ),
        ("title", "change_idea", "objective", "predictions", "plan_details", "plan_date"),
    ),
    Stage.DO: StageSpec(
        Stage.DO,
        "Do",
        "Run the test. What happened?",
        ("do_date", "what_happened", "observations", "problems"),
        ("do_date", "what_happened"),
    ),
    Stage.STUDY: StageSpec(
        Stage.STUDY,
        "Study",
        "Compare the results with your predictions. What did you learn?",
        ("study_date", "results", "learned", "linked_measures", "measure_notes"),
        ("study_date", "results", "learned"),
    ),
    Stage.ACT: StageSpec(
        Stage.ACT,
        "Act",
        "Adopt, adapt or abandon the change? What will the next cycle test?",
        ("act_date", "decision", "next_steps"),
        ("act_date", "decision", "next_steps"),
    ),
    Stage.COMPLETE: StageSpec(Stage.COMPLETE, "Complete", "The cycle is finished.", (), ()),
}

#: Plain-language names of the fields, for messages ("fill in: what happened").
FIELD_LABELS: dict[str, str] = {
    "title": "Title",
    "change_idea": "Change idea tested",
    "builds_on": "Builds on the cycle",
    "scale": "Size of the test",
    "objective": "Objective",
    "questions": "Questions",
    "predictions": "Predictions",
    "plan_details": "Who, what, when and where",
    "data_to_collect": "Data to collect",
    "plan_date": "Date planned",
    "do_date": "Date the test ran",
    "what_happened": "What happened",
    "observations": "Observations",
    "problems": "Problems and surprises",
    "study_date": "Date studied",
    "results": "Results compared with predictions",
    "learned": "What we learned",
    "linked_measures": "Measures that show the result",
    "measure_notes": "What the measure data showed",
    "act_date": "Date decided",
    "decision": "Decision",
    "next_steps": "What the next cycle will test",
    "completed_date": "Date completed",
}

#: The stage dates, which must not go backwards.
DATE_FIELDS: tuple[str, ...] = ("plan_date", "do_date", "study_date", "act_date", "completed_date")

#: Which stage dates may lie in the future, and while the cycle is at which stages.
#: Every stage date but one records something that happened: the test started (Do), the
#: results were studied (Study), the decision was taken (Act), the cycle was completed.
#: None of those can be later than today. The plan date is the one date of intent: while
#: the cycle is still at Plan, the team may date its plan for the day the test is meant
#: to start. Once the cycle has moved on to Do the plan has been carried out, so its
#: date cannot be later than today either (and the order above keeps it before Do's).
#: "Today" is the site's day (core.clock), the one the forms fill in.
FUTURE_DATE_STAGES: dict[str, tuple[str, ...]] = {"plan_date": (Stage.PLAN,)}

#: Every field a person edits (the stage's date included), in worksheet order.
EDITABLE_FIELDS: tuple[str, ...] = tuple(f for spec in STAGES.values() for f in spec.fields)

#: Fields that hold a set of related objects rather than one value.
MANY_FIELDS: tuple[str, ...] = ("linked_measures",)

#: Fields whose text is the team's raw notes (hidden from other teams unless shared).
RAW_NOTE_FIELDS: tuple[str, ...] = (
    "objective",
    "questions",
    "predictions",
    "plan_details",
    "data_to_collect",
    "what_happened",
    "observations",
    "problems",
    "results",
    "measure_notes",
)


def stage_label(stage: str) -> str:
    return STAGES[stage].label


def next_stage(stage: str) -> str | None:
    index = STAGE_ORDER.index(stage)
    return STAGE_ORDER[index + 1] if index + 1 < len(STAGE_ORDER) else None


def stages_up_to(stage: str) -> list[str]:
    """The stages a cycle at `stage` has reached (their fields may be edited)."""
    return STAGE_ORDER[: STAGE_ORDER.index(stage) + 1]


def _filled(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    return value is not None


def missing_to_enter(cycle: Any, target: str) -> dict[str, list[str]]:
    """Stage label -> labels of the required fields still empty before `target` can
    be entered (the required fields of every stage before it). Empty means allowed."""
    missing: dict[str, list[str]] = {}
    for stage in STAGE_ORDER[: STAGE_ORDER.index(target)]:
        empty = [
            FIELD_LABELS[f] for f in STAGES[stage].required if not _filled(getattr(cycle, f, None))
        ]
        if empty:
            missing[STAGES[stage].label] = empty
    return missing


def missing_fields_to_enter(cycle: Any, target: str) -> list[str]:
    """Field names (not labels) that block entering `target`, for marking the form."""
    return [
        f
        for stage in STAGE_ORDER[: STAGE_ORDER.index(target)]
        for f in STAGES[stage].required
        if not _filled(getattr(cycle, f, None))
    ]


def missing_message(target: str, missing: dict[str, list[str]]) -> str:
    """One sentence naming every missing field, grouped by stage."""
    parts = [f"{stage}: {', '.join(labels).lower()}" for stage, labels in missing.items()]
    return f"To move to {stage_label(target)}, first fill in " + "; ".join(parts) + "."


def date_problems(values: dict[str, date | None]) -> dict[str, str]:
    """Field -> message for every stage date earlier than the one before it."""
    problems: dict[str, str] = {}
    previous: tuple[str, date] | None = None
    for name in DATE_FIELDS:
        value = values.get(name)
        if value is None:
            continue
        if previous and value < previous[1]:
            problems[name] = (
                f"{FIELD_LABELS[name]} ({value:%-d %B %Y}) cannot be before "
                f"{FIELD_LABELS[previous[0]].lower()} ({previous[1]:%-d %B %Y})."
            )
        else:
            previous = (name, value)
    return problems


def future_date_problems(
    values: dict[str, date | None], *, stage: str, today: date
) -> dict[str, str]:
    """Field -> message for every stage date later than `today` that records something
    that happened (see FUTURE_DATE_STAGES) for a cycle at `stage`."""
    problems: dict[str, str] = {}
    for name in DATE_FIELDS:
        value = values.get(name)
        if value is None or value <= today or stage in FUTURE_DATE_STAGES.get(name, ()):
            continue
        if name in FUTURE_DATE_STAGES:
            problems[name] = (
                f"{FIELD_LABELS[name]} ({value:%-d %B %Y}) is in the future, but the cycle is "
                f"at {stage_label(stage)}, so its plan is already under way: give a day up to "
                f"today ({today:%-d %B %Y})."
            )
        else:
            problems[name] = (
                f"{FIELD_LABELS[name]} ({value:%-d %B %Y}) is in the future: it records what "
                f"happened, so give a day up to today ({today:%-d %B %Y})."
            )
    return problems
