"""A team's storyboard: the page and a real PDF (WeasyPrint; its text checked: team,
aim, ramps, decisions, lessons), script in the aim escaped in both, the lead's lessons
learned, and who sees what (the team's circle every ramp, the collaborative's other
teams only shared ramps, everyone else 404)."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from core.models import AuditEvent
from pdsa.models import Aim, Decision
from resources.models import Storyboard
from resources.services.sustain import LESSONS_MAX_LENGTH
from teams.models import TeamRole
from tests.conftest import PRIVATE_MARKER
from tests.factories import TeamFactory, TeamMembershipFactory, UserFactory, client_for
from tests.resources.sustain_helpers import package_item, ramp

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('aim')</script>"


def _text(pdf: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    return " ".join(text.split())


def _page(team) -> str:
    return reverse("resources:storyboard", kwargs={"team_id": team.public_id})


def _pdf(team) -> str:
    return reverse("resources:storyboard_pdf", kwargs={"team_id": team.public_id})


@pytest.fixture
def story(tenant_a):
    """The tenant's team: an aim, an adopted ramp after two cycles (unshared) on a
    package item, an abandoned one (shared), and lessons learned."""
    t = tenant_a
    Aim.objects.filter(team=t.team).update(statement=f"95% weighed in kg by June {SCRIPT}")
    item = package_item(t, "Weigh in kg")
    ramp(t.team, item, "Kg-only triage scale", [Decision.ADAPT, Decision.ADOPT])
    ramp(t.team, item, "Weight on the whiteboard", [Decision.ABANDON], shared=True)
    Storyboard.objects.filter(team=t.team).update(
        lessons_learned="Start on the night shift.\nAsk the nurses first."
    )
    return t


def test_the_pdf_is_real_and_says_the_teams_story(story):
    t = story
    response = client_for(t.lead).get(_pdf(t.team))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = _text(response.content)
    assert t.team.name in text
    assert "95% weighed in kg by June" in text
    assert SCRIPT in text  # shown as text, never run as markup
    for words in (
        "Kg-only triage scale",
        "Adopt: make it the way we work",
        "Adapt: change it and test again",
        "Weight on the whiteboard",
        "Abandon: stop testing this change",
        "Lessons learned",
        "Start on the night shift.",
        "Ask the nurses first.",
        "Key driver diagram",
    ):
        assert words in text
    # The builder's adopted, shared ramp of its own package item is on it too.
    assert "Lock the triage scale to kg" in text


def test_the_page_shows_the_story_and_escapes_script(story):
    t = story
    response = client_for(t.member).get(_page(t.team))
    assert response.status_code == 200
    html = response.content.decode()
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(&#x27;aim&#x27;)&lt;/script&gt;" in html
    for words in ("Kg-only triage scale", "Weight on the whiteboard", "Start on the night shift."):
        assert words in html
    assert "<svg" in html  # the driver diagram, drawn inline
    assert _pdf(t.team) in html
    assert "Save the lessons learned" not in html  # only the lead writes them


def test_the_lead_writes_the_lessons(story):
    t = story
    response = client_for(t.lead).post(
        _page(t.team), {"lessons_learned": "Weigh first, then triage. <b>bold</b>"}
    )
    assert response.status_code == 302
    assert Storyboard.objects.get(team=t.team).lessons_learned.startswith("Weigh first")
    assert AuditEvent.objects.filter(verb="storyboard.lessons_changed").exists()
    html = client_for(t.member).get(_page(t.team)).content.decode()
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_lessons_too_long_are_refused_with_a_message(story):
    t = story
    response = client_for(t.lead).post(
        _page(t.team), {"lessons_learned": "x" * (LESSONS_MAX_LENGTH + 1)}
    )
    assert response.status_code == 200
    assert "at most 4000 characters" in response.content.decode()
    assert Storyboard.objects.get(team=t.team).lessons_learned.startswith("Start")


@pytest.mark.parametrize("persona", ["member", "coach", "staff"])
def test_only_the_lead_may_write_the_lessons(story, persona):
    response = client_for(getattr(story, persona)).post(
        _page(story.team), {"lessons_learned": "Not mine to write"}
    )
    assert response.status_code == 403
    assert "Not mine" not in Storyboard.objects.get(team=story.team).lessons_learned


@pytest.mark.parametrize("persona", ["lead", "member", "coach", "staff", "admin"])
def test_the_teams_circle_sees_every_ramp(story, persona):
    html = client_for(getattr(story, persona)).get(_page(story.team)).content.decode()
    assert "Kg-only triage scale" in html and "Weight on the whiteboard" in html


def test_another_team_of_the_collaborative_sees_only_shared_ramps(story):
    t = story
    neighbour = UserFactory()
    TeamMembershipFactory(team=t.other_team, user=neighbour, role=TeamRole.MEMBER)
    response = client_for(neighbour).get(_page(t.team))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Weight on the whiteboard" in html  # shared
    assert "Kg-only triage scale" not in html  # not shared
    assert "Start on the night shift." in html
    text = _text(client_for(neighbour).get(_pdf(t.team)).content)
    assert "Weight on the whiteboard" in text and "Kg-only triage scale" not in text
    assert "Save the lessons learned" not in html
    assert client_for(neighbour).post(_page(t.team), {"lessons_learned": "x"}).status_code == 403


def test_outsiders_and_other_tenants_get_404(story, tenant_b):
    t = story
    elsewhere = UserFactory()
    other_collaborative_team = TeamFactory(program=t.program, collaborative=t.recruiting)
    TeamMembershipFactory(team=other_collaborative_team, user=elsewhere, role=TeamRole.LEAD)
    for user in (elsewhere, tenant_b.staff, tenant_b.lead, tenant_b.coach, UserFactory()):
        for url in (_page(t.team), _pdf(t.team)):
            assert client_for(user).get(url).status_code == 404
    # And tenant A's people cannot see tenant B's storyboard.
    response = client_for(t.staff).get(_page(tenant_b.team))
    assert response.status_code == 404
    assert PRIVATE_MARKER not in response.content.decode()


def test_anonymous_is_sent_to_log_in(story):
    from django.test import Client

    response = Client().get(_page(story.team))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_team_home_links_its_storyboard(story):
    home = reverse("teams:detail", kwargs={"team_id": story.team.public_id})
    assert _page(story.team) in client_for(story.member).get(home).content.decode()
