"""Building templates in the browser: sections, questions, points, publishing, versions."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import services
from assessments.models import QuestionLink, SurveyTemplate, TemplateStatus
from core.models import AuditEvent

from .conftest import client_for

pytestmark = pytest.mark.django_db


def _url(name, template, query=""):
    return reverse(f"assessments:{name}", kwargs={"template_id": template.public_id}) + query


def test_staff_build_a_survey_in_the_browser_and_publish_it(tenant_a):
    client = client_for(tenant_a.staff)
    response = client.post(
        reverse("assessments:template_create"),
        {"name": "Transfer readiness", "description": "For EDs", "max_points": "10"},
    )
    template = SurveyTemplate.objects.get(name="Transfer readiness")
    assert response["Location"] == _url("template_detail", template)
    assert (template.program, template.status, template.version) == (
        tenant_a.program,
        TemplateStatus.DRAFT,
        1,
    )

    client.post(_url("section_edit", template), {"key": "A", "title": "Agreements"})
    client.post(
        _url("question_edit", template, "?section=A"),
        {
            "section": "A",
            "key": "A1",
            "text": "Transfer agreements cover children",
            "type": "yes_no",
            "points": "6",
            "required": "on",
            "links": "Transfer toolkit | https://example.org/transfer",
        },
    )
    client.post(
        _url("question_edit", template, "?section=A"),
        {
            "section": "A",
            "key": "A2",
            "text": "How are transfers reviewed?",
            "type": "single",
            "options": "Not reviewed = 0\nSometimes = 1.5\nEvery transfer = 3",
            "show_if_question": '{"question": "A1", "any_of": ["yes"]}',
            "impact": "moderate",
        },
    )
    page = client.get(_url("template_detail", template)).content.decode()
    assert "9 points short" not in page and "1 points short" in page  # 6 + 3 of 10
    assert "Not ready to publish" in page
    assert "The scored points add up to 9, not the stated maximum of 10" in page

    client.post(
        _url("template_edit", template),
        {"name": "Transfer readiness", "description": "For EDs", "max_points": "9"},
    )
    page = client.get(_url("template_detail", template)).content.decode()
    assert "Adds up to 9" in page and "Confirm: publish" in page

    response = client.post(_url("template_publish", template), follow=True)
    assert "Version 1 is published" in response.content.decode()
    template.refresh_from_db()
    assert template.status == TemplateStatus.PUBLISHED
    a2 = template.definition["sections"][0]["questions"][1]
    assert [o["key"] for o in a2["options"]] == ["not_reviewed", "sometimes", "every_transfer"]
    assert a2["show_if"] == {"question": "A1", "any_of": ["yes"]}
    link = QuestionLink.objects.get(lineage=template.lineage)
    assert (link.question_key, link.url) == ("A1", "https://example.org/transfer")
    verbs = set(
        AuditEvent.objects.filter(target_id=str(template.public_id)).values_list("verb", flat=True)
    )
    assert {
        "survey_template.created",
        "survey_template.question_saved",
        "survey_template.published",
    } <= verbs


def test_publishing_is_refused_until_the_points_add_up(tenant_a, survey):
    draft = services.template_new_version(template=survey, actor=tenant_a.staff)
    services.template_update_details(
        template=draft, actor=tenant_a.staff, name=draft.name, description="", max_points=100
    )
    with pytest.raises(ValidationError) as error:
        services.template_publish(template=draft, actor=tenant_a.staff)
    assert "add up to 10, not the stated maximum of 100: add 90 points" in str(error.value)
    draft.refresh_from_db()
    assert draft.status == TemplateStatus.DRAFT


def test_question_form_shows_problems_at_the_field_and_saves_nothing(tenant_a, survey):
    draft = services.template_new_version(template=survey, actor=tenant_a.staff)
    before = draft.definition
    response = client_for(tenant_a.staff).post(
        _url("question_edit", draft, "?section=B"),
        {
            "section": "B",
            "key": "B9",
            "text": "Share trained",
            "type": "percent",
            "bands": "120 = 2",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Band 1: a percent is between 0 and 100." in page
    assert 'id="id_bands_error"' in page
    draft.refresh_from_db()
    assert draft.definition == before

    response = client_for(tenant_a.staff).post(
        _url("question_edit", draft, "?section=B"),
        {"section": "B", "key": "A1", "text": "Duplicate", "type": "yes_no", "points": "1"},
    )
    assert "Question key A1 is already used." in response.content.decode()


def test_a_published_version_is_immutable_and_edits_make_a_new_version(tenant_a, survey):
    for attempt in (
        lambda: services.template_section_save(
            template=survey, actor=tenant_a.staff, original_key="A", key="A", title="New"
        ),
        lambda: services.template_item_delete(
            template=survey, actor=tenant_a.staff, kind="question", key="B3"
        ),
        lambda: services.template_publish(template=survey, actor=tenant_a.staff),
    ):
        with pytest.raises(ValidationError, match="published and can no longer change"):
            attempt()

    response = client_for(tenant_a.staff).post(_url("template_new_version", survey))
    draft = SurveyTemplate.objects.get(lineage=survey.lineage, version=2)
    assert response["Location"] == _url("template_detail", draft)
    assert (draft.status, draft.based_on, draft.definition) == (
        TemplateStatus.DRAFT,
        survey,
        survey.definition,
    )
    # Asking again opens the same draft: one draft per instrument.
    services.template_new_version(template=survey, actor=tenant_a.staff)
    assert SurveyTemplate.objects.filter(lineage=survey.lineage).count() == 2

    services.template_section_save(
        template=draft, actor=tenant_a.staff, original_key="A", key="A", title="Leadership"
    )
    survey.refresh_from_db()
    assert survey.definition["sections"][0]["title"] == "Coordination"


def test_renaming_a_question_carries_conditions_and_links(tenant_a, survey):
    draft = services.template_new_version(template=survey, actor=tenant_a.staff)
    a1 = dict(draft.definition["sections"][0]["questions"][0], key="A1x")
    services.template_question_save(
        template=draft, actor=tenant_a.staff, section_key="A", original_key="A1", question=a1
    )
    draft.refresh_from_db()
    a2 = draft.definition["sections"][0]["questions"][1]
    assert a2["show_if"] == {"question": "A1x", "any_of": ["yes"]}
    # Version 1 still has A1, so its link stays and the renamed question gets a copy.
    # (The tenant's other links, e.g. a library resource on B3, are not touched.)
    keys = sorted(
        QuestionLink.objects.filter(
            lineage=survey.lineage, question_key__startswith="A1"
        ).values_list("question_key", flat=True)
    )
    assert keys == ["A1", "A1x"]


def test_deleting_a_question_others_depend_on_is_refused(tenant_a, survey):
    draft = services.template_new_version(template=survey, actor=tenant_a.staff)
    response = client_for(tenant_a.staff).post(
        _url("template_item_action", draft),
        {"kind": "question", "key": "A1", "action": "delete"},
        follow=True,
    )
    assert "Question A2 depends on A1" in response.content.decode()
    draft.refresh_from_db()
    assert draft.definition["sections"][0]["questions"][0]["key"] == "A1"


def test_moving_items_keeps_conditions_valid(tenant_a, survey):
    draft = services.template_new_version(template=survey, actor=tenant_a.staff)
    with pytest.raises(ValidationError, match="not an earlier question"):
        services.template_item_move(
            template=draft, actor=tenant_a.staff, kind="question", key="A2", direction="up"
        )
    services.template_item_move(
        template=draft, actor=tenant_a.staff, kind="section", key="B", direction="up"
    )
    draft.refresh_from_db()
    assert [s["key"] for s in draft.definition["sections"]] == ["B", "A"]


def test_template_library_groups_versions(tenant_a, survey):
    services.template_new_version(template=survey, actor=tenant_a.staff)
    page = client_for(tenant_a.coach).get(reverse("assessments:template_list")).content.decode()
    assert "Readiness survey" in page and "Version 1" in page and "Version 2" in page
    assert "Build a new survey" not in page  # coaches read, staff build


def test_resources_and_change_ideas_can_be_linked_to_a_published_question(
    tenant_a, survey, baseline
):
    """The resources and PDSA features add links without a new version."""
    services.question_link_add(
        template=survey,
        actor=tenant_a.staff,
        question_key="B2",
        kind="change_idea",
        title="PALS for every nurse by June",
        url="https://example.org/ideas/pals",
    )
    with pytest.raises(ValidationError, match="There is no question Z1"):
        services.question_link_add(
            template=survey, actor=tenant_a.staff, question_key="Z1", kind="resource", title="X"
        )
    response = baseline.responses.get()
    page = (
        client_for(tenant_a.lead)
        .get(reverse("assessments:response_report", kwargs={"response_id": response.public_id}))
        .content.decode()
    )
    assert 'Change idea: <a href="https://example.org/ideas/pals"' in page


def test_a_link_title_too_long_is_refused_not_cut(tenant_a, survey):
    draft = services.template_new_version(template=survey, actor=tenant_a.staff)
    response = client_for(tenant_a.staff).post(
        _url("question_edit", draft, "?section=B"),
        {
            "section": "B",
            "key": "B9",
            "text": "Share trained",
            "type": "yes_no",
            "points": "1",
            "links": f"{'T' * 201} | https://example.org/t",
        },
    )
    assert response.status_code == 200
    assert "Line 1: a title has at most 200 characters" in response.content.decode()
    assert not QuestionLink.objects.filter(lineage=draft.lineage, question_key="B9").exists()
