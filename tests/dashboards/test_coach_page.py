"""The coach dashboard page: who sees which teams, the table without JavaScript
(sorting, filtering, reasons in words), and what others get (404)."""

import pytest
from django.urls import reverse

from collaboratives.models import Collaborative
from tests.factories import CoachAssignmentFactory, CollaborativeFactory, TeamFactory, client_for
from tests.teams.conftest import page_text

pytestmark = pytest.mark.django_db

COACH_URL = reverse("dashboards:coach")


def _collab_url(collaborative):
    return reverse("dashboards:collaborative", kwargs={"collaborative_id": collaborative.public_id})


def _coached_team(tenant, name, collaborative=None):
    team = TeamFactory(
        program=tenant.program, collaborative=collaborative or tenant.collaborative, name=name
    )
    CoachAssignmentFactory(team=team, coach=tenant.coach)
    return team


def test_coach_sees_assigned_teams_across_collaboratives_with_reasons(tenant_a):
    elsewhere = CollaborativeFactory(program=tenant_a.program, title="Second collaborative")
    _coached_team(tenant_a, "Elsewhere Team", collaborative=elsewhere)
    html = page_text(client_for(tenant_a.coach).get(COACH_URL))
    assert tenant_a.team.name in html
    assert "Elsewhere Team" in html
    assert "Second collaborative" in html
    assert tenant_a.other_team.name not in html  # not assigned to this coach
    assert "No PDSA cycle yet" in html or "no PDSA cycle" in html.lower()


def test_the_old_coach_home_address_is_the_dashboard(tenant_a):
    assert COACH_URL == "/coach/"
    response = client_for(tenant_a.coach).get("/")
    assert response["Location"] == COACH_URL


def test_unassigned_coach_sees_none(tenant_a, unassigned_coach):
    html = page_text(client_for(unassigned_coach).get(COACH_URL))
    assert "No teams are assigned to you yet." in html
    assert tenant_a.team.name not in html


def test_other_tenants_coach_sees_only_their_teams(tenant_a, tenant_b):
    html = page_text(client_for(tenant_b.coach).get(COACH_URL))
    assert tenant_b.team.name in html
    assert tenant_a.team.name not in html


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(COACH_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_sort_links_and_name_sort(tenant_a):
    _coached_team(tenant_a, "Aardvark Team")
    _coached_team(tenant_a, "Zebra Team")
    client = client_for(tenant_a.coach)
    html = page_text(client.get(COACH_URL + "?sort=name"))
    assert html.index("Aardvark Team") < html.index("Zebra Team")
    assert 'href="?sort=-name"' in html  # the active column's link reverses it
    html = page_text(client.get(COACH_URL + "?sort=-name"))
    assert html.index("Zebra Team") < html.index("Aardvark Team")
    assert 'href="?sort=name"' in html
    # An unknown sort falls back to the need order, never an error.
    assert client.get(COACH_URL + "?sort=<script>").status_code == 200


def test_filter_by_name_and_reason(tenant_a):
    _coached_team(tenant_a, "Zebra Team")
    client = client_for(tenant_a.coach)
    html = page_text(client.get(COACH_URL + "?q=zebra"))
    assert "Zebra Team" in html
    assert tenant_a.team.name not in html
    assert "Showing 1 of 2 teams." in html
    html = page_text(client.get(COACH_URL + "?reason=no_pdsa"))
    assert "Zebra Team" in html
    raw = client.get(COACH_URL + "?reason=bogus&q=<b>x</b>").content.decode()
    assert "<b>x</b>" not in raw  # the search box echoes the query escaped
    assert 'value="&lt;b&gt;x&lt;/b&gt;"' in raw


def test_teams_of_ended_collaboratives_need_no_rating(tenant_a):
    Collaborative.objects.filter(pk=tenant_a.collaborative.pk).update(status="community")
    html = page_text(client_for(tenant_a.coach).get(COACH_URL))
    assert "No rating needed: the collaborative has ended." in html


@pytest.mark.parametrize(
    ("persona_name", "status"),
    [
        ("admin", 200),
        ("staff", 200),
        ("coach", 200),
        ("unassigned_coach", 404),
        ("lead", 404),
        ("member", 404),
        ("outsider", 404),
        ("other_tenant_staff", 404),
    ],
)
def test_collaborative_dashboard_access(tenant_a, persona, persona_name, status):
    response = client_for(persona(persona_name)).get(_collab_url(tenant_a.collaborative))
    assert response.status_code == status


def test_staff_see_every_team_coach_only_theirs(tenant_a, unassigned_coach):
    url = _collab_url(tenant_a.collaborative)
    staff_html = page_text(client_for(tenant_a.staff).get(url))
    assert tenant_a.team.name in staff_html
    assert tenant_a.other_team.name in staff_html
    coach_html = page_text(client_for(tenant_a.coach).get(url))
    assert tenant_a.team.name in coach_html
    assert tenant_a.other_team.name not in coach_html
    assert client_for(unassigned_coach).get(url).status_code == 404


def test_drill_down_links_to_the_team(tenant_a):
    html = client_for(tenant_a.coach).get(COACH_URL).content.decode()
    assert reverse("teams:detail", kwargs={"team_id": tenant_a.team.public_id}) in html


def test_the_collaborative_page_links_staff_and_coaches_to_the_dashboard(
    tenant_a, unassigned_coach
):
    page = reverse(
        "collaboratives:detail", kwargs={"collaborative_id": tenant_a.collaborative.public_id}
    )
    link = _collab_url(tenant_a.collaborative)
    assert link in client_for(tenant_a.staff).get(page).content.decode()
    assert link in client_for(tenant_a.coach).get(page).content.decode()
    assert link not in client_for(tenant_a.lead).get(page).content.decode()
    assert link not in client_for(unassigned_coach).get(page).content.decode()
