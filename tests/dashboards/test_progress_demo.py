"""The demo collaborative's progress page shows real figures in every chart."""

import pytest
from django.urls import reverse

from accounts.models import ProgramMembership, ProgramRole
from collaboratives.models import Collaborative
from dashboards.progress import progress_figures
from demo.collaboratives import ACTIVE
from demo.seed import seed_demo
from tests.factories import client_for, give_totp

pytestmark = pytest.mark.django_db


def test_the_demo_collaborative_has_figures_in_every_chart():
    seed_demo()
    collaborative = Collaborative.objects.get(slug=ACTIVE)
    figures = progress_figures(collaborative=collaborative)
    assert figures["active_teams"] >= 5
    assert any(r["handed_in"] for r in figures["submissions"])
    assert any(r["rated"] for r in figures["ratings"])
    assert any(s["change"] is not None for s in figures["sections"])
    assert any(r["teams_improvement"] for r in figures["signals"])
    assert any(r["started"] for r in figures["cycles"])
    assert any(r["completed"] for r in figures["cycles"])

    staff = (
        ProgramMembership.objects.filter(program=collaborative.program, role=ProgramRole.STAFF)
        .select_related("user")
        .first()
        .user
    )
    give_totp(staff)  # staff must have set up a second factor
    url = reverse("dashboards:progress", kwargs={"collaborative_id": collaborative.public_id})
    response = client_for(staff).get(url)
    assert response.status_code == 200
    assert "Baseline scores only" not in response.content.decode()
