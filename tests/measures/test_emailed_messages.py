"""Submitting and reviewing a month say who was e-mailed, and when nobody was, why."""

from decimal import Decimal

import pytest
from django.urls import reverse

from core.models import OutboundEmail
from measures import services
from measures.validation import Entry, entry_field
from teams.models import CoachAssignment, TeamMembership, TeamRole

from .conftest import client_for

pytestmark = pytest.mark.django_db


def _submit_from_the_page(world):
    url = reverse(
        "measures:period",
        kwargs={"team_id": world.t.team.public_id, "period_id": world.may.public_id},
    )
    data = {
        entry_field(world.m1, "numerator"): "9",
        entry_field(world.m1, "denominator"): "10",
        "submit": "1",
    }
    response = client_for(world.t.member).post(url, data, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def _submit(world):
    services.period_save(
        team=world.t.team,
        period=world.may,
        actor=world.t.member,
        entries={world.m1: Entry(Decimal(9), Decimal(10))},
        submit=True,
        team_set=[(world.m1, "required")],
    )


def _review(world, decision: str) -> str:
    url = reverse(
        "measures:period_review",
        kwargs={"team_id": world.t.team.public_id, "period_id": world.may.public_id},
    )
    data = {"decision": decision, "comment": "May's denominator looks like April's."}
    response = client_for(world.t.coach).post(url, data, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_submitting_without_a_coach_says_nobody_was_emailed(world):
    CoachAssignment.objects.filter(team=world.t.team).delete()
    before = OutboundEmail.objects.count()
    html = _submit_from_the_page(world)
    assert (
        f"{world.may.label} is submitted. No one was e-mailed because no coach is assigned to "
        "your team yet: ask program staff to assign one."
    ) in html
    assert "has been told" not in html
    assert OutboundEmail.objects.count() == before


def test_submitting_names_the_coach_who_was_emailed(world):
    html = _submit_from_the_page(world)
    assert (
        f"{world.may.label} is submitted. Your coach, {world.t.coach.full_name}, was e-mailed "
        "to review it."
    ) in html


def test_returning_names_who_was_emailed(world):
    _submit(world)
    html = _review(world, "returned")
    assert (
        f"{world.may.label} returned to {world.t.team.name} with your comment. "
        f"{world.t.lead.full_name} (lead) and {world.t.member.full_name} (submitter) were "
        "e-mailed."
    ) in html


def test_reviewing_a_team_without_a_lead_says_nobody_was_emailed(world):
    _submit(world)
    TeamMembership.objects.filter(team=world.t.team, role=TeamRole.LEAD).update(is_active=False)
    world.t.member.is_active = False  # the submitter has left
    world.t.member.save(update_fields=["is_active"])
    before = OutboundEmail.objects.count()
    html = _review(world, "reviewed")
    assert (
        f"{world.may.label} of {world.t.team.name} marked as reviewed. No one was e-mailed: "
        "the team has no lead or data contact yet."
    ) in html
    assert OutboundEmail.objects.count() == before
