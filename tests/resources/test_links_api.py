"""The links API: what a resource is linked to, linking it, removing a link; scoped,
staff-only for writes (a team's members for their change ideas), and in the schema."""

import uuid

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from assessments.models import LinkKind, QuestionLink, SurveyTemplate
from core.audit import AuditEvent
from resources.models import Resource, ResourceKind, ResourceLink


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def links_url(resource_id) -> str:
    return reverse("api:resource-links", kwargs={"resource_id": resource_id})


def link_url(link_id) -> str:
    return reverse("api:resource-link-detail", kwargs={"resource_link_id": link_id})


def new_resource(tenant, title: str = "Sepsis screening tool") -> Resource:
    return Resource.objects.create(
        program=tenant.program,
        kind=ResourceKind.TOOLKIT,
        title=title,
        summary="A tool",
        url="https://example.org/tool",
    )


def test_list_shows_the_targets_the_caller_may_see(tenant_a):
    resource_id = tenant_a.extras["resource_id"]
    rows = api(tenant_a.member).get(links_url(resource_id)).json()
    kinds = sorted(row["target_kind"] for row in rows)
    assert kinds == ["change_idea", "event", "measure", "package_item", "question"]
    question = next(r for r in rows if r["target_kind"] == "question")
    assert "B3" in question["title"]
    event = next(r for r in rows if r["target_kind"] == "event")
    assert event["url"] == reverse(
        "learning_sessions:event_detail", kwargs={"event_id": tenant_a.extras["event_id"]}
    )


@pytest.mark.parametrize("persona", ["staff", "lead", "member", "coach"])
def test_another_programs_resource_and_link_are_not_found(persona, tenant_a, tenant_b):
    client = api(getattr(tenant_a, persona))
    assert client.get(links_url(tenant_b.extras["resource_id"])).status_code == 404
    assert (
        client.post(
            links_url(tenant_b.extras["resource_id"]),
            {"target_kind": "measure", "target_id": str(tenant_a.extras["measure_id"])},
            format="json",
        ).status_code
        == 404
    )
    assert client.delete(link_url(tenant_b.extras["resource_link_id"])).status_code == 404
    assert ResourceLink.objects.filter(public_id=tenant_b.extras["resource_link_id"]).exists()


def test_anonymous_is_refused(tenant_a):
    assert api().get(links_url(tenant_a.extras["resource_id"])).status_code == 401


