"""PDSA API: scoped reads per access level, cycle and comment writes, bad input."""

from datetime import timedelta

import pytest
from django.urls import reverse

from core import clock
from pdsa.models import Cycle, Stage
from tests.clock import month

from .helpers import client_for, make_idea

pytestmark = pytest.mark.django_db


def _api(w, name, **extra):
    kwargs = {"team_id": w.team.public_id, **extra}
    return reverse(f"api:{name}", kwargs=kwargs)


def _read_urls(w):
    cycle = {"cycle_id": w.cycle.public_id}
    return {
        "aim": None,
        "driver-list": _api(w, "pdsa-driver-list"),
        "driver-detail": _api(w, "pdsa-driver-detail", driver_id=w.primary.public_id),
        "change-idea-list": _api(w, "pdsa-change-idea-list"),
        "change-idea-detail": _api(w, "pdsa-change-idea-detail", change_idea_id=w.idea.public_id),
        "cycle-list": _api(w, "pdsa-cycle-list"),
        "cycle-detail": _api(w, "pdsa-cycle-detail", **cycle),
        "comment-list": _api(w, "pdsa-comment-list", **cycle),
        "comment-detail": _api(w, "pdsa-comment-detail", comment_id=w.comment.public_id, **cycle),
    }


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("staff", 200),
        ("coach", 200),
        ("lead", 200),
        ("member", 200),
        ("sponsor", 200),
        ("outsider", 404),
        ("other_team", 404),
        ("other_tenant", 404),
    ],
)
def test_read_endpoints_per_access_level(world, persona, status, request):
    if persona == "other_tenant":
        world.people[persona] = request.getfixturevalue("tenant_b").staff
    client = client_for(world.people[persona])
    got = {name: client.get(url).status_code for name, url in _read_urls(world).items() if url}
    assert got == {name: status for name in got}


def test_aim_endpoint_answers_404_until_the_aim_exists(world):
    from pdsa import services

    url = _api(world, "pdsa-aim")
    client = client_for(world.a.coach)
    assert client.get(url).status_code == 404
    services.aim_save(team=world.team, actor=world.a.lead, statement="95% in kg", how_much="95%")
    body = client.get(url).json()
    assert body["statement"] == "95% in kg"
    assert body["missing_parts"] == ["what will improve", "by when", "for whom"]


def test_cycle_list_is_the_teams_and_filters_by_stage(world):
    client = client_for(world.a.coach)
    rows = client.get(_api(world, "pdsa-cycle-list")).json()["results"]
    assert {r["title"] for r in rows} == {"Weigh in kg on the night shift", "Tape, one shift"}
    complete = client.get(_api(world, "pdsa-cycle-list"), {"stage": "complete"}).json()
    assert [r["title"] for r in complete["results"]] == ["Tape, one shift"]
    assert complete["results"][0]["decision"] == "adapt"


