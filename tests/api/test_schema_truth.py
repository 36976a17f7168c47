"""The schema tells the truth about what the API answers (faults the fuzz run found).

Each test makes one real request and checks its answer with schemathesis's checks
(status code, content type and body conform to /api/schema/): before the fixes the
schema listed only success codes and promised a URI, an enum value and a string where
the API may send "", "" and null.
"""

import pytest
from rest_framework.authtoken.models import Token

from teams.models import Facility

from .fuzz import CHECKS, in_process_requests, load_schema


@pytest.fixture(scope="module")
def schema():
    """Loaded once: building the schema takes seconds and reads no data."""
    return load_schema()


def call_and_check(schema, path: str, method: str, *, user=None, **path_parameters) -> int:
    """Call one operation and validate the answer; raise schemathesis's failure report."""
    case = schema[path][method].Case(path_parameters=path_parameters)
    headers = {}
    if user is not None:
        headers["Authorization"] = f"Token {Token.objects.get_or_create(user=user)[0].key}"
    with in_process_requests():
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)
    return response.status_code


def test_not_signed_in_is_a_documented_401(schema, tenant_a):
    status = call_and_check(
        schema, "/api/v1/teams/{team_id}/", "GET", team_id=str(tenant_a.team.public_id)
    )
    assert status == 401


def test_another_programs_team_is_a_documented_404(schema, tenant_a, tenant_b):
    status = call_and_check(
        schema,
        "/api/v1/teams/{team_id}/",
        "GET",
        user=tenant_a.lead,
        team_id=str(tenant_b.team.public_id),
    )
    assert status == 404


def test_deleting_from_a_submitted_month_is_a_documented_400(schema, tenant_a):
    status = call_and_check(
        schema,
        "/api/v1/teams/{team_id}/data-points/{data_point_id}/",
        "DELETE",
        user=tenant_a.lead,
        team_id=str(tenant_a.team.public_id),
        data_point_id=str(tenant_a.extras["data_point_id"]),
    )
    assert status == 400


def test_a_program_without_a_web_site_conforms(schema, tenant_a):
    assert tenant_a.program.website == ""
    status = call_and_check(
        schema,
        "/api/v1/programs/{program_id}/",
        "GET",
        user=tenant_a.lead,
        program_id=str(tenant_a.program.public_id),
    )
    assert status == 200


def test_a_facility_without_a_volume_band_conforms(schema, tenant_a):
    Facility.objects.filter(pk=tenant_a.facility.pk).update(volume_band="")
    status = call_and_check(
        schema,
        "/api/v1/teams/{team_id}/",
        "GET",
        user=tenant_a.lead,
        team_id=str(tenant_a.team.public_id),
    )
    assert status == 200


def test_a_collaborative_without_a_focus_area_conforms(schema, tenant_a):
    tenant_a.collaborative.focus_area = None
    tenant_a.collaborative.save(update_fields=["focus_area"])
    status = call_and_check(
        schema,
        "/api/v1/collaboratives/{collaborative_id}/",
        "GET",
        user=tenant_a.lead,
        collaborative_id=str(tenant_a.collaborative.public_id),
    )
    assert status == 200


def test_an_id_that_is_no_uuid_is_a_documented_json_404(schema, tenant_a):
    """No route matches, so Django's handler404 answers: with JSON under /api/."""
    status = call_and_check(
        schema,
        "/api/v1/teams/{team_id}/cycles/{cycle_id}/comments/{comment_id}/",
        "GET",
        user=tenant_a.lead,
        team_id=str(tenant_a.team.public_id),
        cycle_id=str(tenant_a.extras["cycle_id"]),
        comment_id="not-a-uuid",
    )
    assert status == 404


def test_pages_outside_the_api_keep_the_html_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
