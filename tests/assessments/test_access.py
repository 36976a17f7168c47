"""Who may open which gap-analysis page and API route: every view, every persona.

Invisible is 404 (like absent); visible but not allowed is 403 (ARCHITECTURE.md).
"""

import pytest
from django.urls import reverse

from assessments.models import SurveyTemplate, TemplateStatus
from tests.factories import CoachAssignmentFactory, ProgramMembershipFactory, UserFactory

from .conftest import client_for

pytestmark = pytest.mark.django_db

#: Program admins behave as staff and other tenants are the isolation guard's job
#: (tests/test_isolation.py); one outsider of each kind is enough here.
PERSONAS = ["staff", "coach", "lead", "member", "outsider", "other_coach"]


@pytest.fixture
def people(tenant_a, tenant_b, outsider):
    """Every persona, plus a coach of tenant A who does not coach tenant A's team."""
    other_coach = UserFactory(full_name="Unassigned Coach")
    ProgramMembershipFactory(program=tenant_a.program, user=other_coach, role="coach")
    CoachAssignmentFactory(team=tenant_a.other_team, coach=other_coach)
    return {
        "staff": tenant_a.staff,
        "coach": tenant_a.coach,
        "lead": tenant_a.lead,
        "member": tenant_a.member,
        "outsider": outsider,
        "other_coach": other_coach,
    }


@pytest.fixture
def draft(tenant_a, survey) -> SurveyTemplate:
    return SurveyTemplate.objects.create(
        program=tenant_a.program,
        lineage=survey.lineage,
        version=2,
        name=survey.name,
        max_points=10,
        definition=survey.definition,
        status=TemplateStatus.DRAFT,
    )


def expect(**by_persona):
    """Expected status per persona: keywords name exceptions to `rest`."""
    rest = by_persona.pop("rest")
    return [by_persona.get(p, rest) for p in PERSONAS]


#: page name -> (object kwargs to use, expected statuses in PERSONAS order)
GET_PAGES = {
    "template_list": (
        {},
        expect(staff=200, coach=200, other_coach=200, rest=403),
    ),
    "template_create": ({}, expect(staff=200, rest=403)),
    "template_import": ({}, expect(staff=200, rest=403)),
    "template_detail": (
        {"template_id": "survey"},
        expect(outsider=404, rest=200),
    ),
    "template_export": (
        {"template_id": "survey"},
        expect(staff=200, outsider=404, rest=403),
    ),
    "collaborative_surveys": (
        {"collaborative_id": "collaborative"},
        expect(outsider=404, rest=200),
    ),
    "wave_create": (
        {"collaborative_id": "collaborative"},
        expect(staff=200, outsider=404, rest=403),
    ),
    "wave_report": (
        {"wave_id": "baseline"},
        expect(
            staff=200,
            coach=200,
            other_coach=200,
            outsider=404,
            rest=403,
        ),
    ),
    "wave_edit": (
        {"wave_id": "baseline"},
        expect(staff=200, outsider=404, rest=403),
    ),
    "wave_csv": (
        {"wave_id": "baseline"},
        expect(staff=200, outsider=404, rest=403),
    ),
    "team_surveys": (
        {"team_id": "team"},
        expect(outsider=404, other_coach=404, rest=200),
    ),
    "response_form": (
        {"team_id": "team", "wave_id": "baseline"},
        expect(outsider=404, other_coach=404, rest=200),
    ),
    "response_report": (
        {"response_id": "submitted"},
        expect(outsider=404, other_coach=404, rest=200),
    ),
    "response_reopen": (
        {"response_id": "submitted"},
        expect(staff=200, outsider=404, other_coach=404, rest=403),
    ),
}

DRAFT_PAGES = {
    "template_edit": "GET",
    "section_edit": "GET",
    "question_edit": "GET",
    "template_publish": "POST",
    "template_item_action": "POST",
    "template_new_version": "POST",
}
#: A draft is for staff to build and coaches to read; teams never see drafts.
DRAFT_EXPECT = {
    "GET": expect(staff=200, coach=403, other_coach=403, rest=404),
    "POST": expect(staff=302, coach=403, other_coach=403, rest=404),
}


def _objects(tenant_a, survey, baseline, submitted) -> dict:
    return {
        "survey": survey.public_id,
        "collaborative": tenant_a.collaborative.public_id,
        "baseline": baseline.public_id,
        "team": tenant_a.team.public_id,
        "submitted": submitted.public_id,
    }


@pytest.mark.parametrize("page", list(GET_PAGES))
def test_pages_per_persona(page, people, tenant_a, survey, baseline, submitted):
    objects = _objects(tenant_a, survey, baseline, submitted)
    kwargs, expected = GET_PAGES[page]
    url = reverse(f"assessments:{page}", kwargs={k: objects[v] for k, v in kwargs.items()})
    got = [client_for(people[p]).get(url).status_code for p in PERSONAS]
    assert dict(zip(PERSONAS, got, strict=True)) == dict(zip(PERSONAS, expected, strict=True))


