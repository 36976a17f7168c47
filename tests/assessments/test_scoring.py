"""The scoring function and the template rules it relies on (pure Python, no database)."""

import ast
import json
from decimal import Decimal
from pathlib import Path

import pytest

from assessments import definition as d
from assessments.definition import (
    NA,
    RawAnswer,
    missing_required,
    normalise_definition,
    parse_answers,
    publish_problems,
    section_progress,
    visibility,
)
from assessments.scoring import (
    HIDDEN,
    MET,
    NOT_APPLICABLE,
    NOT_MET,
    PARTIAL,
    UNANSWERED,
    UNSCORED,
    score_response,
)

DEMO = Path(__file__).resolve().parents[2] / "assessments" / "data" / "demo_gap_analysis.json"


def template(*questions, sections=None) -> dict:
    raw = sections or [{"key": "S", "title": "Section", "questions": list(questions)}]
    definition, problems = normalise_definition({"sections": raw})
    assert problems == [], [str(p) for p in problems]
    return definition


YN = {"key": "Q1", "text": "Yes or no", "type": "yes_no", "points": 6}
CHOICE = {
    "key": "Q2",
    "text": "How far",
    "type": "single",
    "options": [
        {"key": "none", "label": "None", "points": 0},
        {"key": "part", "label": "Part", "points": 1.5},
        {"key": "full", "label": "Full", "points": 3},
    ],
}
MULTI = {
    "key": "Q3",
    "text": "Which",
    "type": "multi",
    "options": [{"key": k, "label": k, "points": 1.2} for k in ("a", "b", "c", "d", "e")],
}
PERCENT = {
    "key": "Q4",
    "text": "Share",
    "type": "percent",
    "bands": [{"at_least": 50, "points": 1}, {"at_least": 75, "points": 2}],
}
NUMBER = {
    "key": "Q5",
    "text": "How many",
    "type": "number",
    "bands": [{"at_least": 2, "points": 1}],
}


def demo_definition() -> dict:
    raw = json.loads(DEMO.read_text())
    definition, problems = normalise_definition(raw)
    assert problems == []
    return definition


def all_met(definition: dict) -> dict:
    """The best answer to every question (and yes to every profile yes/no)."""
    answers = {}
    for _, q in d.iter_questions(definition):
        if q["type"] == "yes_no":
            answers[q["key"]] = "yes"
        elif q["type"] == "single":
            answers[q["key"]] = max(q["options"], key=lambda o: Decimal(str(o["points"])))["key"]
        elif q["type"] == "multi":
            answers[q["key"]] = [o["key"] for o in q["options"]]
        elif q["type"] in ("number", "percent"):
            answers[q["key"]] = Decimal(100)
    return answers


# --- the demo template ------------------------------------------------------------------------


def test_demo_template_scores_exactly_100_when_everything_is_met():
    definition = demo_definition()
    result = score_response(definition, all_met(definition))
    assert result.score == Decimal("100.0")
    assert result.earned == result.possible == Decimal(100)
    assert [(s.key, s.maximum) for s in result.sections if s.maximum] == [
        ("A", 19),
        ("B", 10),
        ("C", 8),
        ("D", 15),
        ("E", 18),
        ("F", 30),
    ]
    assert result.gaps == []


def test_demo_template_is_publishable_with_a_maximum_of_100():
    raw = json.loads(DEMO.read_text())
    assert raw["max_points"] == 100
    assert "demo" in raw["name"].lower() and "not the NPRP assessment" in raw["description"]
    assert publish_problems(demo_definition(), 100) == []


def test_demo_template_hides_d2_without_an_ehr_and_normalises_to_100():
    definition = demo_definition()
    answers = {**all_met(definition), "P5": "no"}
    result = score_response(definition, answers)
    d2 = next(i for i in result.items if i.key == "D2")
    assert d2.status == HIDDEN and d2.possible == 0
    assert result.possible == Decimal(98)
    assert result.score == Decimal("100.0")


