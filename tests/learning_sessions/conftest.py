"""Helpers for the learning-session tests: events of tenant A's collaborative."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from accounts.models import ProgramRole, User
from learning_sessions.models import Event, EventKind
from tests.factories import (
    FacilityFactory,
    ProgramMembershipFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)


def make_event(tenant, *, days: int = 7, capacity=None, **extra) -> Event:
    starts = timezone.now() + timedelta(days=days)
    fields = {
        "program": tenant.program,
        "collaborative": tenant.collaborative,
        "kind": EventKind.WEBINAR,
        "title": "Sepsis recognition webinar",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=1),
        "capacity": capacity,
        "join_url": "https://meet.example/secret-room",
    }
    fields.update(extra)
    return Event.objects.create(**fields)


@pytest.fixture
def event(tenant_a) -> Event:
    return make_event(tenant_a, capacity=2)


@pytest.fixture
def other_program_staff(tenant_b):
    return tenant_b.staff


@pytest.fixture
def plain_user(db):
    """Signed in, but in no program at all."""
    return UserFactory(email="nobody@example.org")


# --- attendance: the people and events of the sample reports in tests/data/attendance/

DATA = Path(__file__).resolve().parent.parent / "data" / "attendance"
EASTERN = ZoneInfo("America/New_York")


@dataclass
class People:
    dana: User
    marcus: User
    jose: User
    ann: User
    ann_again: User
    pat: User  # in the program, but only in a team of another collaborative


@pytest.fixture
def people(tenant_a) -> People:
    def member(email, name, team):
        user = UserFactory(email=email, full_name=name)
        TeamMembershipFactory(team=team, user=user)
        return user

    other_collaborative_team = TeamFactory(
        program=tenant_a.program,
        collaborative=tenant_a.recruiting,
        facility=FacilityFactory(program=tenant_a.program),
    )
    ann = member("ann.lee@lakeside.example", "Ann Lee", tenant_a.other_team)
    ann_again = member("ann.lee@mercy.example", "Ann Lee", tenant_a.team)  # same name
    return People(
        dana=member("dana.reyes@riverside.example", "Dana Reyes", tenant_a.team),
        marcus=member("marcus.chen@riverside.example", "Marcus Chen", tenant_a.team),
        jose=member("jose.munoz@riverside.example", "José Muñoz", tenant_a.other_team),
        ann=ann,
        ann_again=ann_again,
        pat=member("pat.morgan@alpha-other.example", "Pat Morgan", other_collaborative_team),
    )


@pytest.fixture
def zoom_event(tenant_a) -> Event:
    """The webinar of the Zoom samples: 17 November 2026, 13:00-14:30 Eastern."""
    starts = datetime(2026, 11, 17, 13, 0, tzinfo=EASTERN)
    return make_event(
        tenant_a,
        starts_at=starts,
        ends_at=datetime(2026, 11, 17, 14, 30, tzinfo=EASTERN),
        title="Sepsis recognition webinar",
    )


@pytest.fixture
def teams_event(tenant_a) -> Event:
    """The office hours of the Teams samples: 18 November 2026, 22:30 to midnight."""
    return make_event(
        tenant_a,
        starts_at=datetime(2026, 11, 18, 22, 30, tzinfo=EASTERN),
        ends_at=datetime(2026, 11, 19, 0, 0, tzinfo=EASTERN),
        title="Evening office hours",
        kind="office_hours",
    )


def report(name: str) -> bytes:
    return (DATA / name).read_bytes()


__all__ = ["make_event", "report", "ProgramMembershipFactory", "ProgramRole"]
