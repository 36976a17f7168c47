"""The measures API: scoped reads (definitions, series with the analysis, pooled series,
submissions and their status) and writes (values, submit, review) per access level."""

import pytest
from rest_framework.test import APIClient

from core.models import OutboundEmail
from measures.models import DataPoint, DataPointRevision, Measure, SubmissionStatus
from tests.clock import label

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_definitions_are_scoped(world, tenant_b, outsider):
    names = {m["name"] for m in api(world.t.lead).get("/api/v1/measures/").json()["results"]}
    assert {"Weight in kg only", "ED length of stay", "Our own huddles"} <= names
    assert not any("BRAVO" in n for n in names)
    assert api(outsider).get("/api/v1/measures/").json()["results"] == []
    bravo = Measure.objects.get(program=tenant_b.program, code="M1")
    assert api(world.t.staff).get(f"/api/v1/measures/{bravo.public_id}/").status_code == 404
    mine = api(world.t.staff).get(f"/api/v1/measures/{world.m1.public_id}/").json()
    assert mine["data_kind"] == "proportion" and mine["target"] == "95.0000"


def test_a_teams_series_carries_the_analysis(world, persona):
    url = f"/api/v1/teams/{world.t.team.public_id}/measures/{world.m1.public_id}/series/"
    body = api(world.t.lead).get(url).json()
    assert body["chart"] == "run" and body["measure"]["code"] == "M1"
    april = next(p for p in body["points"] if p["label"] == label(world.april.start))
    assert april["numerator"] == 8 and april["denominator"] == 10 and april["y"] == 80
    assert april["note"].startswith("Scale broken")
    assert any("Too few points" in w for w in body["warnings"])
    control = api(world.t.coach).get(url + "?chart=control").json()
    assert control["chart"] == "p" and control["points"][0]["ucl"] is not None
    assert api(world.t.lead).get(url + "?chart=pie").status_code == 400
    assert body["rules"] == "anhoej"
    assert api(world.t.lead).get(url + "?rules=ihi").json()["rules"] == "ihi"
    bad = api(world.t.lead).get(url + "?rules=nelson")
    assert bad.status_code == 400 and "anhoej or ihi" in str(bad.json())
    for hidden in ("unassigned_coach", "outsider", "other_tenant_staff"):
        assert api(persona(hidden)).get(url).status_code == 404


def test_the_pooled_series_sums_numerators_and_denominators(world, outsider):
    url = (
        f"/api/v1/collaboratives/{world.t.collaborative.public_id}/measures/"
        f"{world.m1.public_id}/pooled/"
    )
    body = api(world.t.member).get(url).json()
    april = next(p for p in body["points"] if p["label"] == label(world.april.start))
    assert (april["numerator"], april["denominator"]) == (11, 22)
    assert april["y"] == 50 and april["teams_reporting"] == 2
    assert "Alpha Other Team" not in str(body)
    assert api(outsider).get(url).status_code == 404


def test_submission_status_is_for_staff_and_coaches(world):
    url = f"/api/v1/collaboratives/{world.t.collaborative.public_id}/submission-status/"
    body = api(world.t.coach).get(url).json()
    assert body["count"] == 1 and body["next"] is None
    coach = body["results"]
    assert [row["team_name"] for row in coach] == [world.t.team.name]
    april = next(p for p in coach[0]["periods"] if p["period"]["label"] == label(world.april.start))
    assert april["status"] == "submitted" and april["is_late"] is False
    march = next(p for p in coach[0]["periods"] if p["period"]["label"] == label(world.march.start))
    assert march["status"] == "not_started" and march["is_late"] is True
    assert coach[0]["late"] >= 6
    assert api(world.t.staff).get(url).json()["count"] == 2
    assert api(world.t.lead).get(url).status_code == 403


