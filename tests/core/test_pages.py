"""Pages per access level: home routing, team and collaborative pages, escaping."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import CoachAssignmentFactory, TeamFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_visitor_sees_the_landing_page_with_recruiting_collaboratives(client, tenant_a):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sign in" in html
    assert tenant_a.recruiting.title in html
    assert tenant_a.collaborative.title not in html  # active, not public


@pytest.mark.parametrize(
    ("persona", "target"),
    [
        ("staff", "collaboratives:staff_list"),
        ("admin", "collaboratives:staff_list"),
        ("coach", "dashboards:coach"),
    ],
)
def test_home_sends_each_role_where_it_matters(tenant_a, persona, target):
    response = _client(getattr(tenant_a, persona)).get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse(target)


@pytest.mark.parametrize("persona", ["lead", "member"])
def test_home_sends_team_members_to_their_team(tenant_a, persona):
    response = _client(getattr(tenant_a, persona)).get("/")
    assert response["Location"] == reverse(
        "teams:detail", kwargs={"team_id": tenant_a.team.public_id}
    )


def test_person_without_a_role_gets_a_welcome_page(outsider, tenant_a):
    response = _client(outsider).get("/")
    assert response.status_code == 200
    assert "You are not part of a team or program yet" in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("staff", 200), ("admin", 200), ("coach", 200), ("lead", 200), ("member", 200)],
)
def test_team_page_per_access_level(tenant_a, persona, status):
    url = reverse("teams:detail", kwargs={"team_id": tenant_a.team.public_id})
    assert _client(getattr(tenant_a, persona)).get(url).status_code == status


@pytest.mark.parametrize("persona", ["coach", "lead", "member"])
def test_other_team_of_the_same_program_is_hidden(tenant_a, persona):
    """A coach sees only assigned teams; members only their own (404, not 403)."""
    url = reverse("teams:detail", kwargs={"team_id": tenant_a.other_team.public_id})
    assert _client(getattr(tenant_a, persona)).get(url).status_code == 404


def test_anonymous_is_sent_to_login(client, tenant_a):
    url = reverse("teams:detail", kwargs={"team_id": tenant_a.team.public_id})
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_coach_home_lists_assigned_teams_across_collaboratives(tenant_a):
    second = TeamFactory(program=tenant_a.program, name="Second collaborative team")
    CoachAssignmentFactory(team=second, coach=tenant_a.coach)
    html = _client(tenant_a.coach).get(reverse("dashboards:coach")).content.decode()
    assert tenant_a.team.name in html
    assert second.name in html
    assert tenant_a.other_team.name not in html


def test_staff_list_shows_enrolment_counts(tenant_a):
    html = _client(tenant_a.staff).get(reverse("collaboratives:staff_list")).content.decode()
    assert tenant_a.collaborative.title in html
    assert tenant_a.recruiting.title in html


def test_public_page_only_for_recruiting_collaboratives(client, tenant_a):
    ok = client.get(
        reverse("collaboratives:public", kwargs={"collaborative_id": tenant_a.recruiting.public_id})
    )
    assert ok.status_code == 200
    hidden = client.get(
        reverse(
            "collaboratives:public", kwargs={"collaborative_id": tenant_a.collaborative.public_id}
        )
    )
    assert hidden.status_code == 404


def test_user_text_is_escaped(tenant_a):
    tenant_a.team.name = '<script>alert("x")</script>'
    tenant_a.team.goals = "<img src=x onerror=alert(1)>"
    tenant_a.team.save()
    html = (
        _client(tenant_a.lead)
        .get(reverse("teams:detail", kwargs={"team_id": tenant_a.team.public_id}))
        .content.decode()
    )
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html
    assert "<img src=x" not in html


def test_navigation_shows_each_role_its_sections(tenant_a):
    html = _client(tenant_a.staff).get(reverse("collaboratives:staff_list")).content.decode()
    assert 'href="/collaboratives/"' in html
    assert "Skip to main content" in html
    member_html = (
        _client(tenant_a.member)
        .get(reverse("teams:detail", kwargs={"team_id": tenant_a.team.public_id}))
        .content.decode()
    )
    assert "Our team" in member_html
    assert 'href="/collaboratives/"' not in member_html


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_profile_edit_validates_length(tenant_a):
    client = _client(tenant_a.member)
    response = client.post(
        reverse("accounts:profile"), {"full_name": "x" * 151, "credentials": "RN"}
    )
    assert response.status_code == 200
    assert "Ensure this value has at most 150 characters" in response.content.decode()
    response = client.post(
        reverse("accounts:profile"), {"full_name": "Jo Lee", "credentials": "EMT-P"}
    )
    assert response.status_code == 302
    tenant_a.member.refresh_from_db()
    assert tenant_a.member.display_name == "Jo Lee, EMT-P"


def test_api_token_is_issued_behind_login_and_works(tenant_a):
    client = _client(tenant_a.member)
    response = client.post(reverse("accounts:api_token"), {"action": "rotate"})
    token = response.context["token"]
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/teams/").status_code == 200
    client.post(reverse("accounts:api_token"), {"action": "revoke"})
    assert api.get("/api/v1/teams/").status_code == 401


def test_team_sections_link_to_installed_features(tenant_a):
    html = (
        _client(tenant_a.member)
        .get(reverse("teams:detail", kwargs={"team_id": tenant_a.team.public_id}))
        .content.decode()
    )
    assert reverse("pdsa:cycle_list", kwargs={"team_id": tenant_a.team.public_id}) in html
    coach_html = _client(tenant_a.coach).get(reverse("dashboards:coach")).content.decode()
    assert reverse("pdsa:review") in coach_html


def test_member_of_several_teams_lands_on_the_active_one(tenant_a):
    from tests.clock import month
    from tests.factories import TeamMembershipFactory

    # The newest collaborative comes first among memberships; it must not win.
    tenant_a.recruiting.start_date = month(7)  # after the active one's start (month(-8))
    tenant_a.recruiting.save()
    applied = TeamFactory(
        program=tenant_a.program, collaborative=tenant_a.recruiting, status="applied"
    )
    TeamMembershipFactory(team=applied, user=tenant_a.member)
    response = _client(tenant_a.member).get("/")
    assert response["Location"] == reverse(
        "teams:detail", kwargs={"team_id": tenant_a.team.public_id}
    )
