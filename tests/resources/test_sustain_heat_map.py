"""The change-package heat map: each team's state on each item from a realistic
history, counts, what a viewer may open, a fixed number of queries at two sizes, and
who may see it (program staff and the collaborative's coaches; nobody else, 404)."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pdsa.models import ChangeIdea, ChangePackageItem, Decision
from resources import heatmap as heatmap_module
from resources.heatmap import RampState, build_heat_map
from teams.models import CoachAssignment
from tests.conftest import PRIVATE_MARKER
from tests.factories import UserFactory, client_for
from tests.resources.sustain_helpers import add_plain_teams, package_item, ramp

pytestmark = pytest.mark.django_db

ADOPT, ADAPT, ABANDON = Decision.ADOPT, Decision.ADAPT, Decision.ABANDON


def _url(tenant, item=None) -> str:
    kwargs = {"collaborative_id": tenant.collaborative.public_id}
    if item is None:
        return reverse("resources:heat_map", kwargs=kwargs)
    return reverse("resources:heat_map_item", kwargs={**kwargs, "package_item_id": item.public_id})


@pytest.fixture
def history(tenant_a):
    """Two items. On "Weigh in kg": the tenant's team adopted after two cycles (adapt,
    then adopt; unshared), the other team abandoned it (shared), a third team is still
    testing (one cycle, no decision, unshared), a fourth adapted (shared), a fifth never
    tried. The builder's own shared ramp (tenant team, adopted) is on its own item."""
    t = tenant_a
    kg = package_item(t, "Weigh in kg", position=1)
    board = package_item(t, "Weight on the whiteboard", position=2)
    third, fourth, fifth = add_plain_teams(t, 3, prefix="Zeta")
    ramp(t.team, kg, "Lock the scale to kg", [ADAPT, ADOPT])
    ramp(t.other_team, kg, "Kg-only scale at triage", [ABANDON], shared=True)
    ramp(third, kg, "Kg poster", [""])
    ramp(fourth, kg, "Kg on the chart", [ADOPT, ADAPT], shared=True)
    ramp(fourth, board, "Board of weights", [])  # an idea without a cycle: not tested
    return {"kg": kg, "board": board, "third": third, "fourth": fourth, "fifth": fifth}


def _row(heat_map, item):
    return next(r for r in heat_map.rows if r.item.pk == item.pk)


def _states(heat_map, row) -> dict[str, str]:
    return {cell.team.name: cell.state for cell in heat_map.item_cells(row)}


def test_states_on_a_realistic_history(tenant_a, history):
    t = tenant_a
    heat_map = build_heat_map(user=t.staff, collaborative=t.collaborative)
    kg = _row(heat_map, history["kg"])
    assert _states(heat_map, kg) == {
        t.team.name: RampState.ADOPTED,  # adapted first, then adopted: the latest counts
        t.other_team.name: RampState.ABANDONED,
        history["third"].name: RampState.TESTED,
        history["fourth"].name: RampState.ADAPTED,  # adopted first, then adapted
        history["fifth"].name: RampState.NOT_TESTED,
    }
    assert dict(kg.counts) == {
        RampState.ADOPTED: 1,
        RampState.ADAPTED: 1,
        RampState.TESTED: 1,
        RampState.ABANDONED: 1,
        RampState.NOT_TESTED: 1,
    }
    board = _row(heat_map, history["board"])
    assert set(_states(heat_map, board).values()) == {RampState.NOT_TESTED}


def test_a_team_with_several_ideas_on_an_item_shows_the_most_advanced(tenant_a, history):
    ramp(history["fifth"], history["kg"], "First try", [ABANDON])
    ramp(history["fifth"], history["kg"], "Second try", [ADOPT])
    heat_map = build_heat_map(user=tenant_a.staff, collaborative=tenant_a.collaborative)
    assert (
        _states(heat_map, _row(heat_map, history["kg"]))[history["fifth"].name] == RampState.ADOPTED
    )