# --- points per question type -----------------------------------------------------------------


def test_yes_earns_the_points_and_no_earns_nothing():
    t = template(YN)
    assert score_response(t, {"Q1": "yes"}).earned == 6
    no = score_response(t, {"Q1": "no"})
    assert no.earned == 0 and no.possible == 6 and no.items[0].status == NOT_MET
    assert no.score == Decimal("0.0")


def test_single_choice_earns_the_chosen_options_points():
    t = template(CHOICE)
    result = score_response(t, {"Q2": "part"})
    assert result.earned == Decimal("1.5") and result.items[0].status == PARTIAL
    assert score_response(t, {"Q2": "full"}).items[0].status == MET


def test_multiple_choice_adds_the_points_of_ticked_options():
    t = template(MULTI)
    assert score_response(t, {"Q3": ["a", "c"]}).earned == Decimal("2.4")
    assert score_response(t, {"Q3": ["a", "c"]}).items[0].status == PARTIAL
    assert score_response(t, {"Q3": []}).items[0].status == NOT_MET
    everything = score_response(t, {"Q3": ["a", "b", "c", "d", "e"]})
    assert everything.earned == Decimal("6.0") and everything.score == Decimal("100.0")


def test_multiple_choice_counts_an_option_once():
    assert score_response(template(MULTI), {"Q3": ["a", "a", "a"]}).earned == Decimal("1.2")


@pytest.mark.parametrize(
    ("value", "points"),
    [("0", 0), ("49.99", 0), ("50", 1), ("74", 1), ("74.9", 1), ("75", 2), ("100", 2)],
)
def test_percent_earns_the_highest_band_reached(value, points):
    assert score_response(template(PERCENT), {"Q4": Decimal(value)}).earned == points


@pytest.mark.parametrize(("value", "points"), [("0", 0), ("1", 0), ("2", 1), ("40", 1)])
def test_number_bands(value, points):
    assert score_response(template(NUMBER), {"Q5": Decimal(value)}).earned == points


def test_bands_are_sorted_and_the_maximum_is_the_best_band():
    t = template(PERCENT)
    assert [b["at_least"] for b in t["sections"][0]["questions"][0]["bands"]] == [75, 50]
    assert d.question_max_points(t["sections"][0]["questions"][0]) == 2


# --- not applicable, conditions, unanswered ---------------------------------------------------


def test_not_applicable_removes_the_points_and_normalises_to_100():
    t = template({**YN, "allow_na": True}, {**CHOICE, "points": None})
    result = score_response(t, {"Q1": NA, "Q2": "full"})
    assert result.items[0].status == NOT_APPLICABLE
    assert (result.earned, result.possible, result.maximum) == (3, 3, 9)
    assert result.score == Decimal("100.0")
    half = score_response(t, {"Q1": NA, "Q2": "part"})
    assert half.score == Decimal("50.0")


def test_everything_not_applicable_gives_no_score_rather_than_an_error():
    t = template({**YN, "allow_na": True})
    result = score_response(t, {"Q1": NA})
    assert result.possible == 0 and result.score is None
    assert result.sections[0].score is None


def test_a_hidden_question_counts_as_not_applicable():
    child = {**CHOICE, "show_if": {"question": "Q1", "any_of": ["yes"]}}
    t = template(YN, child)
    hidden = score_response(t, {"Q1": "no", "Q2": "full"})  # stale answer to a hidden question
    assert hidden.items[1].status == HIDDEN
    assert (hidden.earned, hidden.possible) == (0, 6)
    shown = score_response(t, {"Q1": "yes", "Q2": "none"})
    assert (shown.earned, shown.possible) == (6, 9)
    assert shown.score == Decimal("66.7")


