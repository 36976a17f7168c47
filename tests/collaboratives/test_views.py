"""Collaborative pages per access level, and the forms behind the staff journeys."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from collaboratives.models import Collaborative, Phase
from core.clock import month_end
from teams.models import Team
from tests.clock import month
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


#: Staff pages about the teams of a collaborative (enrolment) live in the teams app.
TEAMS_PAGES = {"enrolment", "approve", "decline", "withdraw", "roster", "coaches"}


def _url(name, collaborative, **kwargs):
    app = "teams" if name in TEAMS_PAGES else "collaboratives"
    return reverse(f"{app}:{name}", kwargs={"collaborative_id": collaborative.public_id, **kwargs})


STAFF_PAGES = ["edit", "phases", "copy", "enrolment", "roster"]


@pytest.mark.parametrize("page", STAFF_PAGES)
@pytest.mark.parametrize(
    ("persona", "status"),
    [("staff", 200), ("admin", 200), ("coach", 403), ("lead", 403), ("member", 403)],
)
def test_staff_pages_per_access_level(tenant_a, page, persona, status):
    response = _client(getattr(tenant_a, persona)).get(_url(page, tenant_a.collaborative))
    assert response.status_code == status


@pytest.mark.parametrize("page", [*STAFF_PAGES, "detail"])
def test_outsider_and_other_tenant_get_404(tenant_a, tenant_b, outsider, page):
    assert _client(outsider).get(_url(page, tenant_a.collaborative)).status_code == 404
    assert _client(tenant_b.staff).get(_url(page, tenant_a.collaborative)).status_code == 404


def test_create_form_makes_a_draft_and_goes_to_phases(tenant_a):
    client = _client(tenant_a.staff)
    assert client.get(reverse("collaboratives:create")).status_code == 200
    response = client.post(
        reverse("collaboratives:create"),
        {
            "title": "Pain Assessment Collaborative",
            "new_focus_area": "Pain",
            "summary": "Assess pain at triage.",
            "aims": "90% of children",
            "eligible_facility_types": ["community_ed", "critical_access"],
            # a year from month(4) (March 2027 to February 2028 on the default day)
            "start_date": month(4).isoformat(),
            "end_date": (month(16) - timedelta(days=1)).isoformat(),
            "timezone": "America/Chicago",
            "enrolment_opens": month(1).isoformat(),
            "enrolment_closes": (month(3) + timedelta(days=14)).isoformat(),
            "learning_sessions": "4",
        },
    )
    c = Collaborative.objects.get(title="Pain Assessment Collaborative")
    assert response["Location"] == _url("phases", c)
    assert c.focus_area.name == "Pain"
    assert c.program == tenant_a.program
    assert c.phases.filter(kind="learning_session").count() == 4


def test_create_form_shows_service_errors_at_the_field(tenant_a):
    response = _client(tenant_a.staff).post(
        reverse("collaboratives:create"),
        {
            "title": "Backwards",
            "start_date": month(4).isoformat(),
            "end_date": month(2).isoformat(),
            "timezone": "America/Chicago",
            "learning_sessions": "3",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The end date must be after the start date." in html
    assert "usa-form-group--error" in html
    assert not Collaborative.objects.filter(title="Backwards").exists()


def test_only_staff_may_launch(tenant_a):
    assert _client(tenant_a.coach).get(reverse("collaboratives:create")).status_code == 403


def test_phase_editor_saves_and_reports_overlaps(tenant_a):
    c = tenant_a.collaborative
    first = c.start_date  # 1 March 2026 on the suite's default day
    client = _client(tenant_a.staff)
    base = {
        "phases-TOTAL_FORMS": "2",
        "phases-INITIAL_FORMS": "1",
        "phases-MIN_NUM_FORMS": "0",
        "phases-MAX_NUM_FORMS": "40",
    }
    data = {
        **base,
        "phases-0-kind": "prework",
        "phases-0-name": "Prework",
        "phases-0-start_date": first.isoformat(),
        "phases-0-end_date": month_end(first).isoformat(),
        "phases-1-kind": "learning_session",
        "phases-1-name": "Kickoff",
        "phases-1-start_date": (first + timedelta(days=14)).isoformat(),
        "phases-1-end_date": (first + timedelta(days=14)).isoformat(),
    }
    response = client.post(_url("phases", c), data)
    assert response.status_code == 200
    assert "Kickoff overlaps Prework." in response.content.decode()
    assert list(Phase.objects.filter(collaborative=c).values_list("name", flat=True)) == [
        tenant_a.phase.name
    ]

    kickoff = (month_end(first) + timedelta(days=1)).isoformat()
    data["phases-1-start_date"] = data["phases-1-end_date"] = kickoff
    response = client.post(_url("phases", c), data)
    assert response.status_code == 302
    assert list(Phase.objects.filter(collaborative=c).values_list("name", flat=True)) == [
        "Prework",
        "Kickoff",
    ]


def test_phase_regeneration(tenant_a):
    c = tenant_a.collaborative
    response = _client(tenant_a.staff).post(
        _url("phases", c), {"regenerate": "1", "regen-learning_sessions": "2"}
    )
    assert response.status_code == 302
    assert c.phases.filter(kind="learning_session").count() == 2


def test_copy_page_creates_a_shifted_draft(tenant_a):
    client = _client(tenant_a.staff)
    response = client.post(
        _url("copy", tenant_a.collaborative),
        {"title": "Readiness 2027", "start_date": month(4).isoformat()},
    )
    copy = Collaborative.objects.get(title="Readiness 2027")
    assert response["Location"] == _url("detail", copy)
    assert copy.status == "draft"
    assert copy.phases.get().start_date == month(4)


def test_transition_button_and_refusal_message(tenant_a):
    c = tenant_a.collaborative  # active
    client = _client(tenant_a.staff)
    response = client.post(_url("transition", c), {"target": "recruiting"}, follow=True)
    assert "A collaborative that is active cannot become recruiting." in response.content.decode()
    client.post(_url("transition", c), {"target": "closed", "note": "Ended on schedule"})
    c.refresh_from_db()
    assert c.status == "closed"
    page = client.get(_url("detail", c)).content.decode()
    assert "Turn into a community of practice" in page
    assert "Members keep read access" in page


def test_transition_is_post_only_and_staff_only(tenant_a):
    c = tenant_a.collaborative
    assert _client(tenant_a.staff).get(_url("transition", c)).status_code == 405
    assert (
        _client(tenant_a.coach).post(_url("transition", c), {"target": "closed"}).status_code == 403
    )
    c.refresh_from_db()
    assert c.status == "active"


def test_enrolment_review_approve_decline_withdraw(tenant_a):
    applied = Team.objects.create(
        program=tenant_a.program,
        collaborative=tenant_a.collaborative,
        facility=tenant_a.other_team.facility.__class__.objects.create(
            program=tenant_a.program,
            name="Applicant Hospital",
            facility_type="tribal_ihs",
            state="AZ",
        ),
        name="Applicant Team",
        status="applied",
    )
    client = _client(tenant_a.staff)
    page = client.get(_url("enrolment", tenant_a.collaborative)).content.decode()
    assert "Applicant Team" in page and "Approve Applicant Team" in page

    response = client.post(
        _url("decline", tenant_a.collaborative, team_id=applied.public_id),
        {"reason": ""},
        follow=True,
    )
    assert "Say why the application is declined" in response.content.decode()
    applied.refresh_from_db()
    assert applied.status == "applied"

    client.post(_url("approve", tenant_a.collaborative, team_id=applied.public_id))
    applied.refresh_from_db()
    assert applied.status == "active"
    client.post(
        _url("withdraw", tenant_a.collaborative, team_id=applied.public_id), {"reason": "Left"}
    )
    applied.refresh_from_db()
    assert (applied.status, applied.decision_reason) == ("withdrawn", "Left")


def test_decision_on_a_team_of_another_collaborative_is_404(tenant_a, tenant_b):
    url = _url("approve", tenant_a.collaborative, team_id=tenant_b.team.public_id)
    assert _client(tenant_a.staff).post(url).status_code == 404


def test_roster_page_and_csv(tenant_a):
    tenant_a.team.name = '=HYPERLINK("x")'
    tenant_a.team.save()
    client = _client(tenant_a.staff)
    page = client.get(_url("roster", tenant_a.collaborative)).content.decode()
    assert tenant_a.lead.display_name in page and tenant_a.coach.display_name in page
    response = client.get(_url("roster", tenant_a.collaborative) + "?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Team",
        "Facility",
        "Facility type",
        "City",
        "State",
        "Status",
        "Leads",
        "Members",
        "Coaches",
    ]
    by_team = {r[0]: r for r in rows[1:]}
    row = by_team['\'=HYPERLINK("x")']  # neutralised formula
    assert tenant_a.lead.email in row[6]
    assert row[7] == tenant_a.member.display_name
    assert row[8] == tenant_a.coach.display_name


def test_roster_query_count_is_constant(tenant_a, django_assert_max_num_queries):
    from tests.factories import TeamFactory, TeamMembershipFactory

    for _ in range(8):
        team = TeamFactory(program=tenant_a.program, collaborative=tenant_a.collaborative)
        TeamMembershipFactory(team=team, role="lead")
    client = _client(tenant_a.staff)
    with django_assert_max_num_queries(14):
        response = client.get(_url("roster", tenant_a.collaborative))
    assert response.status_code == 200


def test_coach_assignment_page(tenant_a, tenant_b):
    url = _url("coaches", tenant_a.collaborative, team_id=tenant_a.other_team.public_id)
    client = _client(tenant_a.staff)
    assert tenant_a.coach.full_name in client.get(url).content.decode()
    response = client.post(url, {"coaches": [str(tenant_a.coach.public_id)]})
    assert response.status_code == 302
    assert tenant_a.other_team.coach_assignments.get().coach == tenant_a.coach
    # Ids people can guess or overflow are not choices: a message, nothing changed.
    junk = {
        "99999999999999999999": "is not a valid UUID",
        str(tenant_a.coach.pk): "is not a valid UUID",
        str(tenant_b.coach.public_id): "Choose the coaches from the list",
    }
    for value, message in junk.items():
        response = client.post(url, {"coaches": [value]})
        assert response.status_code == 200, value
        assert message in response.content.decode(), value
    assert tenant_a.other_team.coach_assignments.get().coach == tenant_a.coach


def test_public_page_and_registration_flow(tenant_a, client):
    c = tenant_a.recruiting
    c.enrolment_closes = timezone.localdate() + timedelta(days=10)
    c.save()
    page = client.get(reverse("collaboratives:public", kwargs={"collaborative_id": c.public_id}))
    assert "Register your team" in page.content.decode()
    register_url = reverse("teams:register", kwargs={"collaborative_id": c.public_id})
    anonymous = client.get(register_url).content.decode()
    assert "Create an account" in anonymous
    assert client.post(register_url, {})["Location"].startswith("/accounts/login/")

    person = UserFactory(email="new.lead@example.org")
    client.force_login(person)
    bad = client.post(register_url, {"facility_name": "", "team_name": "x"})
    assert bad.status_code == 200
    assert "This field is required." in bad.content.decode()
    response = client.post(
        register_url,
        {
            "facility_name": "Canyon Tribal Hospital",
            "facility_type": "tribal_ihs",
            "state": "NM",
            "city": "Gallup",
            "volume_band": "low",
            "team_name": "Canyon Kids",
            "goals": "Full vital signs",
            "lead": "me",
        },
    )
    team = Team.objects.get(name="Canyon Kids")
    assert response["Location"] == reverse("teams:detail", kwargs={"team_id": team.public_id})
    assert team.status == "applied"


def test_registration_when_enrolment_closed_says_so(tenant_a, client):
    c = tenant_a.recruiting
    c.enrolment_closes = timezone.localdate() - timedelta(days=1)
    c.save()
    client.force_login(UserFactory())
    url = reverse("teams:register", kwargs={"collaborative_id": c.public_id})
    assert "Enrolment closed on" in client.get(url).content.decode()
    client.post(
        url,
        {
            "facility_name": "X",
            "facility_type": "community_ed",
            "state": "OH",
            "team_name": "X",
            "goals": "x",
            "lead": "me",
        },
    )
    assert not Team.objects.filter(name="X").exists()


def test_phases_api(tenant_a, tenant_b):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_login(tenant_a.member)
    url = f"/api/v1/collaboratives/{tenant_a.collaborative.public_id}/phases/"
    body = api.get(url).json()
    assert [p["name"] for p in body] == [tenant_a.phase.name]
    other = f"/api/v1/collaboratives/{tenant_b.collaborative.public_id}/phases/"
    assert api.get(other).status_code == 404


def _registration(**overrides) -> dict:
    data = {
        "facility_name": "Canyon Tribal Hospital",
        "facility_type": "tribal_ihs",
        "state": "NM",
        "city": "Gallup",
        "volume_band": "low",
        "team_name": "Canyon Kids",
        "goals": "Full vital signs",
        "lead": "me",
    }
    data.update(overrides)
    return data


@pytest.fixture
def open_registration(tenant_a, client):
    """Tenant A's recruiting collaborative, open, with Canyon Tribal Hospital registered
    (in another town) and a signed-in applicant."""
    from teams.models import Facility

    c = tenant_a.recruiting
    c.enrolment_closes = timezone.localdate() + timedelta(days=10)
    c.save()
    registered = Facility.objects.create(
        program=tenant_a.program,
        name="Canyon Tribal Hospital",
        facility_type="tribal_ihs",
        state="NM",
        city="Zuni",
    )
    client.force_login(UserFactory(email="new.lead@example.org"))
    return reverse("teams:register", kwargs={"collaborative_id": c.public_id}), registered


def test_registration_shows_the_matching_facility_and_keeps_what_was_typed(
    open_registration, client
):
    url, registered = open_registration
    response = client.post(url, _registration(facility_name="canyon tribal  hospital"))
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "We found Canyon Tribal Hospital, Zuni, NM already registered. Is this your facility?"
        in html
    )
    assert "Yes, use this facility" in html
    assert "No, register mine as typed (canyon tribal hospital, Gallup)" in html
    assert f'value="{registered.public_id}"' in html
    assert 'value="new"' in html
    # Nothing typed is lost: the fields come back as typed.
    assert 'value="Gallup"' in html
    assert 'value="canyon tribal  hospital"' in html
    assert not Team.objects.filter(name="Canyon Kids").exists()


def test_registration_keeps_the_typed_city_when_the_applicant_keeps_theirs(
    open_registration, client
):
    url, registered = open_registration
    client.post(url, _registration(facility_choice="new"))
    team = Team.objects.get(name="Canyon Kids")
    assert team.facility != registered
    assert team.facility.city == "Gallup"
    registered.refresh_from_db()
    assert registered.city == "Zuni"


def test_registration_uses_the_match_when_the_applicant_confirms_it(open_registration, client):
    url, registered = open_registration
    client.post(url, _registration(facility_choice=str(registered.public_id)))
    assert Team.objects.get(name="Canyon Kids").facility == registered


def test_the_facility_question_stays_when_another_field_sends_the_form_back(
    open_registration, client
):
    url, registered = open_registration
    response = client.post(
        url, _registration(facility_choice=str(registered.public_id), team_name="")
    )
    html = response.content.decode()
    assert "Is this your facility?" in html
    chosen = re.search(
        rf'<input type="radio" name="facility_choice" value="{registered.public_id}"[^>]*>', html
    )
    assert chosen is not None
    assert " checked" in chosen.group(0)
