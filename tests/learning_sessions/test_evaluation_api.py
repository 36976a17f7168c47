"""The evaluation summaries in the API: numbers, who may read them, the schema."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from learning_sessions import evaluations as ev
from tests.api.fuzz import CHECKS, in_process_requests, load_schema

from .evaluation_helpers import answers, attend, default_form, past_event

pytestmark = pytest.mark.django_db


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def event_url(event) -> str:
    return reverse("api:event-evaluation-summary", kwargs={"event_id": event.public_id})


def collaborative_url(tenant) -> str:
    return reverse(
        "api:collaborative-evaluation-summary",
        kwargs={"collaborative_id": tenant.collaborative.public_id},
    )


@pytest.fixture
def evaluated(tenant_a):
    questions = default_form(tenant_a)
    event = past_event(tenant_a, title="API webinar")
    attend(event, tenant_a.member, tenant_a.lead)
    ev.response_submit(
        event=event, user=tenant_a.member, raw=answers(questions, 4, 5, 5, texts=("Checklists",))
    )
    return event


def test_staff_get_the_event_summary_with_comments(tenant_a, evaluated):
    response = api_for(tenant_a.staff).get(event_url(evaluated))
    assert response.status_code == 200
    data = response.json()
    assert (data["asked"], data["answered"], data["response_rate"]) == (2, 1, "0.5000")
    assert data["comments_included"] is True
    objectives = data["questions"][0]
    assert objectives["kind"] == "rating" and objectives["mean"] == "4.00"
    assert objectives["distribution"] == {"1": 0, "2": 0, "3": 0, "4": 1, "5": 0}
    assert objectives["comments"] is None
    change = data["questions"][3]
    assert change["comments"] == ["Checklists"] and change["distribution"] is None


def test_coaches_get_aggregates_without_comments(tenant_a, evaluated):
    data = api_for(tenant_a.coach).get(event_url(evaluated)).json()
    assert data["comments_included"] is False
    assert all(q["comments"] is None for q in data["questions"])
    assert "Checklists" not in repr(data)
    assert data["questions"][0]["mean"] == "4.00"


def test_the_collaborative_summary(tenant_a, evaluated):
    data = api_for(tenant_a.staff).get(collaborative_url(tenant_a)).json()
    titles = [row["title"] for row in data["events"]]
    assert "API webinar" in titles
    row = data["events"][titles.index("API webinar")]
    assert (row["asked"], row["answered"]) == (2, 1)
    assert data["overall"]["questions"][0]["mean"] == "4.00"


@pytest.mark.parametrize("persona", ["lead", "member"])
def test_participants_are_refused(persona, tenant_a, evaluated):
    client = api_for(getattr(tenant_a, persona))
    assert client.get(event_url(evaluated)).status_code == 403
    assert client.get(collaborative_url(tenant_a)).status_code == 403


def test_other_programs_get_404(tenant_a, tenant_b, evaluated):
    client = api_for(tenant_b.staff)
    assert client.get(event_url(evaluated)).status_code == 404
    assert client.get(collaborative_url(tenant_a)).status_code == 404
    assert APIClient().get(event_url(evaluated)).status_code in (401, 403)


def test_the_summaries_are_in_the_openapi_schema():
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    schema = out.getvalue()
    assert "/api/v1/events/{event_id}/evaluation-summary/" in schema
    assert "/api/v1/collaboratives/{collaborative_id}/evaluation-summary/" in schema
    assert "EvaluationSummary" in schema and "comments_included" in schema


@pytest.mark.parametrize("persona", ["staff", "coach", "member"])
def test_the_answers_match_the_schema(persona, tenant_a, evaluated):
    """Staff's answer (comments), the coach's (nulls) and a member's 403, all as documented."""
    schema = load_schema()
    user = getattr(tenant_a, persona)
    headers = {"Authorization": f"Token {Token.objects.get_or_create(user=user)[0].key}"}
    for path, params in (
        ("/api/v1/events/{event_id}/evaluation-summary/", {"event_id": str(evaluated.public_id)}),
        (
            "/api/v1/collaboratives/{collaborative_id}/evaluation-summary/",
            {"collaborative_id": str(tenant_a.collaborative.public_id)},
        ),
    ):
        case = schema[path]["GET"].Case(path_parameters=params)
        with in_process_requests():
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS, headers=headers)
        assert response.status_code == (403 if persona == "member" else 200)