def test_staff_page_shows_states_in_words_and_a_legend(tenant_a, history):
    response = client_for(tenant_a.staff).get(_url(tenant_a))
    assert response.status_code == 200
    html = response.content.decode()
    for words in ("Adopted", "Adapted", "Tested, no decision yet", "Abandoned", "Not tested"):
        assert words in html
    assert "What the states mean" in html
    assert "Weigh in kg" in html and history["fifth"].name in html
    # Each cell says its state in words, not only by colour.
    assert (
        'class="heat-cell heat--adopted"><span aria-hidden="true" '
        'class="heat-cell__letter">A</span> Adopted' in html
    )


def test_drill_down_links_to_ramps_the_viewer_may_open(tenant_a, history):
    t = tenant_a
    # The coach is assigned to the tenant's team only.
    response = client_for(t.coach).get(_url(t, history["kg"]))
    assert response.status_code == 200
    html = response.content.decode()
    # Their own team's unshared ramp: its own page.
    assert "Lock the scale to kg" in html
    own = _idea("Lock the scale to kg")
    assert (
        reverse(
            "pdsa:ramp_detail",
            kwargs={"team_id": t.team.public_id, "change_idea_id": own.public_id},
        )
        in html
    )
    # Other teams' shared ramps: their shared page, seen from the coach's team.
    for title in ("Kg-only scale at triage", "Kg on the chart"):
        idea = _idea(title)
        assert title in html
        assert (
            reverse(
                "pdsa:shared_ramp",
                kwargs={"team_id": t.team.public_id, "change_idea_id": idea.public_id},
            )
            in html
        )
    # Another team's unshared ramp: only its state, never its title.
    assert "Kg poster" not in html
    assert "(ramp not shared)" in html
    # The shared page the link names really opens for the coach.
    shared = _idea("Kg on the chart")
    assert (
        client_for(t.coach)
        .get(
            reverse(
                "pdsa:shared_ramp",
                kwargs={"team_id": t.team.public_id, "change_idea_id": shared.public_id},
            )
        )
        .status_code
        == 200
    )


def test_staff_see_every_teams_ramp(tenant_a, history):
    html = client_for(tenant_a.staff).get(_url(tenant_a, history["kg"])).content.decode()
    assert "Kg poster" in html  # staff see every team's records anyway
    assert "(ramp not shared)" not in html


def _idea(title: str) -> ChangeIdea:
    return ChangeIdea.objects.get(title=title)


def _count(tenant) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client_for(tenant.staff).get(_url(tenant))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_query_count_is_fixed_whatever_the_number_of_teams(tenant_a, history):
    items = [history["kg"], history["board"]]
    _count(tenant_a)  # the first request of a session warms per-process caches
    small = _count(tenant_a)
    teams = add_plain_teams(tenant_a, 60, prefix="Bulk")
    for i, team in enumerate(teams):
        ramp(team, items[i % 2], f"Idea {i}", [[ADOPT], [ADAPT, ""], [ABANDON], []][i % 4])
    large = _count(tenant_a)
    assert small == large
    assert large <= 30


def test_at_three_hundred_teams(tenant_a, history):
    teams = add_plain_teams(tenant_a, 300, prefix="Many")
    for i, team in enumerate(teams[:150]):
        ramp(team, history["kg"], f"Many idea {i}", [ADOPT] if i % 2 else [""])
    with CaptureQueriesContext(connection) as ctx:
        heat_map = build_heat_map(user=tenant_a.staff, collaborative=tenant_a.collaborative)
    assert len(ctx.captured_queries) <= 8
    counts = dict(_row(heat_map, history["kg"]).counts)
    assert counts[RampState.ADOPTED] == 1 + 75
    assert counts[RampState.TESTED] == 1 + 75


@pytest.mark.parametrize("persona", ["lead", "member"])
def test_team_people_do_not_see_the_heat_map(tenant_a, history, persona):
    user = getattr(tenant_a, persona)
    assert client_for(user).get(_url(tenant_a)).status_code == 404
    assert client_for(user).get(_url(tenant_a, history["kg"])).status_code == 404


def test_a_coach_without_a_team_in_the_collaborative_gets_404(tenant_a, history):
    CoachAssignment.objects.filter(coach=tenant_a.coach).delete()
    assert client_for(tenant_a.coach).get(_url(tenant_a)).status_code == 404


