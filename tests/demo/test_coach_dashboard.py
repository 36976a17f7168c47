"""The demo coach's dashboard (dashboards) shows teams that need attention for
different reasons: the demo seeds them (demo/measures.py LOS_RISING, late and missing
months, quiet PDSA teams, ratings apart)."""

import pytest

from accounts.models import User
from dashboards.ranking import rank
from dashboards.summary import coach_dashboard_teams, team_summaries
from demo.seed import seed_demo

pytestmark = pytest.mark.django_db


def test_the_demo_coach_sees_varied_reasons():
    seed_demo(password="demo-test-password")
    coach = User.objects.get(email="coach@demo.example")
    ranked = rank(team_summaries(teams=coach_dashboard_teams(user=coach), viewer=coach))
    codes = {r.code for row in ranked for r in row.reasons}
    assert len(ranked) >= 5
    assert {"no_data", "late", "no_pdsa", "rating_gap", "concern"} <= codes, codes
    texts = {r.text for row in ranked for r in row.reasons}
    assert "concern signal on a balancing measure" in texts
    assert len({row.score for row in ranked}) >= 3
