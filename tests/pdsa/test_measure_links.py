"""The Study stage's link to measure data: a cycle names the team's measures whose
charts show its result; the cycle page shows those charts and the measure's page
lists the cycles. Only the team's own measures can be linked."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from measures import services as measure_services
from measures.models import DataKind, Measure, MeasureType
from pdsa import services
from pdsa.models import CycleMeasure, CycleRevision, Stage

from . import helpers
from .helpers import client_for, make_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def study(world):
    """A cycle at Study, tenant A's measures (M1 in the set, the team's own), an
    optional measure the team has not chosen and the other team's own measure."""
    a = world.a
    cycle = make_cycle(world.team, world.idea, author=a.member, stage=Stage.STUDY)
    optional = Measure.objects.create(
        program=a.program,
        code="M6",
        name="Pain reassessed after treatment",
        short_name="Pain reassessed",
        measure_type=MeasureType.PROCESS,
        data_kind=DataKind.PROPORTION,
    )
    measure_services.measure_set_add(
        collaborative=a.collaborative, measure=optional, actor=a.staff, requirement="optional"
    )
    other_own = Measure.objects.create(
        program=a.program,
        collaborative=a.collaborative,
        team=a.other_team,
        name="Secret huddles of the other team",
        short_name="Other huddles",
        measure_type=MeasureType.PROCESS,
        data_kind=DataKind.COUNT,
    )
    world.study = cycle
    world.m1 = Measure.objects.get(program=a.program, code="M1")
    world.own = Measure.objects.get(program=a.program, team=a.team)
    world.optional = optional
    world.other_own = other_own
    return world


def _edit_url(w, cycle, stage="study"):
    kwargs = {"team_id": w.team.public_id, "cycle_id": cycle.public_id}
    return reverse("pdsa:cycle_edit", kwargs=kwargs) + f"?stage={stage}"


def _detail_url(w, cycle):
    kwargs = {"team_id": w.team.public_id, "cycle_id": cycle.public_id}
    return reverse("pdsa:cycle_detail", kwargs=kwargs)


def _measure_url(w, measure):
    kwargs = {"team_id": w.team.public_id, "measure_id": measure.public_id}
    return reverse("measures:team_measure", kwargs=kwargs)


# --- service -----------------------------------------------------------------------------


def test_linking_measures_is_recorded_in_the_cycles_history(study):
    w = study
    cycle = services.cycle_update(
        cycle=w.study, actor=w.a.member, values={"linked_measures": [w.own, w.m1]}
    )
    assert set(cycle.linked_measures.all()) == {w.m1, w.own}
    link = CycleMeasure.objects.get(cycle=cycle, measure=w.m1)
    assert (link.program_id, link.team_id) == (w.a.program.pk, w.team.pk)
    revision = CycleRevision.objects.filter(cycle=cycle).first()
    assert revision.changes["linked_measures"] == [None, f"{w.own.name}, {w.m1.name}"]

    # The same set again changes nothing; an empty list removes the links.
    count = CycleRevision.objects.filter(cycle=cycle).count()
    services.cycle_update(cycle=cycle, actor=w.a.member, values={"linked_measures": [w.m1, w.own]})
    assert CycleRevision.objects.filter(cycle=cycle).count() == count
    services.cycle_update(cycle=cycle, actor=w.a.member, values={"linked_measures": []})
    assert not cycle.linked_measures.exists()


@pytest.mark.parametrize("which", ["other_own", "optional", "tenant_b"])
def test_only_measures_the_team_reports_can_be_linked(study, which, tenant_b):
    w = study
    measure = (
        Measure.objects.get(program=tenant_b.program, code="M1")
        if which == "tenant_b"
        else getattr(w, which)
    )
    with pytest.raises(ValidationError) as error:
        services.cycle_update(
            cycle=w.study,
            actor=w.a.member,
            values={"linked_measures": [w.m1, measure], "learned": "kept only if valid"},
        )
    assert "Link measures your team reports" in error.value.message_dict["linked_measures"][0]
    w.study.refresh_from_db()
    assert not w.study.linked_measures.exists() and w.study.learned == ""


def test_a_link_survives_the_team_dropping_an_optional_measure(study):
    w = study
    measure_services.team_measures_choose(team=w.team, actor=w.a.lead, selected=[w.optional])
    services.cycle_update(cycle=w.study, actor=w.a.member, values={"linked_measures": [w.optional]})
    measure_services.team_measures_choose(team=w.team, actor=w.a.lead, selected=[])
    services.cycle_update(
        cycle=w.study,
        actor=w.a.member,
        values={"linked_measures": [w.optional], "learned": "Still linked"},
    )
    assert list(w.study.linked_measures.all()) == [w.optional]
    html = client_for(w.a.member).get(_detail_url(w, w.study)).content.decode()
    assert f'href="{_measure_url(w, w.optional)}"' in html


