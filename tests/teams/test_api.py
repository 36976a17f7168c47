"""Team API: members, coaches and progress ratings, read and write, scoped per caller."""

from datetime import timedelta
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from core.clock import current_month, month_start
from teams.api.serializers import MembershipSerializer
from teams.models import ProgressRating, RatingKind, TeamRole
from teams.selectors import team_members
from teams.services import progress_rating_create
from tests.clock import label
from tests.factories import TeamMembershipFactory

from .conftest import HIDDEN_PERSONAS, VISIBLE_PERSONAS

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _base(tenant, team=None) -> str:
    return f"/api/v1/teams/{(team or tenant.team).public_id}"


# --- members and coaches --------------------------------------------------------------------


@pytest.mark.parametrize("persona_name", VISIBLE_PERSONAS)
def test_members_with_emails_for_the_team_its_coaches_and_staff(tenant_a, persona, persona_name):
    response = api(persona(persona_name)).get(f"{_base(tenant_a)}/members/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    by_role = {row["role"]: row for row in body["results"]}
    lead = by_role["lead"]
    assert lead["id"] == str(tenant_a.lead_membership.public_id)
    assert lead["role_display"] == "Team lead"
    assert lead["person"] == {
        "id": str(tenant_a.lead.public_id),
        "full_name": tenant_a.lead.full_name,
        "credentials": "RN",
        "display_name": tenant_a.lead.display_name,
        "email": tenant_a.lead.email,
    }


@pytest.mark.parametrize("persona_name", HIDDEN_PERSONAS)
@pytest.mark.parametrize("resource", ["members", "coaches", "ratings"])
def test_other_people_get_404_in_the_error_shape(tenant_a, persona, persona_name, resource):
    response = api(persona(persona_name)).get(f"{_base(tenant_a)}/{resource}/")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "Not found."}}


