"""The team home's "Aim and goals": the team's SMART aim once written (pdsa's panel),
the goals of its application, labelled as such, only before."""

import html

import pytest
from django.urls import reverse

from pdsa import services
from pdsa.models import Aim

from .helpers import add_member, client_for

pytestmark = pytest.mark.django_db


def _home(user, team) -> str:
    response = client_for(user).get(reverse("teams:detail", kwargs={"team_id": team.public_id}))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _aim_box(page: str) -> str:
    """The "Aim and goals" section of the page."""
    start = page.index('id="goals-heading"')
    return page[start : page.index("</section>", start)]


@pytest.fixture
def team(tenant_a):
    Aim.objects.filter(team=tenant_a.team).delete()  # the tenant's sample aim
    return tenant_a.team


def test_before_the_aim_the_applications_goals_show_labelled(tenant_a, team):
    aim_url = reverse("pdsa:aim", kwargs={"team_id": team.public_id})
    lead = _aim_box(_home(tenant_a.lead, team))
    assert "From your application" in lead and team.goals in lead
    assert f'href="{aim_url}">Write your team\'s SMART aim</a>' in lead
    coach = _aim_box(_home(tenant_a.coach, team))
    assert "From the team's application" in coach and team.goals in coach
    assert "Write your team's SMART aim" not in coach  # the lead writes it


def test_once_written_the_aim_replaces_the_applications_goals(tenant_a, team):
    services.aim_save(
        team=team,
        actor=tenant_a.lead,
        statement="By June, 95% of children weighed in kg",
        what="children weighed in kg",
        how_much="95%",
    )
    aim_url = reverse("pdsa:aim", kwargs={"team_id": team.public_id})
    lead = _aim_box(_home(tenant_a.lead, team))
    assert "By June, 95% of children weighed in kg" in lead
    assert team.goals not in lead and "application" not in lead
    assert "Not yet SMART" in lead and "Still to say: by when, for whom." in lead
    assert f'href="{aim_url}">Revise the aim</a>' in lead
    for person in (tenant_a.member, tenant_a.coach, add_member(tenant_a)):
        box = _aim_box(_home(person, team))
        assert "By June, 95% of children weighed in kg" in box and team.goals not in box
        assert "Revise the aim" not in box  # only the lead keeps the aim
        assert f'href="{aim_url}">The aim in full, with its history</a>' in box


def test_the_aim_is_escaped(tenant_a, team):
    services.aim_save(team=team, actor=tenant_a.lead, statement="<script>x</script> 95% in kg")
    page = client_for(tenant_a.member).get(
        reverse("teams:detail", kwargs={"team_id": team.public_id})
    )
    assert "<script>x</script>" not in page.content.decode()
    assert "&lt;script&gt;x&lt;/script&gt; 95% in kg" in page.content.decode()
