"""Reminders for monthly data (7 days and 1 day before, the day after to non-reporters),
idempotent; the management command replays them; the team home's "due next" item."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client

from core.models import OutboundEmail
from measures import services
from measures.models import Submission, SubmissionStatus
from measures.reminders import reminders_due_across_all_programs
from measures.tasks import send_measure_reminders
from measures.validation import Entry
from teams.due import due_next
from tests.clock import label, month

pytestmark = pytest.mark.django_db


def reminder_mails(world):
    return OutboundEmail.objects.filter(subject__contains="data for", program=world.t.program)


def test_reminders_before_and_after_the_due_date(world):
    due = world.may.due_date  # 15 June 2026 on the suite's default day
    assert send_measure_reminders((due - timedelta(days=7)).isoformat()) == 1
    mail = reminder_mails(world).get()
    assert mail.to_email == world.t.lead.email
    assert "is due in a week" in mail.subject and label(world.may.start) in mail.subject
    assert f"/measures/periods/{world.may.public_id}/" in mail.body_text

    assert send_measure_reminders((due - timedelta(days=1)).isoformat()) == 1
    assert reminder_mails(world).filter(subject__contains="due tomorrow").count() == 1
    assert send_measure_reminders((due - timedelta(days=3)).isoformat()) == 0

    # The day after: only teams that have not submitted.
    Submission.objects.create(
        program=world.t.program,
        collaborative=world.t.collaborative,
        team=world.t.other_team,
        period=world.may,
        status=SubmissionStatus.SUBMITTED,
    )
    assert send_measure_reminders((due + timedelta(days=1)).isoformat()) == 1
    assert reminder_mails(world).filter(subject__contains="overdue").count() == 1


def test_running_twice_sends_nothing_twice_and_the_command_replays(world, capsys):
    day = (world.may.due_date + timedelta(days=1)).isoformat()
    assert send_measure_reminders(day) == 1
    assert send_measure_reminders(day) == 0
    call_command("send_measure_reminders", "--date", day)
    assert "Queued 0 reminder(s)." in capsys.readouterr().out
    assert reminder_mails(world).count() == 1


def test_submitted_teams_and_other_tenants_get_no_reminder(world, tenant_b):
    services.period_save(
        team=world.t.team,
        period=world.may,
        actor=world.t.lead,
        entries={world.m1: Entry(Decimal(7), Decimal(10))},
        submit=True,
        team_set=[(world.m1, "required")],
    )
    reminders = reminders_due_across_all_programs(today=world.may.due_date + timedelta(days=1))
    assert reminders == []


def test_the_team_home_shows_the_oldest_period_not_submitted(world):
    items = due_next(team=world.t.team, user=world.t.member)
    data = [i for i in items if "data" in i.title]
    assert len(data) == 1
    march = label(world.march.start)  # the collaborative's first month: March 2026 by default
    assert data[0].title == f"Enter {march}'s data"
    assert data[0].due == month(-7).replace(day=15) and data[0].is_late  # 15 April
    assert f"/measures/periods/{world.march.public_id}/" in data[0].url
    assert not [i for i in due_next(team=world.t.team, user=world.t.coach) if "data" in i.title]

    client = Client()
    client.force_login(world.t.member)
    home = client.get(f"/teams/{world.t.team.public_id}/").content.decode()
    assert f"Enter {march}&#x27;s data" in home
