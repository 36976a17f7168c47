""" "My upcoming sessions" on the team home (learning_sessions/due.py)."""

import pytest
from django.test import Client
from django.urls import reverse

from learning_sessions import services
from learning_sessions.due import open_sessions_due, upcoming_sessions_due
from teams.selectors import team_access

from .conftest import make_event

pytestmark = pytest.mark.django_db


def items(provider, team, user):
    return list(provider(team=team, user=user, access=team_access(user=user, team=team)))


def test_registered_events_and_open_ones_on_the_team_home(tenant_a):
    registered = make_event(tenant_a, title="Registered session", days=20)
    services.register(event=registered, user=tenant_a.lead)
    make_event(tenant_a, title="Open soon", days=5)
    make_event(tenant_a, title="Open later", days=30)
    make_event(tenant_a, title="Cancelled soon", days=6, is_cancelled=True)
    make_event(tenant_a, title="Already over", days=-3)

    client = Client()
    client.force_login(tenant_a.lead)
    page = client.get(reverse("teams:detail", kwargs={"team_id": tenant_a.team.public_id}))
    html = page.content.decode()
    assert "Attend “Registered session”" in html
    assert "Register for “Open soon”" in html
    assert (
        reverse("learning_sessions:event_detail", kwargs={"event_id": registered.public_id}) in html
    )
    for absent in ("Open later", "Cancelled soon", "Already over", "Register for “Registered"):
        assert absent not in html


def test_only_the_persons_own_registrations_and_the_teams_collaborative(tenant_a, tenant_b):
    event = make_event(tenant_a, title="Lead's seat", days=3)
    services.register(event=event, user=tenant_a.lead)
    assert [i.title for i in items(upcoming_sessions_due, tenant_a.team, tenant_a.lead)] == [
        "Attend “Lead's seat”"
    ]
    # the member has only the builder's registration, not the lead's
    titles = [i.title for i in items(upcoming_sessions_due, tenant_a.team, tenant_a.member)]
    assert "Attend “Lead's seat”" not in titles
    # another program's team never lists tenant A's events
    assert all(
        "Lead's seat" not in i.title
        for i in items(open_sessions_due, tenant_b.team, tenant_b.member)
    )


def test_waiting_list_is_said_and_staff_get_no_open_suggestions(tenant_a):
    event = make_event(tenant_a, title="Full one", days=3, capacity=0)
    services.register(event=event, user=tenant_a.lead)
    [item] = [
        i for i in items(upcoming_sessions_due, tenant_a.team, tenant_a.lead) if "Full" in i.title
    ]
    assert "waiting list" in item.detail
    make_event(tenant_a, title="Soon", days=2)
    assert items(open_sessions_due, tenant_a.team, tenant_a.staff) == []
