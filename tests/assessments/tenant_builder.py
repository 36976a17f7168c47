"""One gap-analysis object of every kind for a tenant, for the isolation guard.

Private text carries `marker`: the template's name and a question, a text answer,
a question link. Returns the URL keywords the assessments pages and API use.
"""

from decimal import Decimal

from django.utils import timezone

from assessments.definition import normalise_definition
from assessments.models import (
    Answer,
    QuestionLink,
    ResponseStatus,
    SurveyResponse,
    SurveyTemplate,
    SurveyWave,
    TemplateStatus,
    WaveKind,
)


def small_definition(marker: str = "") -> dict:
    """Two sections, 10 points: yes/no, single choice, multi, percent, text, a condition."""
    m = f" {marker}" if marker else ""
    definition, problems = normalise_definition(
        {
            "sections": [
                {
                    "key": "A",
                    "title": f"Coordination{m}",
                    "questions": [
                        {
                            "key": "A1",
                            "text": f"A coordinator is named{m}",
                            "type": "yes_no",
                            "points": 4,
                            "impact": "high_impact",
                        },
                        {
                            "key": "A2",
                            "text": "The role is written down",
                            "type": "single",
                            "options": [
                                {"key": "none", "label": "No", "points": 0},
                                {"key": "partial", "label": "Partly", "points": 1},
                                {"key": "full", "label": "Fully", "points": 2},
                            ],
                            "show_if": {"question": "A1", "any_of": ["yes"]},
                        },
                    ],
                },
                {
                    "key": "B",
                    "title": "Equipment",
                    "questions": [
                        {
                            "key": "B1",
                            "text": "Equipment in stock",
                            "type": "multi",
                            "options": [
                                {"key": "io", "label": "IO needles", "points": 1},
                                {"key": "scale", "label": "Kilogram scale", "points": 1},
                            ],
                        },
                        {
                            "key": "B2",
                            "text": "Nurses with PALS",
                            "type": "percent",
                            "bands": [{"at_least": 75, "points": 2}, {"at_least": 50, "points": 1}],
                            "allow_na": True,
                        },
                        {"key": "B3", "text": "Anything else?", "type": "text"},
                    ],
                },
            ]
        }
    )
    assert problems == [], problems
    return definition


def build(tenant, marker: str) -> dict[str, object]:
    m = f" {marker}" if marker else ""
    template = SurveyTemplate.objects.create(
        program=tenant.program,
        name=f"Readiness survey{m}",
        description=f"Private description{m}",
        max_points=Decimal(10),
        definition=small_definition(marker),
        status=TemplateStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    QuestionLink.objects.create(
        program=tenant.program,
        lineage=template.lineage,
        question_key="A1",
        title=f"Coordinator toolkit{m}",
        url="https://example.org/toolkit",
    )
    wave = SurveyWave.objects.create(
        program=tenant.program,
        collaborative=tenant.collaborative,
        template=template,
        kind=WaveKind.BASELINE,
        opens_on=tenant.collaborative.start_date,
        due_on=tenant.collaborative.start_date,
    )
    response = SurveyResponse.objects.create(
        program=tenant.program,
        collaborative=tenant.collaborative,
        team=tenant.team,
        wave=wave,
        template=template,
        status=ResponseStatus.SUBMITTED,
        submitted_at=timezone.now(),
        submitted_by=tenant.lead,
        score=Decimal("60.0"),
        earned=Decimal(6),
        possible=Decimal(10),
        section_scores=[
            {
                "key": "A",
                "title": f"Coordination{m}",
                "earned": "4",
                "possible": "6",
                "score": "66.7",
            },
            {"key": "B", "title": "Equipment", "earned": "2", "possible": "4", "score": "50"},
        ],
    )
    now = timezone.now()
    Answer.objects.bulk_create(
        Answer(
            program=tenant.program,
            team=tenant.team,
            response=response,
            question_key=key,
            value=value,
            updated_by=tenant.member,
            updated_at=now,
        )
        for key, value in [
            ("A1", "yes"),
            ("A2", "none"),
            ("B1", ["io", "scale"]),
            ("B2", "10"),
            ("B3", f"Our notes{m}"),
        ]
    )
    return {
        "template_id": template.public_id,
        "wave_id": wave.public_id,
        "response_id": response.public_id,
    }
