"""Sharing instruments as JSON: export, import, the round trip, and every malformed file."""

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import QuestionLink, SurveyTemplate, TemplateStatus
from assessments.template_io import parse_template_file

from .conftest import client_for

DEMO = Path(__file__).resolve().parents[2] / "assessments" / "data" / "demo_gap_analysis.json"


def valid() -> dict:
    return {
        "format": "qi-gap-analysis",
        "format_version": 1,
        "name": "Shared survey",
        "max_points": 5,
        "sections": [
            {
                "key": "A",
                "title": "A",
                "questions": [
                    {
                        "key": "A1",
                        "text": "One",
                        "type": "yes_no",
                        "points": 5,
                        "links": [{"title": "Toolkit", "url": "https://example.org/t"}],
                    },
                ],
            }
        ],
    }


def broken(change) -> str:
    document = valid()
    change(document)
    return json.dumps(document)


MALFORMED = [
    ("{not json", "The file is not valid JSON (line 1, column 2"),
    ("[1, 2]", "The file must hold one JSON object."),
    (broken(lambda d: d.pop("format")), 'This is not a gap-analysis template ("format" must be'),
    (broken(lambda d: d.update(format_version=7)), "Unsupported format_version 7"),
    (broken(lambda d: d.update(name="")), "The template needs a name."),
    (broken(lambda d: d.update(max_points="many")), "max_points must be a number above 0"),
    (broken(lambda d: d.pop("sections")), "The template has no sections."),
    (broken(lambda d: d.update(sections={"A": 1})), "The sections must be a list."),
    (
        broken(lambda d: d["sections"][0]["questions"][0].update(type="slider")),
        "Question A1: Unknown question type 'slider'",
    ),
    (
        broken(
            lambda d: d["sections"][0]["questions"].append(
                {"key": "A1", "text": "Again", "type": "yes_no", "points": 1}
            )
        ),
        "Question A1: Question key A1 is used twice.",
    ),
    (
        broken(
            lambda d: d["sections"][0]["questions"][0].update(
                show_if={"question": "Z9", "any_of": ["yes"]}
            )
        ),
        "The condition refers to 'Z9', which is not an earlier question.",
    ),
    (
        broken(
            lambda d: d["sections"][0]["questions"][0].update(
                links=[{"title": "Bad", "url": "javascript:alert(1)"}]
            )
        ),
        "Question A1: Link 1 needs a web address (https://...).",
    ),
    (
        broken(lambda d: d["sections"][0]["questions"][0].update(points=-2)),
        "Question A1: Points cannot be negative.",
    ),
]


@pytest.mark.parametrize(("content", "message"), MALFORMED)
def test_malformed_files_are_refused_with_a_clear_message(content, message):
    parsed, problems = parse_template_file(content.encode())
    assert parsed is None
    assert any(message in str(p) for p in problems), [str(p) for p in problems]


def _number_question(document):
    document["sections"][0]["questions"].append(
        {"key": "A2", "text": "How many?", "type": "number", "unit": "u" * 41}
    )


def _choice_question(document):
    document["sections"][0]["questions"].append(
        {
            "key": "A3",
            "text": "Which?",
            "type": "single",
            "options": [
                {"key": "a", "label": "x" * 301, "points": 1},
                {"key": "b", "label": "B", "points": 0},
            ],
        }
    )


#: Texts longer than the instrument allows: the file is refused, never cut to fit.
TOO_LONG = [
    (lambda d: d.update(description="d" * 5001), "The description is longer than 5000"),
    (lambda d: d["sections"][0].update(title="t" * 201), "Section A: The title: at most 200"),
    (
        lambda d: d["sections"][0].update(description="d" * 2001),
        "Section A: The description: at most 2000",
    ),
    (
        lambda d: d["sections"][0]["questions"][0]["links"][0].update(title="l" * 201),
        "Question A1: Link 1: the title has more than 200 characters.",
    ),
    (_number_question, "Question A2: The unit: at most 40 characters."),
    (_choice_question, "Question A3: Option a: at most 300 characters."),
]