def test_values_are_written_for_the_team_in_the_url_only(world, tenant_b):
    client = api(world.t.lead)
    url = f"/api/v1/teams/{world.t.team.public_id}/data-points/"
    body = {
        "measure": str(world.m1.public_id),
        "period": str(world.may.public_id),
        "numerator": 7,
        "denominator": 10,
        "team": str(world.t.other_team.public_id),  # ignored: the team comes from the URL
        "program": str(tenant_b.program.public_id),
    }
    response = client.post(url, body, format="json")
    assert response.status_code == 201, response.json()
    point = DataPoint.objects.get(public_id=response.json()["id"])
    assert point.team == world.t.team and point.program == world.t.program

    bravo_measure = Measure.objects.get(program=tenant_b.program, code="M1")
    wrong = client.post(url, {**body, "measure": str(bravo_measure.public_id)}, format="json")
    assert wrong.status_code == 400 and "measure" in wrong.json()["error"]["fields"]
    bad = client.post(url, {**body, "numerator": 11}, format="json")
    assert bad.status_code == 400
    assert "cannot be larger" in str(bad.json()["error"]["fields"]["numerator"])
    assert api(world.t.coach).post(url, body, format="json").status_code == 403

    detail = f"{url}{point.public_id}/"
    changed = client.patch(detail, {"numerator": 6}, format="json")
    assert changed.status_code == 200 and changed.json()["numerator"] == "6.0000"
    assert DataPointRevision.objects.filter(data_point=point, action="updated").exists()
    blank = {"numerator": None, "denominator": None, "value": None, "note": ""}
    emptied = client.patch(detail, blank, format="json")
    assert emptied.status_code == 400
    assert "send DELETE" in str(emptied.json()["error"]["fields"])
    point.refresh_from_db()
    assert point.deleted_at is None and point.numerator == 6
    assert client.delete(detail).status_code == 204
    point.refresh_from_db()
    assert point.deleted_at is not None
    assert client.get(detail).status_code == 404  # deleted values leave the API


def test_submit_and_review_through_the_api(world):
    team = world.t.team.public_id
    lead = api(world.t.lead)
    lead.post(
        f"/api/v1/teams/{team}/data-points/",
        {
            "measure": str(world.m1.public_id),
            "period": str(world.may.public_id),
            "numerator": 7,
            "denominator": 10,
        },  # fmt: skip
        format="json",
    )
    base = f"/api/v1/teams/{team}/submissions/{world.may.public_id}/"
    submitted = lead.post(base + "submit/")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert OutboundEmail.objects.filter(to_email=world.t.coach.email).exists()
    assert api(world.t.member).post(base + "review/", {"decision": "reviewed"}).status_code == 403
    returned = api(world.t.coach).post(base + "review/", {"decision": "returned"})
    assert returned.status_code == 400  # a return needs a comment
    reviewed = api(world.t.coach).post(base + "review/", {"decision": "reviewed"})
    assert reviewed.json()["status"] == SubmissionStatus.REVIEWED
    listing = lead.get(f"/api/v1/teams/{team}/submissions/").json()
    assert {p["status"] for p in listing} >= {"not_started", "submitted", "reviewed"}


def test_the_team_measure_set(world):
    rows = api(world.t.member).get(f"/api/v1/teams/{world.t.team.public_id}/measures/").json()
    assert [(r["measure"]["code"], r["requirement"]) for r in rows] == [
        ("M1", "required"),
        ("", "custom"),
    ]


def test_a_services_validation_errors_answer_400_in_the_error_shape(world):
    """measures.services raises Django's ValidationError; the API's exception handler
    (core.api.exceptions) answers it: field errors by field, the others as non-field."""
    team = world.t.team.public_id
    base = f"/api/v1/teams/{team}/submissions/{world.may.public_id}/"
    lead, coach = api(world.t.lead), api(world.t.coach)

    def invalid(fields: dict) -> dict:
        return {
            "error": {
                "code": "invalid",
                "message": "The request contains invalid data.",
                "fields": fields,
            }
        }

    incomplete = lead.post(base + "submit/")
    assert incomplete.status_code == 400
    assert list(incomplete.json()["error"]["fields"]) == ["non_field_errors"]
    lead.post(
        f"/api/v1/teams/{team}/data-points/",
        {
            "measure": str(world.m1.public_id),
            "period": str(world.may.public_id),
            "numerator": 7,
            "denominator": 10,
        },  # fmt: skip
        format="json",
    )
    assert lead.post(base + "submit/").status_code == 200

    field = coach.post(base + "review/", {"decision": "returned"})
    assert (field.status_code, field.json()) == (
        400,
        invalid({"comment": ["Say what the team should change before returning it."]}),
    )
    assert coach.post(base + "review/", {"decision": "reviewed"}).status_code == 200
    again = coach.post(base + "review/", {"decision": "reviewed"})
    assert (again.status_code, again.json()) == (
        400,
        invalid(
            {
                "non_field_errors": [
                    f"{world.may.label} is reviewed: only a submitted period can be marked "
                    "reviewed."
                ]
            }
        ),
    )
