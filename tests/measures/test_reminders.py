"""Reminders for monthly data (7 days and 1 day before, the day after to non-reporters),
idempotent; the management command replays them; the team home's "due next" item."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from core.models import OutboundEmail
from measures import services
from measures.models import Submission, SubmissionStatus
from measures.reminders import (
    OVERDUE_CATCH_UP_DAYS,
    reminders_due_across_all_programs,
    stage_on,
)
from measures.tasks import reminder_day, send_measure_reminders
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


# --- catch-up: a missed day is sent once, if still useful ------------------------------------


def test_each_day_around_the_due_date_is_at_one_stage():
    due = date(2026, 6, 15)
    stage = {days: stage_on(due, today=due - timedelta(days=days)) for days in range(-9, 10)}
    assert [d for d, s in stage.items() if s == "week_before"] == [2, 3, 4, 5, 6, 7]
    assert [d for d, s in stage.items() if s == "due_tomorrow"] == [0, 1]
    overdue = list(range(-1 - OVERDUE_CATCH_UP_DAYS, 0))
    assert [d for d, s in stage.items() if s == "overdue"] == overdue
    assert stage[8] is None and stage[-2 - OVERDUE_CATCH_UP_DAYS] is None


def test_a_missed_week_reminder_is_replaced_by_the_day_one(world):
    due = world.may.due_date
    # Nothing ran from 8 days before until the day before: only "due tomorrow".
    assert send_measure_reminders((due - timedelta(days=1)).isoformat()) == 1
    assert send_measure_reminders((due - timedelta(days=1)).isoformat()) == 0
    assert send_measure_reminders(due.isoformat()) == 0  # its stage lasts through the due date
    mail = reminder_mails(world).get()
    assert "due tomorrow" in mail.subject
    assert mail.kind == "data_reminder"


def test_a_missed_day_is_sent_late_once_with_the_days_that_are_left(world):
    due = world.may.due_date
    assert send_measure_reminders((due - timedelta(days=3)).isoformat()) == 1
    assert "is due in 3 days" in reminder_mails(world).get().subject
    assert send_measure_reminders((due - timedelta(days=2)).isoformat()) == 0
    # The 1-day reminder missed too, caught up on the due date itself.
    assert send_measure_reminders(due.isoformat()) == 1
    assert reminder_mails(world).filter(subject__contains="is due today").count() == 1


def test_an_overdue_reminder_is_sent_up_to_a_few_days_late_then_dropped(world):
    due = world.may.due_date
    too_late = due + timedelta(days=2 + OVERDUE_CATCH_UP_DAYS)
    assert send_measure_reminders(too_late.isoformat()) == 0
    last_useful = due + timedelta(days=1 + OVERDUE_CATCH_UP_DAYS)
    assert send_measure_reminders(last_useful.isoformat()) == 1
    assert send_measure_reminders((due + timedelta(days=1)).isoformat()) == 0
    assert reminder_mails(world).filter(subject__contains="overdue").count() == 1


def test_the_hourly_run_sends_a_day_from_midday_utc():
    assert reminder_day(datetime(2026, 6, 8, 11, 59, tzinfo=UTC)) == date(2026, 6, 7)
    assert reminder_day(datetime(2026, 6, 8, 12, 0, tzinfo=UTC)) == date(2026, 6, 8)
    assert reminder_day(datetime(2026, 6, 8, 23, 0, tzinfo=UTC)) == date(2026, 6, 8)


def test_the_scheduled_run_uses_the_clock(world):
    week_before = world.may.due_date - timedelta(days=7)
    with time_machine.travel(datetime.combine(week_before, time(11, 0), UTC)):
        assert send_measure_reminders() == 0  # before midday: still the day before's run
    with time_machine.travel(datetime.combine(week_before, time(12, 5), UTC)):
        assert send_measure_reminders() == 1
        assert send_measure_reminders() == 0
    assert "is due in a week" in reminder_mails(world).get().subject
