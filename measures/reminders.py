"""Reminders for monthly data (DOMAIN.md section 8): 7 days and 1 day before a period is
due, and the day after to the teams that have not submitted. Only for periods that
have ended (they cannot be submitted before), to teams that owe them (not periods that
ended before the team joined) and have not handed them in yet.

Catch-up: a day's reminders are not only those of that exact day. On `today` each period
is at one stage, its latest one already due, and that stage's reminder is sent if it was
not yet: "a week before" from 7 to 2 days before the due date, "due tomorrow" from 1
day before through the due date itself, "overdue" from the day after up to
OVERDUE_CATCH_UP_DAYS days later than that. So a run missed while beat or the workers
were down is made up by the next run, once; a missed "week before" that is now 1 day
before is replaced by "due tomorrow" (never both late), and an overdue reminder is not
sent more than OVERDUE_CATCH_UP_DAYS days late. The wording says how many days are left
on the day it is actually sent.

This is deliberately cross-tenant: one daily run covers every program. The query is
named loudly (`..._across_all_programs`) and every e-mail goes to the team's own people
about the team's own period, so nothing crosses a tenant boundary. Each e-mail carries a
dedupe key (kind, period, team, person), so running the job twice sends nothing twice.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from collaboratives.models import CollaborativeStatus
from core.emails import absolute_url, email_enqueue
from teams.models import Team, TeamMembership, TeamRole, TeamStatus
from teams.selectors import team_joined_on

from .models import HANDED_IN, CollaborativeMeasure, ReportingPeriod, Submission
from .selectors import period_owed

#: Days before (positive) or after (negative) the due date -> the reminder's kind.
SCHEDULE = {7: "week_before", 1: "due_tomorrow", -1: "overdue"}
#: How many days after its own day an overdue reminder may still be sent.
OVERDUE_CATCH_UP_DAYS = 3
#: The outbox kind of these e-mails (notification preferences and unsubscribe).
DATA_REMINDER = "data_reminder"
RECIPIENT_ROLES = (TeamRole.LEAD, TeamRole.DATA_CONTACT)


@dataclass(frozen=True)
class Reminder:
    kind: str
    period: ReportingPeriod
    team: Team
    recipient: object


def stage_on(due_date: date, *, today: date) -> str | None:
    """The reminder a period due on `due_date` is at on `today` (a SCHEDULE kind), or
    None: not yet, or too late to be useful (see the module's docstring)."""
    days_left = (due_date - today).days
    offsets = sorted(SCHEDULE, reverse=True)  # 7, 1, -1: in the order they fall due
    for offset, later in zip(offsets, [*offsets[1:], None], strict=True):
        if later is None:  # the last one: a few days of catch-up
            if offset - OVERDUE_CATCH_UP_DAYS <= days_left <= offset:
                return SCHEDULE[offset]
        elif later < days_left <= offset:
            return SCHEDULE[offset]
    return None


def reminders_due_across_all_programs(*, today: date) -> list[Reminder]:
    """Every reminder to send on `today` (the current stage of each period, whether or
    not it was sent already), in every program (five queries)."""
    earliest = today + timedelta(days=min(SCHEDULE) - OVERDUE_CATCH_UP_DAYS)
    periods = list(
        ReportingPeriod.objects.filter(
            due_date__range=(earliest, today + timedelta(days=max(SCHEDULE))),
            # Never remind a team to submit a period that cannot be submitted yet.
            end__lt=today,
            collaborative__status=CollaborativeStatus.ACTIVE,
        ).select_related("collaborative", "program")
    )
    if not periods:
        return []
    collaborative_ids = {p.collaborative_id for p in periods}
    frequencies = defaultdict(set)
    for collaborative_id, frequency in CollaborativeMeasure.objects.filter(
        collaborative_id__in=collaborative_ids
    ).values_list("collaborative_id", "measure__frequency"):
        frequencies[collaborative_id].add(frequency)
    teams = defaultdict(list)
    for team in Team.objects.filter(
        collaborative_id__in=collaborative_ids, status=TeamStatus.ACTIVE
    ).select_related("collaborative", "program"):
        teams[team.collaborative_id].append(team)
    # Handed in at least once: a period the coach returned is not late (its first
    # hand-in decides, core.deadlines), so the team hears from the coach, not from here.
    handed_in = set(
        Submission.objects.filter(period__in=[p.pk for p in periods])
        .filter(
            Q(status__in=HANDED_IN)
            | Q(first_submitted_at__isnull=False)
            | Q(submitted_at__isnull=False)
        )
        .values_list("team_id", "period_id")
    )
    people = defaultdict(list)
    for membership in TeamMembership.objects.filter(
        team__collaborative_id__in=collaborative_ids,
        is_active=True,
        role__in=RECIPIENT_ROLES,
        user__is_active=True,
    ).select_related("user"):
        people[membership.team_id].append(membership.user)
    reminders = []
    for period in periods:
        kind = stage_on(period.due_date, today=today)
        if kind is None or period.frequency not in frequencies[period.collaborative_id]:
            continue
        for team in teams[period.collaborative_id]:
            if (team.pk, period.pk) in handed_in:
                continue
            joined_on = team_joined_on(team, tz=team.collaborative.timezone)
            if not period_owed(period, joined_on):
                continue  # it ended before the team joined: not asked for
            for person in people[team.pk]:
                reminders.append(Reminder(kind, period, team, person))
    return reminders


def send_data_reminders(*, today: date) -> int:
    """Queue today's reminders not queued yet; returns how many were queued (repeats
    are skipped through the outbox's dedupe key)."""
    queued = 0
    for reminder in reminders_due_across_all_programs(today=today):
        team, period, person = reminder.team, reminder.period, reminder.recipient
        path = reverse(
            "measures:period",
            kwargs={"team_id": team.public_id, "period_id": period.public_id},
        )
        url = absolute_url(path)
        with transaction.atomic():
            email = email_enqueue(
                to=person.email,
                template="measures_reminder",
                context={
                    "recipient": person,
                    "team": team,
                    "period": period,
                    "kind": reminder.kind,
                    "days_left": (period.due_date - today).days,
                    "program": team.program,
                    "url": url,
                },
                program=team.program,
                kind=DATA_REMINDER,
                notice_url=path,
                # One per stage, period, team and person (the period fixes the due date).
                dedupe_key=(
                    f"measures-reminder:{reminder.kind}:{period.public_id}:"
                    f"{team.public_id}:{person.public_id}"
                ),
            )
        if email is not None:
            queued += 1
    return queued
