"""Helpers for the learning-session tests: events of tenant A's collaborative."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import ProgramRole
from learning_sessions.models import Event, EventKind
from tests.factories import ProgramMembershipFactory, UserFactory


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


__all__ = ["make_event", "ProgramMembershipFactory", "ProgramRole"]