def test_a_question_under_a_hidden_question_is_hidden_too():
    q3 = {**YN, "key": "Q3", "show_if": {"question": "Q2", "any_of": ["full"]}}
    t = template(YN, {**CHOICE, "show_if": {"question": "Q1", "any_of": ["yes"]}}, q3)
    assert visibility(t, {"Q1": "no", "Q2": "full"}) == {"Q1": True, "Q2": False, "Q3": False}
    assert visibility(t, {"Q1": "yes", "Q2": "full"})["Q3"] is True


def test_a_condition_on_a_multiple_choice_shows_when_any_wanted_option_is_ticked():
    t = template(MULTI, {**YN, "show_if": {"question": "Q3", "any_of": ["b", "d"]}})
    assert visibility(t, {"Q3": ["a", "d"]})["Q1"] is True
    assert visibility(t, {"Q3": ["a"]})["Q1"] is False
    assert visibility(t, {})["Q1"] is False


def test_an_unanswered_shown_question_earns_nothing_of_its_points():
    t = template(YN, CHOICE)
    result = score_response(t, {"Q1": "yes"})
    assert result.items[1].status == UNANSWERED
    assert (result.earned, result.possible) == (6, 9)


def test_text_and_profile_questions_never_count():
    t = template(
        {
            "key": "P1",
            "text": "Type",
            "type": "single",
            "profile": True,
            "options": [{"key": "a", "label": "A"}, {"key": "b", "label": "B"}],
        },
        {"key": "T1", "text": "Notes", "type": "text"},
        YN,
    )
    result = score_response(t, {"P1": "a", "T1": "notes", "Q1": "yes"})
    assert [i.status for i in result.items] == [UNSCORED, UNSCORED, MET]
    assert result.possible == 6


def test_gaps_are_sorted_by_lost_points_then_template_order():
    t = template(
        {**YN, "key": "G1", "points": 2},
        {**YN, "key": "G2", "points": 7},
        {**CHOICE, "key": "G3"},
        {**YN, "key": "G4", "points": 2},
        {**YN, "key": "G5", "points": 1},
    )
    result = score_response(t, {"G1": "no", "G2": "no", "G3": "part", "G4": "no", "G5": "yes"})
    assert [(g.key, g.lost) for g in result.gaps] == [
        ("G2", 7),
        ("G1", 2),
        ("G4", 2),
        ("G3", Decimal("1.5")),
    ]


def test_section_scores_are_normalised_separately():
    t = template(
        sections=[
            {"key": "A", "title": "A", "questions": [YN]},
            {"key": "B", "title": "B", "questions": [{**CHOICE, "allow_na": True}]},
        ]
    )
    result = score_response(t, {"Q1": "no", "Q2": NA})
    assert [(s.key, s.score) for s in result.sections] == [("A", Decimal("0.0")), ("B", None)]


def test_rounding_is_half_up_to_one_decimal():
    t = template({**YN, "points": 3}, {**YN, "key": "Q9", "points": 5})
    # 3 of 8 = 37.5 exactly; 5 of 8 = 62.5
    assert score_response(t, {"Q1": "yes", "Q9": "no"}).score == Decimal("37.5")
    t2 = template({**YN, "points": 1}, {**YN, "key": "Q9", "points": 2})
    assert score_response(t2, {"Q1": "yes", "Q9": "no"}).score == Decimal("33.3")
    assert score_response(t2, {"Q1": "no", "Q9": "yes"}).score == Decimal("66.7")


# --- answers: parsing and required questions --------------------------------------------------


def test_parse_answers_reports_every_bad_answer_with_a_message():
    t = template(YN, CHOICE, MULTI, PERCENT, {**NUMBER, "min_value": 0, "max_value": 10})
    answers, problems = parse_answers(
        t,
        {
            "Q1": RawAnswer(["maybe"]),
            "Q2": RawAnswer(["gold"]),
            "Q3": RawAnswer(["a", "zzz"]),
            "Q4": RawAnswer(["120"]),
            "Q5": RawAnswer(["eleven"]),
            "Q99": RawAnswer(["yes"]),
        },
    )
    assert answers == {}
    assert problems == {
        "Q1": "Answer yes or no.",
        "Q2": "Choose one of the listed answers.",
        "Q3": "Choose only from the listed answers.",
        "Q4": "Enter a number from 0 to 100.",
        "Q5": "Enter a number, e.g. 12 or 12.5.",
        "Q99": "There is no question Q99 in this survey.",
    }