def test_links_belong_to_the_study_stage(world):
    w = world
    m1 = Measure.objects.get(program=w.a.program, code="M1")
    with pytest.raises(ValidationError) as error:
        services.cycle_update(cycle=w.cycle, actor=w.a.member, values={"linked_measures": [m1]})
    assert "later stage" in error.value.message_dict["linked_measures"][0]


# --- pages -------------------------------------------------------------------------------


def test_the_study_form_offers_the_teams_measures_and_saves_the_ticks(study):
    w = study
    client = client_for(w.a.member)
    html = client.get(_edit_url(w, w.study)).content.decode()
    assert "Measures that show the result" in html
    assert w.m1.name in html and w.own.name in html
    assert w.other_own.name not in html and w.optional.name not in html

    response = client.post(
        _edit_url(w, w.study),
        {
            "editing_stage": "study",
            "study_date": helpers.study()["study_date"].isoformat(),
            "results": "9 of 10",
            "learned": "Works",
            "linked_measures": [str(w.m1.public_id)],
            "measure_notes": "May: 90%",
        },
    )
    assert response.status_code == 302
    assert list(w.study.linked_measures.all()) == [w.m1]

    detail = client.get(_detail_url(w, w.study)).content.decode()
    assert f'<a href="{_measure_url(w, w.m1)}">{w.m1.name}</a>' in detail
    assert "What the measures show" in detail and 'role="img"' in detail

    # A forged id of the other team's measure is refused by the form, nothing saved.
    refused = client.post(
        _edit_url(w, w.study),
        {
            "editing_stage": "study",
            "learned": "Changed",
            "linked_measures": [str(w.other_own.public_id)],
        },
    )
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()
    w.study.refresh_from_db()
    assert w.study.learned == "Works" and list(w.study.linked_measures.all()) == [w.m1]


def test_the_measure_page_lists_the_cycles_that_link_it(study):
    w = study
    services.cycle_update(cycle=w.study, actor=w.a.member, values={"linked_measures": [w.m1]})
    html = client_for(w.a.coach).get(_measure_url(w, w.m1)).content.decode()
    assert "Tests of change linked to this measure" in html
    assert f'<a href="{_detail_url(w, w.study)}">{w.study.title}</a>' in html
    own = client_for(w.a.coach).get(_measure_url(w, w.own)).content.decode()
    assert "No PDSA cycle links this measure yet" in own


def test_the_detail_page_without_links_has_no_measure_section(study):
    html = client_for(study.a.member).get(_detail_url(study, study.study)).content.decode()
    assert "What the measures show" not in html


# --- API ---------------------------------------------------------------------------------


def _api_url(w, cycle):
    kwargs = {"team_id": w.team.public_id, "cycle_id": cycle.public_id}
    return reverse("api:pdsa-cycle-detail", kwargs=kwargs)


def test_the_api_reads_and_replaces_a_cycles_links(study):
    w = study
    client = client_for(w.a.member)
    response = client.patch(
        _api_url(w, w.study),
        {"linked_measures": [str(w.m1.public_id)]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["linked_measures"] == [
        {"id": str(w.m1.public_id), "name": w.m1.name, "short_name": w.m1.short_name}
    ]
    listed = client.get(reverse("api:pdsa-cycle-list", kwargs={"team_id": w.team.public_id}))
    by_id = {c["id"]: c for c in listed.json()["results"]}
    assert [m["id"] for m in by_id[str(w.study.public_id)]["linked_measures"]] == [
        str(w.m1.public_id)
    ]


def test_the_api_refuses_measures_of_other_teams_without_naming_them(study, tenant_b):
    w = study
    client = client_for(w.a.member)
    foreign = Measure.objects.get(program=tenant_b.program, code="M1")
    for measure in (w.other_own, foreign):
        response = client.patch(
            _api_url(w, w.study),
            {"linked_measures": [str(w.m1.public_id), str(measure.public_id)]},
            content_type="application/json",
        )
        assert response.status_code == 400
        message = response.json()["error"]["fields"]["linked_measures"][0]
        assert str(measure.public_id) in message and measure.name not in message
    assert not w.study.linked_measures.exists()
