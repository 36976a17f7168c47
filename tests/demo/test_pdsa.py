"""The demo seed: every active team of the demo collaboratives has an aim, a driver
diagram with 2-4 primary drivers, and 3-15 cycles in ramps at various stages."""

import pytest
from django.db.models import Count, F

from demo.collaboratives import ACTIVE, GREAT_LAKES
from demo.seed import seed_demo
from pdsa.models import Aim, ChangePackageItem, Comment, Cycle, CycleMeasure, Driver, DriverKind
from pdsa.selectors import linkable_measures
from teams.models import Team, TeamStatus

pytestmark = pytest.mark.django_db


def _pdsa_counts() -> dict:
    models = (Aim, Driver, Cycle, Comment, ChangePackageItem, CycleMeasure)
    return {model.__name__: model.objects.count() for model in models}


def test_demo_seeds_realistic_pdsa_work_for_every_active_team_once():
    seed_demo(password="demo-pass-2026")
    teams = Team.objects.filter(
        collaborative__slug__in=[ACTIVE, GREAT_LAKES], status=TeamStatus.ACTIVE
    )
    assert teams.count() == 14
    for team in teams:
        assert Aim.objects.filter(team=team).exists(), team
        primaries = Driver.objects.filter(team=team, kind=DriverKind.PRIMARY).count()
        assert 2 <= primaries <= 4, team
        cycles = Cycle.objects.filter(team=team)
        assert 3 <= cycles.count() <= 15, team
        assert cycles.filter(builds_on__isnull=False).exists(), team  # ramps chain
    stages = set(Cycle.objects.values_list("stage", flat=True))
    assert stages == {"plan", "do", "study", "act", "complete"}
    assert Comment.objects.filter(by_coach=True).count() >= 10
    assert Cycle.objects.filter(scale="whole_unit", decision="adopt").exists()
    assert Cycle.objects.filter(title__icontains="kilograms").exists()
    assert ChangePackageItem.objects.filter(collaborative__slug=ACTIVE).count() >= 10
    assert not Cycle.objects.filter(team__status=TeamStatus.APPLIED).exists()
    # Every row carries the team's own program.
    assert not Cycle.objects.exclude(program=F("team__program")).exists()
    # Cycles that reached Study link the team's measure that shows their result.
    links = CycleMeasure.objects.select_related("cycle", "team", "measure")
    assert links.count() >= 20
    assert len({link.team_id for link in links}) >= 8  # themes with a measure in the set
    for link in links:
        assert link.cycle.stage not in ("plan", "do"), link
        assert link.measure in linkable_measures(team=link.team), link
        assert link.program_id == link.team.program_id == link.measure.program_id
    per_team = Cycle.objects.values("team").annotate(n=Count("id"))
    assert len({row["n"] for row in per_team}) > 3  # teams differ in how much they did
    first = _pdsa_counts()
    seed_demo(password="demo-pass-2026")
    assert _pdsa_counts() == first