def test_parse_answers_types_and_not_applicable():
    t = template({**YN, "allow_na": True}, MULTI, PERCENT)
    answers, problems = parse_answers(
        t,
        {
            "Q1": RawAnswer([d.NA_VALUE]),
            "Q3": RawAnswer(["c", "a"]),
            "Q4": RawAnswer([" 80 "]),
        },
    )
    assert problems == {}
    assert answers == {"Q1": NA, "Q3": ["a", "c"], "Q4": Decimal("80")}
    _, refused = parse_answers(t, {"Q4": RawAnswer([], na=True)})
    assert refused == {"Q4": "“Not applicable” is not an answer to this question."}


def test_none_of_these_is_an_answer_but_not_together_with_options():
    t = template(MULTI)
    answers, _ = parse_answers(t, {"Q3": RawAnswer([d.NONE_VALUE])})
    assert answers == {"Q3": []}
    _, problems = parse_answers(t, {"Q3": RawAnswer([d.NONE_VALUE, "a"])})
    assert "cannot be ticked together" in problems["Q3"]
    blank, _ = parse_answers(t, {"Q3": RawAnswer([])})
    assert blank == {"Q3": None}


def test_two_answers_to_a_single_question_are_refused():
    _, problems = parse_answers(template(YN), {"Q1": RawAnswer(["yes", "no"])})
    assert problems == {"Q1": "Give one answer."}


def test_missing_required_ignores_hidden_and_optional_questions():
    child = {**CHOICE, "show_if": {"question": "Q1", "any_of": ["yes"]}}
    t = template(YN, child, {"key": "T1", "text": "Notes", "type": "text"})
    assert missing_required(t, {}) == ["Q1"]
    assert missing_required(t, {"Q1": "no"}) == []
    assert missing_required(t, {"Q1": "yes"}) == ["Q2"]
    assert missing_required(t, {"Q1": "yes", "Q2": "none"}) == []


def test_section_progress_counts_shown_questions_only():
    child = {**CHOICE, "show_if": {"question": "Q1", "any_of": ["yes"]}}
    t = template(YN, child)
    assert section_progress(t, {"Q1": "no"})[0] | {"title": ""} == {
        "key": "S",
        "title": "",
        "shown": 1,
        "answered": 1,
    }
    assert section_progress(t, {"Q1": "yes"})[0]["shown"] == 2


# --- template rules ---------------------------------------------------------------------------


def test_publishable_only_when_scored_points_add_up_to_the_stated_maximum():
    t = template(YN, CHOICE)  # 6 + 3
    assert publish_problems(t, 9) == []
    [short] = publish_problems(t, 10)
    assert "add up to 9, not the stated maximum of 10: add 1 points" in str(short)
    [over] = publish_problems(t, Decimal("8.5"))
    assert "remove 0.5 points" in str(over)


def test_an_empty_template_or_section_is_not_publishable():
    empty, _ = normalise_definition({"sections": [{"key": "A", "title": "A", "questions": []}]})
    messages = [str(p) for p in publish_problems(empty, 100)]
    assert "Section A: The section has no questions." in messages
    assert "Add at least one scored question." in messages