def test_other_tenant_and_outsiders_get_404(tenant_a, tenant_b, history):
    for user in (tenant_b.staff, tenant_b.coach, tenant_b.admin, UserFactory()):
        assert client_for(user).get(_url(tenant_a)).status_code == 404
        assert client_for(user).get(_url(tenant_a, history["kg"])).status_code == 404
    # An item of another collaborative through this collaborative's address: 404.
    other = ChangePackageItem.objects.get(collaborative=tenant_b.collaborative)
    response = client_for(tenant_a.staff).get(_url(tenant_a, other))
    assert response.status_code == 404
    assert PRIVATE_MARKER not in response.content.decode()


def test_collaborative_page_links_the_heat_map_for_staff_and_coaches(tenant_a):
    page = reverse(
        "collaboratives:detail", kwargs={"collaborative_id": tenant_a.collaborative.public_id}
    )
    link = _url(tenant_a)
    assert link in client_for(tenant_a.staff).get(page).content.decode()
    assert link in client_for(tenant_a.coach).get(page).content.decode()
    assert link not in client_for(tenant_a.lead).get(page).content.decode()


def test_script_in_an_item_title_is_escaped(tenant_a):
    package_item(tenant_a, "<script>alert(1)</script>")
    html = client_for(tenant_a.staff).get(_url(tenant_a)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def _page_count(tenant, page: int = 1) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client_for(tenant.staff).get(_url(tenant), {"page": page})
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def _matrix_teams(html: str) -> list[str]:
    """The team names in the team-by-team table's rows, in order."""
    table = html.split('id="matrix-caption"', 1)[1].split("</table>", 1)[0]
    return [cell.split("</th>", 1)[0] for cell in table.split('<tr><th scope="row">')[1:]]


def test_the_team_by_team_table_is_paged_and_costs_the_same_at_3_and_30_teams(tenant_a):
    """25 teams a page with plain links to the rest; the counts per change and the
    caption still cover every team; the same number of queries at 3 and 30 teams."""
    t = tenant_a
    kg = package_item(t, "Weigh in kg", position=1)
    extra = add_plain_teams(t, 1, prefix="Zeta")  # 3 active teams
    ramp(extra[0], kg, "Kg early", [ADOPT], shared=True)
    _page_count(t)  # warms per-process caches
    small, html = _page_count(t)
    assert len(_matrix_teams(html)) == 3
    assert 'aria-label="Pages of teams"' not in html  # one page: no pager

    more = add_plain_teams(t, 27, prefix="Bulk")  # 30 active teams
    for i, team in enumerate(more):
        ramp(team, kg, f"Kg {i}", [ADOPT] if i % 3 == 0 else [ABANDON])
    large, first = _page_count(t)
    assert large == small
    names = sorted((team.name, team.pk) for team in [t.team, t.other_team, *extra, *more])
    assert _matrix_teams(first) == [name for name, _pk in names[:25]]
    assert "teams 1–25 of 30" in first
    # The pager: plain links that keep the anchor of the table.
    assert '?page=2#team-by-team"' in first and 'rel="next"' in first
    # The counts per change are over all 30 teams, not the 25 shown.
    counts = dict(_row(build_heat_map(user=t.staff, collaborative=t.collaborative), kg).counts)
    assert counts == {
        RampState.ADOPTED: 1 + 9,
        RampState.ADAPTED: 0,
        RampState.TESTED: 0,
        RampState.ABANDONED: 18,
        RampState.NOT_TESTED: 2,
    }
    assert "30 active teams" in first
    second_count, second = _page_count(t, 2)
    assert second_count == small
    assert _matrix_teams(second) == [name for name, _pk in names[25:]]
    assert "teams 26–30 of 30" in second


def test_cells_are_built_only_for_the_page_of_teams_shown(tenant_a, history):
    """A 60-team collaborative builds 25 rows of cells for its first page, not 60 (the
    counts come from the ramps)."""
    add_plain_teams(tenant_a, 55, prefix="Bulk")
    items = len(build_heat_map(user=tenant_a.staff, collaborative=tenant_a.collaborative).rows)
    assert items >= 2
    with mock.patch.object(
        heatmap_module.HeatMap, "cell", autospec=True, side_effect=heatmap_module.HeatMap.cell
    ) as built:
        response = client_for(tenant_a.staff).get(_url(tenant_a))
    assert response.status_code == 200
    assert built.call_count == 25 * items
