"""The top-bar search (core.search with the providers of resources, pdsa, measures and
learning_sessions) on PostgreSQL: what each person finds, and nothing of another team
or program, ever. Both tenants carry the same sample words (tests/*/tenant_builder.py),
tenant B's with the private marker."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.search import search_everything
from learning_sessions.models import Event, EventKind
from measures.models import DataKind, Measure, MeasureType
from pdsa.models import ChangeIdea, Cycle
from resources.models import Visibility
from tests.conftest import PRIVATE_MARKER
from tests.factories import client_for

from .search_helpers import make_resource

pytestmark = pytest.mark.django_db


def groups_of(user, query, **kwargs) -> dict[str, list[str]]:
    """{group name: [hit titles as plain text]} of a search."""
    return {
        group.name: [
            str(hit.title).replace("<mark>", "").replace("</mark>", "") for hit in group.hits
        ]
        for group in search_everything(user=user, query=query, **kwargs)
    }


def all_text(user, query) -> str:
    return repr(search_everything(user=user, query=query, limit=50))


def a_cycle(team, title, **fields):
    idea = ChangeIdea.objects.create(program=team.program, team=team, title=f"Idea for {title}")
    return Cycle.objects.create(
        program=team.program, team=team, change_idea=idea, title=title, **fields
    )


def test_a_member_finds_their_teams_work_in_every_group(tenant_a, tenant_b):
    make_resource(tenant_a, "Weighing children in kg", summary="A poster for triage.")
    make_resource(tenant_b, f"Weighing in kg {PRIVATE_MARKER}")
    found = groups_of(tenant_a.member, "kg")
    assert found["resources"] == ["Weighing children in kg"]
    assert found["change_ideas"] == ["Lock the triage scale to kg"]
    assert found["pdsa_cycles"] == ["Lock the scale for one shift"]  # kg in its worksheet
    assert found["measures"] == ["Weight in kg only"]
    assert PRIVATE_MARKER not in all_text(tenant_a.member, "kg")


def test_events_of_the_persons_collaboratives(tenant_a, tenant_b):
    found = groups_of(tenant_a.member, "learning session")
    assert found["events"] == ["Alpha Program Learning Session"]
    assert PRIVATE_MARKER not in all_text(tenant_a.member, "learning session webinar")


def test_nothing_of_another_program_even_for_its_exact_words(tenant_a, tenant_b):
    for person in (tenant_a.admin, tenant_a.staff, tenant_a.coach, tenant_a.lead):
        assert groups_of(person, PRIVATE_MARKER) == {}
        assert groups_of(person, "BRAVO") == {}


def test_another_team_of_the_same_collaborative_stays_hidden_from_members(tenant_a):
    a_cycle(tenant_a.other_team, "Sepsis huddle at handover")
    assert groups_of(tenant_a.member, "sepsis") == {}
    assert groups_of(tenant_a.lead, "sepsis") == {}


def test_a_coach_sees_the_teams_they_coach_and_staff_every_team(tenant_a):
    a_cycle(tenant_a.team, "Sepsis screen at triage")
    a_cycle(tenant_a.other_team, "Sepsis huddle at handover")
    assert groups_of(tenant_a.coach, "sepsis")["pdsa_cycles"] == ["Sepsis screen at triage"]
    assert sorted(groups_of(tenant_a.staff, "sepsis")["pdsa_cycles"]) == [
        "Sepsis huddle at handover",
        "Sepsis screen at triage",
    ]


def test_deleted_cycles_are_not_found(tenant_a):
    a_cycle(tenant_a.team, "Sepsis screen at triage", deleted_at=timezone.now())
    assert "pdsa_cycles" not in groups_of(tenant_a.member, "sepsis")


def test_stemming_and_ranking_in_the_teams_groups(tenant_a):
    a_cycle(tenant_a.team, "Night shift test", objective="Splinting every fracture.")
    a_cycle(tenant_a.team, "Splints on arrival")
    assert groups_of(tenant_a.member, "splint")["pdsa_cycles"] == [
        "Splints on arrival",  # the title outranks the worksheet
        "Night shift test",
    ]


def test_library_visibility_rules(tenant_a, tenant_b):
    make_resource(tenant_a, "Splint program-wide")
    make_resource(tenant_a, "Splint public", visibility=Visibility.PUBLIC)
    make_resource(tenant_a, "Splint for our collaborative", visibility=Visibility.COLLABORATIVE)
    make_resource(
        tenant_a,
        "Splint for the recruiting collaborative",
        visibility=Visibility.COLLABORATIVE,
        collaborative=tenant_a.recruiting,
    )
    make_resource(tenant_a, "Splint retired", retired_at=timezone.now())
    make_resource(tenant_b, "Splint public elsewhere", visibility=Visibility.PUBLIC)
    seen_by_member = set(groups_of(tenant_a.member, "splint", limit=50)["resources"])
    assert seen_by_member == {
        "Splint program-wide",
        "Splint public",
        "Splint for our collaborative",
    }
    seen_by_staff = set(groups_of(tenant_a.staff, "splint", limit=50)["resources"])
    assert seen_by_staff == seen_by_member | {"Splint for the recruiting collaborative"}


def test_measures_link_to_the_teams_chart_or_the_collaboratives_page(tenant_a):
    (member_hit,) = search_everything(user=tenant_a.member, query="weight kg", only="measures")[
        0
    ].hits
    assert member_hit.url == reverse(
        "measures:team_measure",
        kwargs={
            "team_id": tenant_a.team.public_id,
            "measure_id": Measure.objects.get(program=tenant_a.program, code="M1").public_id,
        },
    )
    # staff see two teams of the collaborative report it: the pooled page
    (staff_hit,) = search_everything(user=tenant_a.staff, query="weight kg", only="measures")[
        0
    ].hits
    assert staff_hit.url.startswith(f"/collaboratives/{tenant_a.collaborative.public_id}/")


def test_another_teams_own_measure_is_hidden(tenant_a):
    Measure.objects.create(
        program=tenant_a.program,
        collaborative=tenant_a.collaborative,
        team=tenant_a.other_team,
        name="Handover huddles",
        short_name="Handover",
        measure_type=MeasureType.PROCESS,
        data_kind=DataKind.COUNT,
    )
    assert "measures" not in groups_of(tenant_a.member, "handover")
    assert groups_of(tenant_a.staff, "handover")["measures"] == ["Handover huddles"]


def test_at_most_five_per_group_then_more(tenant_a):
    for i in range(7):
        make_resource(tenant_a, f"Splint guide {i}")
    (group,) = search_everything(user=tenant_a.member, query="splint")
    assert (len(group.hits), group.has_more) == (5, True)
    (group,) = search_everything(user=tenant_a.member, query="splint", limit=50, only="resources")
    assert (len(group.hits), group.has_more) == (7, False)


def test_results_page_groups_escapes_and_offers_more(tenant_a):
    for i in range(6):
        make_resource(tenant_a, f"<script>alert({i})</script> Splint guide {i}")
    start = timezone.now() + timedelta(days=3)
    Event.objects.create(
        program=tenant_a.program,
        collaborative=tenant_a.collaborative,
        kind=EventKind.WEBINAR,
        title="Splinting webinar <b>live</b>",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )
    response = client_for(tenant_a.member).get("/search/", {"q": "splint"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<script>alert(" not in page and "&lt;script&gt;alert(" in page
    assert "<b>live</b>" not in page
    assert "<mark>Splint</mark>" in page and "<mark>Splinting</mark>" in page
    assert 'id="search-group-resources"' in page and 'id="search-group-events"' in page
    assert "/search/?q=splint&amp;group=resources" in page
    more = client_for(tenant_a.member).get("/search/", {"q": "splint", "group": "resources"})
    assert more.content.decode().count('class="search-hit__title"') == 6


@pytest.mark.parametrize("query", ["", "   ", "&|!():*'", "'; DROP TABLE x; --", '"', "a" * 500])
def test_results_page_takes_any_input(tenant_a, query):
    response = client_for(tenant_a.member).get("/search/", {"q": query, "group": "<nope>"})
    assert response.status_code == 200


def test_nothing_found_says_so(tenant_a):
    page = client_for(tenant_a.member).get("/search/", {"q": "zebra"}).content.decode()
    assert "Nothing matches “zebra”" in page


def test_the_results_page_needs_sign_in(client, db):
    response = client.get("/search/", {"q": "kg"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_every_page_has_the_search_box_for_signed_in_people(tenant_a, client):
    page = client_for(tenant_a.member).get(reverse("accessibility")).content.decode()
    assert 'role="search"' in page and 'action="/search/"' in page
    assert 'for="site-search-q"' in page
    assert 'role="search"' not in client.get(reverse("accessibility")).content.decode()