@pytest.mark.parametrize(
    ("question", "field", "message"),
    [
        ({"key": "1 bad", "text": "x", "type": "yes_no", "points": 1}, "key", "key"),
        ({"key": "Q", "text": "x", "type": "slider", "points": 1}, "type", "Unknown question type"),
        ({"key": "Q", "text": " ", "type": "yes_no", "points": 1}, "text", "Write the question"),
        ({"key": "Q", "text": "x", "type": "yes_no", "points": -1}, "points", "negative"),
        ({"key": "Q", "text": "x", "type": "yes_no", "points": "lots"}, "points", "number"),
        ({"key": "Q", "text": "x", "type": "yes_no", "points": 0}, "points", "more than 0"),
        ({"key": "Q", "text": "x", "type": "yes_no", "points": 1.234}, "points", "two decimal"),
        ({"key": "Q", "text": "x", "type": "single", "options": []}, "options", "at least one"),
        (
            {
                "key": "Q",
                "text": "x",
                "type": "single",
                "options": [{"key": "a", "label": "A", "points": 1}, {"key": "a", "label": "B"}],
            },
            "options",
            "used twice",
        ),
        (
            {"key": "Q", "text": "x", "type": "percent", "bands": [{"at_least": 120, "points": 1}]},
            "bands",
            "between 0 and 100",
        ),
        (
            {
                "key": "Q",
                "text": "x",
                "type": "number",
                "bands": [{"at_least": 1, "points": 1}, {"at_least": 1, "points": 2}],
            },
            "bands",
            "Two bands start at 1",
        ),
        (
            {
                "key": "Q",
                "text": "x",
                "type": "number",
                "min_value": 5,
                "max_value": 1,
                "bands": [{"at_least": 1, "points": 1}],
            },
            "max_value",
            "below the minimum",
        ),
        (
            {"key": "Q", "text": "x", "type": "yes_no", "points": 1, "profile": True},
            "points",
            "not scored",
        ),
        ({"key": "Q", "text": "x", "type": "yes_no", "points": 1, "impact": "huge"}, "impact", ""),
    ],
)
def test_template_problems_name_the_question_and_field(question, field, message):
    _, problems = normalise_definition(
        {"sections": [{"key": "A", "title": "A", "questions": [question]}]}
    )
    assert problems, "expected a problem"
    assert problems[0].field == field
    assert message in problems[0].message


def test_conditions_must_point_at_an_earlier_question_with_a_valid_answer():
    later = {**YN, "key": "Q0", "show_if": {"question": "Q1", "any_of": ["yes"]}}
    _, problems = normalise_definition(
        {"sections": [{"key": "A", "title": "A", "questions": [later, YN]}]}
    )
    assert "not an earlier question" in problems[0].message
    wrong_value = {**CHOICE, "show_if": {"question": "Q1", "any_of": ["maybe"]}}
    _, problems = normalise_definition(
        {"sections": [{"key": "A", "title": "A", "questions": [YN, wrong_value]}]}
    )
    assert "Q1 has no answer maybe" in problems[0].message
    on_text = {**YN, "key": "Q7", "show_if": {"question": "T", "any_of": ["x"]}}
    _, problems = normalise_definition(
        {
            "sections": [
                {
                    "key": "A",
                    "title": "A",
                    "questions": [{"key": "T", "text": "t", "type": "text"}, on_text],
                }
            ]
        }
    )
    assert "Only yes/no and choice questions can decide" in problems[0].message


def test_duplicate_keys_are_refused_across_sections():
    _, problems = normalise_definition(
        {
            "sections": [
                {"key": "A", "title": "A", "questions": [YN]},
                {"key": "A", "title": "B", "questions": []},
                {"key": "C", "title": "C", "questions": [YN]},
            ]
        }
    )
    assert [p.message for p in problems] == [
        "Section key A is used twice.",
        "Question key Q1 is used twice.",
    ]


def test_the_scoring_modules_do_not_import_django():
    app = DEMO.parents[1]
    definition = sorted((app / "definition").glob("*.py"))
    assert definition, "the definition package has moved"
    for path in [app / "scoring.py", *definition]:
        source = path.read_text()
        modules = {
            alias.name.split(".")[0]
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Import)
            for alias in node.names
        } | {
            (node.module or "").split(".")[0]
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.ImportFrom) and node.level == 0
        }
        assert "django" not in modules, path.name
