"""Fixtures of the measures tests: tenant A's measures world and signed-in clients.

Tenant A carries the isolation guard's sample rows (tests/measures/tenant_builder.py):
a library measure M1 (proportion, in the active collaborative's set), the team's own
count measure, the collaborative's second month (`month(-7)`: April 2026 on the suite's
default day; submitted, 8 of 10 for the team, 3 of 12 for the other team) and an import
batch. `world` adds the collaborative's other months (`month(-8)` to `month(9)`) and a
second set measure, so that each test states only what it is about.
"""

from types import SimpleNamespace

import pytest

from measures import services
from measures.models import (
    DataKind,
    Direction,
    ImportBatch,
    Measure,
    MeasureType,
    ReportingPeriod,
)
from tests.clock import month
from tests.conftest import HIDDEN_PERSONAS, VISIBLE_PERSONAS  # noqa: F401 - re-exported
from tests.factories import client_for  # noqa: F401 - re-exported


@pytest.fixture
def world(tenant_a):
    t = tenant_a
    m1 = Measure.objects.get(program=t.program, code="M1")
    own = Measure.objects.get(program=t.program, team=t.team)
    los = Measure.objects.create(
        program=t.program,
        code="M9",
        name="ED length of stay",
        short_name="Length of stay",
        measure_type=MeasureType.BALANCING,
        data_kind=DataKind.CONTINUOUS,
        unit="minutes",
        direction=Direction.DECREASE,
        numerator_definition="Median minutes from arrival to discharge",
    )
    services.measure_set_add(
        collaborative=t.collaborative, measure=los, actor=t.staff, requirement="optional"
    )
    services.periods_generate(collaborative=t.collaborative, actor=t.staff, baseline_months=0)
    periods = {
        p.start: p
        for p in ReportingPeriod.objects.filter(collaborative=t.collaborative).order_by("start")
    }
    return SimpleNamespace(
        t=t,
        m1=m1,
        own=own,
        los=los,
        periods=periods,
        # The collaborative's first three months (March to May 2026 on the default day).
        march=periods[month(-8)],
        april=periods[month(-7)],
        may=periods[month(-6)],
        batch=ImportBatch.objects.get(program=t.program),
    )
