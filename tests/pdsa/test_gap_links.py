"""Change ideas linked to gap-analysis items, and shown beside the gap in the report."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from assessments.models import QuestionLink, SurveyResponse, SurveyTemplate
from assessments.selectors import gap_question_choices, gap_report
from pdsa import services
from pdsa.models import ChangeIdea

pytestmark = pytest.mark.django_db


def _question(tenant, key: str) -> str:
    template = SurveyTemplate.objects.get(public_id=tenant.extras["template_id"])
    return f"{template.lineage}:{key}"


def test_choices_are_the_scored_questions_of_the_collaboratives_surveys(tenant_a):
    choices = dict(gap_question_choices(collaborative=tenant_a.collaborative))
    assert _question(tenant_a, "A2") in choices
    assert choices[_question(tenant_a, "A1")].startswith("A1 A coordinator is named")
    assert _question(tenant_a, "B3") not in choices  # free text is not scored
    assert gap_question_choices(collaborative=tenant_a.recruiting) == []


def test_package_item_appears_beside_its_gap_in_every_report(tenant_a):
    item = services.package_item_create(
        collaborative=tenant_a.collaborative,
        actor=tenant_a.staff,
        title="Write the coordinator's role into the job description",
        gap_question=_question(tenant_a, "A2"),
    )
    response = SurveyResponse.objects.get(public_id=tenant_a.extras["response_id"])
    report = gap_report(response=response, user=tenant_a.member)
    gap = next(g for g in report.gaps if g.key == "A2")
    assert [(link.kind, link.title) for link in gap.links] == [
        ("change_idea", "Write the coordinator's role into the job description")
    ]
    page = Client()
    page.force_login(tenant_a.member)
    html = page.get(
        reverse("assessments:response_report", kwargs={"response_id": response.public_id})
    )
    assert "Change idea: Write the coordinator" in html.content.decode()

    services.package_item_set_retired(item=item, actor=tenant_a.staff, retired=True)
    assert not QuestionLink.objects.filter(target_id=item.public_id).exists()


def test_a_question_outside_the_collaboratives_surveys_is_refused(tenant_a, tenant_b):
    with pytest.raises(ValidationError) as info:
        services.package_item_create(
            collaborative=tenant_a.collaborative,
            actor=tenant_a.staff,
            title="Borrowed",
            gap_question=_question(tenant_b, "A1"),
        )
    assert "gap analysis" in info.value.message_dict["gap_question"][0]


def test_team_ideas_link_privately_and_seeding_keeps_the_link(tenant_a):
    item = services.package_item_create(
        collaborative=tenant_a.collaborative,
        actor=tenant_a.staff,
        title="Kilogram-only scale",
        gap_question=_question(tenant_a, "B1"),
        gap_item="B1 Equipment in stock",
    )
    [seeded] = services.change_ideas_seed(team=tenant_a.team, actor=tenant_a.lead, items=[item])
    assert seeded.gap_question == _question(tenant_a, "B1")
    own = services.change_idea_create(
        team=tenant_a.team,
        actor=tenant_a.lead,
        title="Our own idea",
        gap_question=_question(tenant_a, "A1"),
    )
    assert ChangeIdea.objects.get(pk=own.pk).gap_question.endswith(":A1")
    # A team's own ideas are private: they never become links other teams would see.
    assert not QuestionLink.objects.filter(target_id=own.public_id).exists()


def test_the_idea_form_offers_the_gap_items(tenant_a):
    client = Client()
    client.force_login(tenant_a.lead)
    html = client.get(f"/teams/{tenant_a.team.public_id}/drivers/").content.decode()
    assert "Gap-analysis item it closes" in html
    assert "A1 A coordinator is named" in html
