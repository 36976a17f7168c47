"""Reopening a survey says which leads were e-mailed, and when none was, why and what to do."""

import html

import pytest
from django.urls import reverse

from core.models import OutboundEmail
from teams.models import TeamMembership, TeamRole
from tests.factories import client_for

pytestmark = pytest.mark.django_db


def _reopen(tenant, response) -> str:
    url = reverse("assessments:response_reopen", kwargs={"response_id": response.public_id})
    page = client_for(tenant.staff).post(url, {"reason": "Check B2."}, follow=True)
    assert page.status_code == 200
    return html.unescape(page.content.decode())


def test_reopening_names_the_lead_who_was_emailed(tenant_a, submitted):
    page = _reopen(tenant_a, submitted)
    assert (
        f"The survey of {tenant_a.team.name} is open again. Its lead, "
        f"{tenant_a.lead.full_name}, was e-mailed with your reason."
    ) in page


def test_reopening_for_a_team_without_a_lead_says_nobody_was_emailed(tenant_a, submitted):
    TeamMembership.objects.filter(team=tenant_a.team, role=TeamRole.LEAD).update(is_active=False)
    before = OutboundEmail.objects.count()
    page = _reopen(tenant_a, submitted)
    invite = reverse("teams:members", kwargs={"team_id": tenant_a.team.public_id}) + "#invite"
    assert (
        f"The survey of {tenant_a.team.name} is open again. No one was e-mailed because the "
        f'team has no lead yet: <a href="{invite}">invite a lead</a>.'
    ) in page
    assert "were told why" not in page
    assert OutboundEmail.objects.count() == before
