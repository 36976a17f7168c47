"""The demo's measures: a realistic picture, with improvement for some teams only."""

import pytest

from collaboratives.models import Collaborative
from demo.collaboratives import ACTIVE
from demo.seed import seed_demo
from measures.analysis import team_signal_summary
from measures.models import DataPoint, Measure, Submission, SubmissionStatus
from measures.selectors import measure_set_of
from teams.models import Team, TeamStatus

pytestmark = pytest.mark.django_db


def test_demo_teams_have_a_year_or_more_of_data_and_some_improve():
    seed_demo()
    assert Measure.objects.filter(program__slug="npric", team__isnull=True).count() == 15
    collaborative = Collaborative.objects.get(slug=ACTIVE)
    measures = [e.measure for e in measure_set_of(collaborative=collaborative)]
    teams = list(Team.objects.filter(collaborative=collaborative, status=TeamStatus.ACTIVE))
    for team in teams:
        months = DataPoint.objects.filter(team=team).values("period").distinct().count()
        assert 12 <= months <= 30, (team.name, months)
    summary = team_signal_summary(collaborative=collaborative, teams=teams, measures=measures)
    shifted = {
        row.team.name
        for row in summary
        for m, a in row.cells
        if m.code == "M1" and any(s["kind"] == "shift" and "better" in s["text"] for s in a.signals)
    }
    assert "Riverside ED Peds Ready" in shifted
    assert len(shifted) < len(teams)  # not every team improves
    statuses = set(
        Submission.objects.filter(collaborative=collaborative).values_list("status", flat=True)
    )
    assert {
        SubmissionStatus.REVIEWED,
        SubmissionStatus.SUBMITTED,
        SubmissionStatus.DRAFT,
    } <= statuses
    assert (
        Submission.objects.filter(
            collaborative=collaborative, status=SubmissionStatus.REVIEWED, reviewed_by__isnull=False
        ).count()
        > 100
    )