@pytest.mark.parametrize(("change", "message"), TOO_LONG)
def test_texts_too_long_are_refused_not_shortened(change, message):
    parsed, problems = parse_template_file(broken(change))
    assert parsed is None
    assert any(message in str(p) for p in problems), [str(p) for p in problems]


def test_every_problem_is_listed_at_once():
    def many(d):
        d["name"] = ""
        d["sections"][0]["questions"][0]["points"] = "x"
        d["sections"][0]["questions"].append({"key": "A2", "text": "", "type": "yes_no"})

    _, problems = parse_template_file(broken(many))
    assert len(problems) >= 3


def test_files_that_are_too_large_or_not_utf8_are_refused():
    assert "larger than 1 MB" in str(parse_template_file(b" " * 1_000_001)[1][0])
    assert "not UTF-8" in str(parse_template_file(b"\xff\xfe\x00")[1][0])


@pytest.mark.django_db
def test_import_through_the_page_saves_nothing_when_the_file_is_bad(tenant_a):
    before = SurveyTemplate.objects.count()
    upload = SimpleUploadedFile("bad.json", MALFORMED[9][0].encode(), "application/json")
    response = client_for(tenant_a.staff).post(
        reverse("assessments:template_import"), {"file": upload}
    )
    assert response.status_code == 200
    assert "Question key A1 is used twice." in response.content.decode()
    assert SurveyTemplate.objects.count() == before
    assert not QuestionLink.objects.filter(title="Toolkit").exists()


@pytest.mark.django_db
def test_export_then_import_round_trip_keeps_the_instrument(tenant_a, tenant_b):
    """The demo instrument goes out of one program and into another unchanged."""
    staff_b = client_for(tenant_b.staff)
    upload = SimpleUploadedFile("demo.json", DEMO.read_bytes(), "application/json")
    response = staff_b.post(reverse("assessments:template_import"), {"file": upload})
    imported = SurveyTemplate.objects.get(program=tenant_b.program, name__contains="demo example")
    assert response["Location"] == reverse(
        "assessments:template_detail", kwargs={"template_id": imported.public_id}
    )
    assert imported.status == TemplateStatus.DRAFT and imported.max_points == 100

    exported = staff_b.get(
        reverse("assessments:template_export", kwargs={"template_id": imported.public_id})
    )
    assert exported["Content-Type"].startswith("application/json")
    assert "attachment" in exported["Content-Disposition"]
    document = json.loads(exported.content)

    upload = SimpleUploadedFile("again.json", exported.content, "application/json")
    client_for(tenant_a.staff).post(reverse("assessments:template_import"), {"file": upload})
    again = SurveyTemplate.objects.get(program=tenant_a.program, name__contains="demo example")
    assert again.definition == imported.definition
    assert again.lineage != imported.lineage  # a new instrument of program A
    demo = json.loads(DEMO.read_text())
    assert (document["format"], document["max_points"]) == ("qi-gap-analysis", 100)
    assert [[q["key"] for q in s["questions"]] for s in document["sections"]] == [
        [q["key"] for q in s["questions"]] for s in demo["sections"]
    ]
    links = lambda t: sorted(  # noqa: E731
        QuestionLink.objects.filter(lineage=t.lineage).values_list("question_key", "title", "url")
    )
    assert links(again) == links(imported) and len(links(again)) == 4


@pytest.mark.django_db
def test_import_of_an_unfinished_template_warns_what_stops_publishing(tenant_a):
    document = valid()
    document["max_points"] = 100
    upload = SimpleUploadedFile("t.json", json.dumps(document).encode(), "application/json")
    response = client_for(tenant_a.staff).post(
        reverse("assessments:template_import"), {"file": upload}, follow=True
    )
    page = response.content.decode()
    assert "was imported as a draft" in page
    assert "Before publishing: The scored points add up to 5, not the stated maximum of 100" in page


def test_json_nested_too_deeply_is_refused_not_a_server_error():
    parsed, problems = parse_template_file(b"[" * 100_000 + b"]" * 100_000)
    assert parsed is None
    assert any("nested too deeply" in str(p) for p in problems), [str(p) for p in problems]
