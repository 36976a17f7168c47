"""Enrolment decisions say who was e-mailed, and when nobody was, why and what to do."""

import pytest
from django.urls import reverse

from core.models import OutboundEmail
from teams.models import TeamRole, TeamStatus
from tests.factories import FacilityFactory, TeamFactory, TeamMembershipFactory, UserFactory

from .conftest import client_for, page_text

pytestmark = pytest.mark.django_db


def _application(tenant, **extra):
    return TeamFactory(
        program=tenant.program,
        collaborative=tenant.recruiting,
        facility=FacilityFactory(program=tenant.program),
        name="Prairie Kids",
        status=TeamStatus.APPLIED,
        **extra,
    )


def _decide(tenant, team, decision: str, **data):
    url = reverse(
        f"teams:{decision}",
        kwargs={"collaborative_id": tenant.recruiting.public_id, "team_id": team.public_id},
    )
    response = client_for(tenant.staff).post(url, data, follow=True)
    assert response.status_code == 200
    return page_text(response)


def test_approving_a_team_without_members_says_nobody_was_emailed(tenant_a):
    team = _application(tenant_a)
    before = OutboundEmail.objects.count()
    html = _decide(tenant_a, team, "approve")
    invite = reverse("teams:members", kwargs={"team_id": team.public_id}) + "#invite"
    assert (
        "Prairie Kids is approved. No one was e-mailed because the team has no members yet: "
        f'<a href="{invite}">invite a lead</a>.'
    ) in html
    assert "told by e-mail" not in html
    assert OutboundEmail.objects.count() == before


def test_approving_a_team_without_a_lead_says_so(tenant_a):
    team = _application(tenant_a)
    TeamMembershipFactory(team=team, user=UserFactory(), role=TeamRole.MEMBER)
    html = _decide(tenant_a, team, "approve")
    assert "No one was e-mailed because the team has no lead yet:" in html
    assert "invite a lead</a>." in html


def test_approving_names_the_lead_who_was_emailed(tenant_a):
    lead = UserFactory(full_name="Ana Lee")
    team = _application(tenant_a, applied_by=lead)
    TeamMembershipFactory(team=team, user=lead, role=TeamRole.LEAD)
    html = _decide(tenant_a, team, "approve")
    assert "Prairie Kids is approved. Its lead, Ana Lee, was e-mailed." in html
    assert list(OutboundEmail.objects.values_list("to_email", flat=True)) == [lead.email]


def test_declining_names_the_lead_and_the_applicant(tenant_a):
    applicant = UserFactory(full_name="Bo Chen")
    lead = UserFactory(full_name="Ana Lee")
    team = _application(tenant_a, applied_by=applicant)
    TeamMembershipFactory(team=team, user=applicant, role=TeamRole.MEMBER)
    TeamMembershipFactory(team=team, user=lead, role=TeamRole.LEAD)
    html = _decide(tenant_a, team, "decline", reason="Only EDs this year.")
    assert (
        "Prairie Kids was declined. Ana Lee (lead) and Bo Chen (applicant) were e-mailed "
        "with your reason."
    ) in html
    assert sorted(OutboundEmail.objects.values_list("to_email", flat=True)) == sorted(
        [applicant.email, lead.email]
    )


def test_withdrawing_a_team_without_members_says_nobody_was_emailed(tenant_a):
    team = _application(tenant_a)
    html = _decide(tenant_a, team, "withdraw", reason="No longer able to take part.")
    assert (
        "Prairie Kids was withdrawn. Its records are kept. No one was e-mailed: the team has "
        "no members yet."
    ) in html
    assert "invite a lead" not in html
    assert not OutboundEmail.objects.exists()
