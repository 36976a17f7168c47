"""The demo command: realistic, idempotent, refuses production, logins work."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import Program, User
from demo.collaboratives import ACTIVE
from teams.models import Team

from .logins import DEMO_LOGINS, assert_lands_on_home

pytestmark = pytest.mark.django_db


def _counts():
    from django.apps import apps

    return {m._meta.label: m.objects.count() for m in apps.get_models()}


def test_seed_demo_is_idempotent_and_prints_the_logins(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    first = _counts()
    out = capsys.readouterr().out
    for email in DEMO_LOGINS:
        assert email in out
    assert "qi-demo-2026" in out

    call_command("seed_demo")
    assert _counts() == first
    assert "0 new records" in capsys.readouterr().out
    assert Program.objects.count() == 2
    assert Team.objects.values("facility__facility_type").distinct().count() >= 5


def test_seed_demo_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="Refusing"):
        call_command("seed_demo")
    call_command("seed_demo", "--force", "--password", "another-pass-2026")
    assert User.objects.get(email="staff@demo.example").check_password("another-pass-2026")


@pytest.mark.parametrize(("email", "home"), DEMO_LOGINS.items())
def test_each_demo_login_works_and_lands_on_its_home(settings, email, home):
    settings.DEBUG = True
    settings.MFA_REQUIRED_FOR_STAFF = False  # as in `make run` (DEBUG on)
    call_command("seed_demo")
    assert_lands_on_home(Client(), email, home)


def test_second_tenant_staff_sees_nothing_of_the_first(settings):
    settings.DEBUG = True
    settings.MFA_REQUIRED_FOR_STAFF = False
    call_command("seed_demo")
    client = Client()
    client.force_login(User.objects.get(email="other-staff@demo.example"))
    page = client.get("/collaboratives/").content.decode()
    assert "Great Lakes Pediatric Disaster Preparedness Collaborative" in page
    assert "Pediatric Readiness Quality Collaborative" not in page


def test_demo_world_has_the_lifecycle_and_enough_teams(settings):
    from collaboratives.models import Collaborative
    from teams.models import ProgressRating

    settings.DEBUG = True
    call_command("seed_demo")
    statuses = set(Collaborative.objects.values_list("status", flat=True))
    assert {"community", "active", "recruiting"} <= statuses
    active = Collaborative.objects.get(slug=ACTIVE)
    assert active.teams.count() >= 12
    assert active.teams.values("facility__facility_type").distinct().count() >= 5
    assert active.phases.count() == 9
    assert (
        ProgressRating.objects.filter(team__collaborative=active).values("month").distinct().count()
        >= 6
    )
    assert not active.teams.filter(status="active", coach_assignments__isnull=True).exists()