def test_staff_link_a_measure_and_a_gap_question(tenant_a):
    resource = new_resource(tenant_a)
    response = api(tenant_a.staff).post(
        links_url(resource.public_id),
        {"target_kind": "measure", "target_id": str(tenant_a.extras["measure_id"])},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert [row["target_kind"] for row in response.json()] == ["measure"]
    template = SurveyTemplate.objects.get(public_id=tenant_a.extras["template_id"])
    response = api(tenant_a.staff).post(
        links_url(resource.public_id),
        {"target_kind": "question", "survey": str(template.public_id), "question_key": "A2"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    link = QuestionLink.objects.get(kind=LinkKind.RESOURCE, target_id=resource.public_id)
    assert link.title == resource.title and link.url == f"/resources/{resource.public_id}/"
    assert AuditEvent.objects.filter(verb="resource_link.created").count() == 1
    # The same question again: refused, saying it exists.
    again = api(tenant_a.staff).post(
        links_url(resource.public_id),
        {"target_kind": "question", "survey": str(template.public_id), "question_key": "A2"},
        format="json",
    )
    assert again.status_code == 400
    assert "already linked" in str(again.json()["error"]["fields"])
    missing = api(tenant_a.staff).post(
        links_url(resource.public_id),
        {"target_kind": "question", "survey": str(template.public_id), "question_key": "Z9"},
        format="json",
    )
    assert missing.status_code == 400 and "no question Z9" in str(missing.json())
    incomplete = api(tenant_a.staff).post(
        links_url(resource.public_id), {"target_kind": "event"}, format="json"
    )
    assert incomplete.status_code == 400 and "target_id" in incomplete.json()["error"]["fields"]


@pytest.mark.parametrize(
    ("kind", "key"),
    [
        ("measure", "measure_id"),
        ("package_item", "package_item_id"),
        ("event", "event_id"),
        ("change_idea", "change_idea_id"),
    ],
)
def test_another_programs_target_is_refused_with_a_message(kind, key, tenant_a, tenant_b):
    resource = new_resource(tenant_a)
    response = api(tenant_a.staff).post(
        links_url(resource.public_id),
        {"target_kind": kind, "target_id": str(tenant_b.extras[key])},
        format="json",
    )
    assert response.status_code == 400
    assert "of this program" in str(response.json()["error"]["fields"]["target_id"])
    assert "BRAVO" not in str(response.json())
    assert not resource.links.exists()


def test_another_programs_survey_is_refused(tenant_a, tenant_b):
    resource = new_resource(tenant_a)
    template_b = SurveyTemplate.objects.get(public_id=tenant_b.extras["template_id"])
    response = api(tenant_a.staff).post(
        links_url(resource.public_id),
        {"target_kind": "question", "survey": str(template_b.public_id), "question_key": "A1"},
        format="json",
    )
    assert response.status_code == 400
    assert "survey of this program" in str(response.json())
    assert not QuestionLink.objects.filter(target_id=resource.public_id).exists()


def test_a_retired_resource_and_a_duplicate_are_refused(tenant_a):
    from django.utils import timezone

    resource = Resource.objects.get(public_id=tenant_a.extras["resource_id"])
    duplicate = api(tenant_a.staff).post(
        links_url(resource.public_id),
        {"target_kind": "measure", "target_id": str(tenant_a.extras["measure_id"])},
        format="json",
    )
    assert duplicate.status_code == 400 and "already linked" in str(duplicate.json())
    retired = new_resource(tenant_a, "Retired")
    retired.retired_at = timezone.now()
    retired.save()
    response = api(tenant_a.staff).post(
        links_url(retired.public_id),
        {"target_kind": "event", "target_id": str(tenant_a.extras["event_id"])},
        format="json",
    )
    assert response.status_code == 400 and "retired" in str(response.json())


def test_team_members_link_their_change_idea_but_not_staff_targets(tenant_a):
    resource = new_resource(tenant_a)
    measure = api(tenant_a.lead).post(
        links_url(resource.public_id),
        {"target_kind": "measure", "target_id": str(tenant_a.extras["measure_id"])},
        format="json",
    )
    assert measure.status_code == 403
    idea = api(tenant_a.member).post(
        links_url(resource.public_id),
        {"target_kind": "change_idea", "target_id": str(tenant_a.extras["change_idea_id"])},
        format="json",
    )
    assert idea.status_code == 201
    coach = api(tenant_a.coach).post(
        links_url(new_resource(tenant_a, "Other").public_id),
        {"target_kind": "change_idea", "target_id": str(tenant_a.extras["change_idea_id"])},
        format="json",
    )
    assert coach.status_code == 403
    link = ResourceLink.objects.get(resource=resource)
    assert api(tenant_a.member).delete(link_url(link.public_id)).status_code == 204
    assert not ResourceLink.objects.filter(pk=link.pk).exists()


def test_only_staff_remove_staff_links(tenant_a):
    link_id = tenant_a.extras["resource_link_id"]  # the measure's link
    assert api(tenant_a.member).delete(link_url(link_id)).status_code == 403
    assert api(tenant_a.coach).delete(link_url(link_id)).status_code == 403
    assert api(tenant_a.staff).delete(link_url(link_id)).status_code == 204
    assert api(tenant_a.staff).delete(link_url(uuid.uuid4())).status_code == 404
    assert AuditEvent.objects.filter(verb="resource_link.removed").count() == 1


def test_staff_remove_a_gap_question_link(tenant_a, tenant_b):
    resource_id = tenant_a.extras["resource_id"]
    url = reverse(
        "api:resource-question-link",
        kwargs={
            "resource_id": resource_id,
            "question_link_id": tenant_a.extras["question_link_id"],
        },
    )
    assert api(tenant_a.lead).delete(url).status_code == 403
    assert api(tenant_b.staff).delete(url).status_code == 404
    # Tenant B's question link under tenant A's resource: not found either.
    foreign = reverse(
        "api:resource-question-link",
        kwargs={
            "resource_id": resource_id,
            "question_link_id": tenant_b.extras["question_link_id"],
        },
    )
    assert api(tenant_a.staff).delete(foreign).status_code == 404
    assert QuestionLink.objects.filter(public_id=tenant_b.extras["question_link_id"]).exists()
    assert api(tenant_a.staff).delete(url).status_code == 204
    assert not QuestionLink.objects.filter(public_id=tenant_a.extras["question_link_id"]).exists()


def test_the_routes_are_in_the_openapi_schema(client, db):
    schema = client.get(reverse("schema")).content.decode()
    assert "/api/v1/resources/{resource_id}/links/" in schema
    assert "/api/v1/resource-links/{resource_link_id}/" in schema
    assert "/api/v1/resources/{resource_id}/question-links/{question_link_id}/" in schema