@pytest.mark.parametrize("resource", ["members", "coaches", "ratings"])
def test_anonymous_is_refused(tenant_a, resource):
    response = api().get(f"{_base(tenant_a)}/{resource}/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_email_addresses_are_left_out_for_callers_outside_the_team(tenant_a):
    """Whoever may see a roster without belonging to the team gets no addresses."""
    rows = MembershipSerializer(
        team_members(team=tenant_a.team), many=True, context={"show_emails": False}
    ).data
    assert rows and all(row["person"]["email"] is None for row in rows)
    rows = MembershipSerializer(
        team_members(team=tenant_a.team), many=True, context={"show_emails": True}
    ).data
    assert {row["person"]["email"] for row in rows} == {tenant_a.lead.email, tenant_a.member.email}


def test_former_members_are_not_listed(tenant_a):
    TeamMembershipFactory(team=tenant_a.team, role=TeamRole.MEMBER, is_active=False)
    assert api(tenant_a.lead).get(f"{_base(tenant_a)}/members/").json()["count"] == 2


def test_coaches_list(tenant_a):
    response = api(tenant_a.member).get(f"{_base(tenant_a)}/coaches/")
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["id"] == str(tenant_a.coach_assignment.public_id)
    assert row["coach"]["display_name"] == tenant_a.coach.display_name
    assert row["coach"]["email"] == tenant_a.coach.email


# --- ratings: reading -----------------------------------------------------------------------


def _rate(tenant, kind, score, month=None, rationale="Because."):
    return progress_rating_create(
        team=tenant.team,
        month=month or current_month(),
        kind=kind,
        score=score,
        rationale=rationale,
        rated_by=tenant.coach if kind == RatingKind.COACH else tenant.lead,
    )


def test_ratings_list_with_history_and_filters(tenant_a):
    old = _rate(tenant_a, RatingKind.COACH, "2.0")
    new = _rate(tenant_a, RatingKind.COACH, "2.5")
    own = _rate(tenant_a, RatingKind.SELF, "3.0")
    client = api(tenant_a.member)
    body = client.get(f"{_base(tenant_a)}/ratings/").json()
    assert body["count"] == 4  # with the fixture's April rating
    rows = {row["id"]: row for row in body["results"]}
    assert rows[str(new.public_id)]["is_current"] is True
    assert rows[str(old.public_id)]["is_current"] is False
    assert rows[str(new.public_id)]["score"] == "2.5"
    assert rows[str(new.public_id)]["score_definition"].startswith("Changes tested")
    assert rows[str(new.public_id)]["rated_by"]["display_name"] == tenant_a.coach.display_name
    assert rows[str(new.public_id)]["team"] == str(tenant_a.team.public_id)

    selfs = client.get(f"{_base(tenant_a)}/ratings/", {"kind": "self"}).json()
    assert [row["id"] for row in selfs["results"]] == [str(own.public_id)]
    april = tenant_a.rating.month  # the fixture's rating: April 2026 on the default day
    body = client.get(f"{_base(tenant_a)}/ratings/", {"month": f"{april:%Y-%m}"}).json()
    assert [row["id"] for row in body["results"]] == [str(tenant_a.rating.public_id)]
    assert body["results"][0]["month"] == april.isoformat()
    assert body["results"][0]["month_label"] == label(april)


@pytest.mark.parametrize(("param", "value"), [("month", "April"), ("kind", "peer")])
def test_bad_filters_answer_400_in_the_error_shape(tenant_a, param, value):
    response = api(tenant_a.member).get(f"{_base(tenant_a)}/ratings/", {param: value})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert param in error["fields"]


def test_rating_detail(tenant_a):
    url = f"{_base(tenant_a)}/ratings/{tenant_a.rating.public_id}/"
    response = api(tenant_a.lead).get(url)
    assert response.status_code == 200
    assert response.json()["rationale"] == tenant_a.rating.rationale


def test_a_rating_is_only_found_under_its_own_team(tenant_a):
    other = progress_rating_create(
        team=tenant_a.other_team,
        month=current_month(),
        kind=RatingKind.COACH,
        score="3.0",
        rationale="Other team.",
        rated_by=tenant_a.staff,
    )
    # Staff see both teams, but the rating belongs to the other one.
    response = api(tenant_a.staff).get(f"{_base(tenant_a)}/ratings/{other.public_id}/")
    assert response.status_code == 404


def test_other_tenants_rating_is_404(tenant_a, tenant_b):
    url = f"{_base(tenant_b)}/ratings/{tenant_b.rating.public_id}/"
    assert api(tenant_a.staff).get(url).status_code == 404


# --- ratings: writing -----------------------------------------------------------------------


def _post(user, tenant, **body):
    body.setdefault("score", "3.0")
    body.setdefault("rationale", "Changes tested on two shifts.")
    return api(user).post(f"{_base(tenant)}/ratings/", body, format="json")


@pytest.mark.parametrize(
    ("persona_name", "kind"),
    [("coach", "coach"), ("staff", "coach"), ("admin", "coach"), ("lead", "self")],
)
def test_the_kind_follows_the_callers_role(tenant_a, persona, persona_name, kind):
    response = _post(persona(persona_name), tenant_a)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["kind"] == kind
    assert body["month"] == current_month().isoformat()
    assert body["is_current"] is True
    rating = ProgressRating.objects.get(public_id=body["id"])
    assert (rating.team, rating.program, rating.kind) == (tenant_a.team, tenant_a.program, kind)
    assert rating.rated_by == persona(persona_name)


@pytest.mark.parametrize(
    ("persona_name", "kind"), [("lead", "coach"), ("coach", "self"), ("staff", "self")]
)
def test_a_kind_the_caller_may_not_give_is_403(tenant_a, persona, persona_name, kind):
    response = _post(persona(persona_name), tenant_a, kind=kind)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert ProgressRating.objects.filter(team=tenant_a.team).count() == 1


def test_members_cannot_rate(tenant_a):
    response = _post(tenant_a.member, tenant_a, kind="self")
    assert response.status_code == 403
    assert "rate progress" in response.json()["error"]["message"]


@pytest.mark.parametrize("persona_name", HIDDEN_PERSONAS)
def test_outsiders_cannot_rate(tenant_a, persona, persona_name):
    assert _post(persona(persona_name), tenant_a).status_code == 404
    assert ProgressRating.objects.filter(team=tenant_a.team).count() == 1


def test_someone_who_may_give_both_kinds_must_say_which(tenant_a):
    TeamMembershipFactory(team=tenant_a.team, user=tenant_a.staff, role=TeamRole.LEAD)
    response = _post(tenant_a.staff, tenant_a)
    assert response.status_code == 400
    assert "say which one" in response.json()["error"]["fields"]["kind"][0]
    assert _post(tenant_a.staff, tenant_a, kind="self").status_code == 201


def test_team_and_program_come_from_the_url_not_the_body(tenant_a, tenant_b):
    response = _post(
        tenant_a.coach,
        tenant_a,
        team=str(tenant_b.team.public_id),
        program=str(tenant_b.program.public_id),
    )
    assert response.status_code == 201
    rating = ProgressRating.objects.get(public_id=response.json()["id"])
    assert rating.team == tenant_a.team
    assert rating.program == tenant_a.program
    assert not ProgressRating.objects.filter(team=tenant_b.team, rated_by=tenant_a.coach)


def test_a_past_month_can_be_given_as_any_day_in_it(tenant_a):
    previous = month_start(current_month() - timedelta(days=1))
    response = _post(tenant_a.coach, tenant_a, month=(previous + timedelta(days=9)).isoformat())
    assert response.status_code == 201
    assert response.json()["month"] == previous.isoformat()


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"rationale": ""}, "rationale", "This field may not be blank."),
        ({"rationale": "   "}, "rationale", "This field may not be blank."),
        ({"score": "0.7"}, "score", "Choose a score on the IHI scale"),
        ({"score": "6"}, "score", "less than or equal to 5.0"),
        ({"score": "abc"}, "score", "A valid number is required."),
        ({"month": "future"}, "month", "has not started yet."),
        ({"month": "May"}, "month", "Date has wrong format."),
        ({"kind": "peer"}, "kind", "is not a valid choice."),
    ],
)
def test_invalid_ratings_answer_400_in_the_error_shape(tenant_a, body, field, message):
    if body.get("month") == "future":
        body["month"] = month_start(current_month() + timedelta(days=32)).isoformat()
    response = _post(tenant_a.coach, tenant_a, **body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["message"] == "The request contains invalid data."
    assert message in " ".join(error["fields"][field])
    assert ProgressRating.objects.filter(team=tenant_a.team).count() == 1


def test_rating_detail_cannot_be_changed(tenant_a):
    url = f"{_base(tenant_a)}/ratings/{tenant_a.rating.public_id}/"
    client = api(tenant_a.coach)
    assert client.patch(url, {"score": "5.0"}, format="json").status_code == 405
    assert client.delete(url).status_code == 405
    tenant_a.rating.refresh_from_db()
    assert tenant_a.rating.score == Decimal("2.0")


def test_schema_documents_the_team_endpoints():
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    schema = out.getvalue()
    for path in (
        "/api/v1/teams/{team_id}/members/",
        "/api/v1/teams/{team_id}/coaches/",
        "/api/v1/teams/{team_id}/ratings/",
        "/api/v1/teams/{team_id}/ratings/{rating_id}/",
    ):
        assert path in schema
    assert "RatingCreate" in schema