@pytest.mark.parametrize("page", list(DRAFT_PAGES))
def test_builder_pages_of_a_draft_per_persona(page, people, draft):
    method = DRAFT_PAGES[page]
    url = reverse(f"assessments:{page}", kwargs={"template_id": draft.public_id})
    if page == "question_edit":
        url += "?section=A"
    got = []
    for persona in PERSONAS:
        client = client_for(people[persona])
        if method == "GET":
            got.append(client.get(url).status_code)
        else:
            got.append(
                client.post(url, {"kind": "question", "key": "A1", "action": "up"}).status_code
            )
    assert dict(zip(PERSONAS, got, strict=True)) == dict(
        zip(PERSONAS, DRAFT_EXPECT[method], strict=True)
    )


def test_drafts_are_read_by_staff_and_coaches_only(people, draft):
    url = reverse("assessments:template_detail", kwargs={"template_id": draft.public_id})
    got = [client_for(people[p]).get(url).status_code for p in PERSONAS]
    assert got == expect(staff=200, coach=200, other_coach=200, rest=404)


def test_builder_pages_of_a_published_version_send_staff_back(tenant_a, survey):
    client = client_for(tenant_a.staff)
    for page in ("template_edit", "section_edit", "question_edit"):
        response = client.get(
            reverse(f"assessments:{page}", kwargs={"template_id": survey.public_id}), follow=True
        )
        assert "can no longer change" in response.content.decode()


def test_pdf_per_persona(people, submitted):
    url = reverse("assessments:response_pdf", kwargs={"response_id": submitted.public_id})
    got = {
        p: client_for(people[p]).get(url).status_code
        for p in ("lead", "coach", "outsider", "other_coach")
    }
    assert got == {"lead": 200, "coach": 200, "outsider": 404, "other_coach": 404}


def test_only_members_post_answers(people, tenant_a, open_wave):
    url = reverse(
        "assessments:response_form",
        kwargs={"team_id": tenant_a.team.public_id, "wave_id": open_wave.public_id},
    )
    body = {"q-A1": "yes", "q-A1-present": "1", "action": "save"}
    got = {p: client_for(people[p]).post(url, body).status_code for p in PERSONAS}
    assert got == {
        "staff": 403,
        "coach": 403,
        "lead": 302,
        "member": 302,
        "outsider": 404,
        "other_coach": 404,
    }


def test_team_of_one_tenant_with_a_wave_of_another_is_404(tenant_a, tenant_b):
    url = reverse(
        "assessments:response_form",
        kwargs={"team_id": tenant_a.team.public_id, "wave_id": tenant_b.extras["wave_id"]},
    )
    assert client_for(tenant_a.lead).get(url).status_code == 404


# --- API --------------------------------------------------------------------------------------


API_LISTS = [
    "survey-template-list",
    "survey-wave-list",
    "survey-response-list",
    "survey-score-list",
]


@pytest.mark.parametrize("route", API_LISTS)
def test_api_lists_only_what_the_persona_may_see(route, people, tenant_a, tenant_b):
    counts = {}
    for persona in PERSONAS:
        body = client_for(people[persona]).get(reverse(f"api:{route}")).json()
        assert "BRAVO-PRIVATE" not in str(body)
        counts[persona] = body["count"]
    expected = {
        "survey-template-list": expect(outsider=0, rest=1),
        "survey-wave-list": expect(outsider=0, rest=1),
        "survey-response-list": expect(outsider=0, other_coach=0, rest=1),
        "survey-score-list": expect(outsider=0, other_coach=0, rest=1),
    }[route]
    assert counts == dict(zip(PERSONAS, expected, strict=True))


def test_api_details_are_404_across_tenants_and_teams(people, tenant_b, submitted, survey):
    """(Tenant B's ids: the guard tries them all; here one detail per kind of refusal.)"""
    other = reverse(
        "api:survey-response-detail", kwargs={"response_id": tenant_b.extras["response_id"]}
    )
    mine = reverse("api:survey-response-detail", kwargs={"response_id": submitted.public_id})
    assert client_for(people["staff"]).get(other).status_code == 404
    assert client_for(people["other_coach"]).get(mine).status_code == 404
    assert client_for(people["member"]).get(mine).status_code == 200
    template = reverse("api:survey-template-detail", kwargs={"template_id": survey.public_id})
    assert client_for(people["outsider"]).get(template).status_code == 404


def test_api_refuses_anonymous_callers(tenant_a):
    from django.test import Client

    assert Client().get(reverse("api:survey-response-list")).status_code in (401, 403)