def test_member_creates_and_moves_a_cycle_through_the_api(world):
    client = client_for(world.a.member)
    june = month(-5)  # June 2026 on the suite's default day
    response = client.post(
        _api(world, "pdsa-cycle-list"),
        {
            "title": "API cycle",
            "change_idea": str(world.idea.public_id),
            "objective": "o",
            "predictions": "p",
            "plan_details": "who what when where",
            "plan_date": june.isoformat(),
            "stage": "do",
            "team": "ignored",
            "program": "ignored",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["stage"] == "do" and body["team"] == str(world.team.public_id)
    url = _api(world, "pdsa-cycle-detail", cycle_id=body["id"])
    refused = client.patch(url, {"stage": "study"}, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"]["stage"] == [
        "To move to Study, first fill in Do: date the test ran, what happened."
    ]
    moved = client.patch(
        url,
        {
            "do_date": (june + timedelta(days=1)).isoformat(),
            "what_happened": "Ran it",
            "stage": "study",
        },
        content_type="application/json",
    )
    assert moved.status_code == 200 and moved.json()["stage"] == "study"
    cycle = Cycle.objects.get(public_id=body["id"])
    assert cycle.program_id == world.a.program.pk and cycle.created_by == world.a.member


def test_a_cycle_created_without_a_plan_date_keeps_it_empty(world):
    """As on the page, the date is the team's to give: nothing is made up, and the cycle
    cannot move on to Do without it."""
    client = client_for(world.a.member)
    body = {
        "title": "Undated plan",
        "change_idea": str(world.idea.public_id),
        "objective": "o",
        "predictions": "p",
        "plan_details": "who what when where",
    }
    created = client.post(_api(world, "pdsa-cycle-list"), body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["plan_date"] is None
    assert Cycle.objects.get(public_id=created.json()["id"]).plan_date is None
    moved = client.post(
        _api(world, "pdsa-cycle-list"), {**body, "stage": "do"}, content_type="application/json"
    )
    assert moved.status_code == 400
    assert moved.json()["error"]["fields"]["stage"] == [
        "To move to Do, first fill in Plan: date planned."
    ]


def test_future_dates_of_what_happened_are_refused_at_their_field(world):
    client = client_for(world.a.member)
    today = clock.today()
    url = _api(world, "pdsa-cycle-detail", cycle_id=world.cycle.public_id)
    assert client.patch(url, {"stage": "do"}, content_type="application/json").status_code == 200
    ahead = today + timedelta(days=3)
    refused = client.patch(
        url,
        {"do_date": ahead.isoformat(), "what_happened": "Ran it"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"]["do_date"] == [
        f"Date the test ran ({ahead.day} {ahead:%B %Y}) is in the future: it records what "
        f"happened, so give a day up to today ({today.day} {today:%B %Y})."
    ]
    world.cycle.refresh_from_db()
    assert world.cycle.do_date is None and world.cycle.what_happened == ""


def test_ids_of_another_team_or_tenant_in_the_body_are_refused(world, tenant_b):
    client = client_for(world.a.member)
    for foreign in (make_idea(world.a.other_team, "Other"), make_idea(tenant_b.team, "B")):
        response = client.post(
            _api(world, "pdsa-cycle-list"),
            {"title": "x", "change_idea": str(foreign.public_id)},
            content_type="application/json",
        )
        assert response.status_code == 400
        assert response.json()["error"]["fields"]["change_idea"] == [
            "Choose one of your team's change ideas."
        ]
    b_cycle = tenant_b.extras["cycle_id"]
    response = client.patch(
        _api(world, "pdsa-cycle-detail", cycle_id=world.cycle.public_id),
        {"builds_on": str(b_cycle)},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not Cycle.objects.filter(title="x").exists()


def test_coaches_comment_but_do_not_edit_and_sponsors_only_read(world):
    cycle_url = _api(world, "pdsa-cycle-detail", cycle_id=world.cycle.public_id)
    comments_url = _api(world, "pdsa-comment-list", cycle_id=world.cycle.public_id)
    coach = client_for(world.a.coach)
    assert (
        coach.patch(cycle_url, {"objective": "x"}, content_type="application/json").status_code
        == 403
    )
    assert (
        coach.post(_api(world, "pdsa-cycle-list"), {}, content_type="application/json").status_code
        == 403
    )
    created = coach.post(
        comments_url, {"body": "Try nights", "stage": "plan"}, content_type="application/json"
    )
    assert created.status_code == 201
    assert created.json()["by_coach"] is True and created.json()["stage"] == "plan"
    sponsor = client_for(world.people["sponsor"])
    assert (
        sponsor.post(comments_url, {"body": "x"}, content_type="application/json").status_code
        == 403
    )
    future = coach.post(
        comments_url, {"body": "x", "stage": "act"}, content_type="application/json"
    )
    assert future.status_code == 400
    bodies = [c["body"] for c in coach.get(comments_url).json()]
    assert bodies == ["Hi", "Try nights"]


def test_review_endpoint_lists_waiting_or_stalled_cycles_of_the_coachs_teams(world):
    from datetime import timedelta

    from django.utils import timezone

    Cycle.objects.filter(pk=world.cycle.pk).update(updated_at=timezone.now() - timedelta(days=45))
    client = client_for(world.a.coach)
    url = reverse("api:pdsa-review-cycles")
    waiting = [r["title"] for r in client.get(url).json()["results"]]
    assert waiting == ["Tape, one shift"]
    stalled = client.get(url, {"list": "stalled"}).json()["results"]
    assert [r["title"] for r in stalled] == ["Weigh in kg on the night shift"]
    assert stalled[0]["is_stalled"] is True
    assert client_for(world.a.member).get(url).json()["results"] == []


def test_stage_values_follow_the_worksheet(world):
    body = (
        client_for(world.a.lead)
        .get(_api(world, "pdsa-cycle-detail", cycle_id=world.done.public_id))
        .json()
    )
    assert body["stage"] == Stage.COMPLETE
    assert body["learned"] == "Works" and body["builds_on"] is None


def test_a_body_nested_too_deeply_is_a_400_not_a_500(world):
    """Deeply nested JSON overflows Python's parser (RecursionError): it is bad input."""
    client = client_for(world.a.member)
    before = Cycle.objects.count()
    body = "[" * 100_000 + "]" * 100_000
    response = client.post(_api(world, "pdsa-cycle-list"), body, content_type="application/json")
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["error"]["message"]
    assert Cycle.objects.count() == before
