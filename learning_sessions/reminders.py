"""Reminders of learning sessions (DOMAIN.md section 8), each e-mailed exactly once.

What is sent, to whom (outbox `kind`, then its stages: when each is due, until when it
is still worth sending):

* ``session_reminder``: to people holding a seat (REGISTERED, not waitlisted or
  cancelled), 7 days and 1 day before the event starts. The 7-day one is dropped once
  the 1-day one is due, the 1-day one once the event has started (never sent late).
  Someone who registered after a reminder was due does not get that one.
* ``module_reminder`` (EventKind.MODULE instead of the session reminders): when the
  window opens and 2 days before it closes, to the members of the collaborative's
  active teams and to anyone registered (cancelling a registration opts out). The
  opening one is dropped once the closing one is due; nothing after the window closed.
* ``session_recording``: when staff post or change the recording link (event_update
  stamps `recording_posted_at`), to people registered and people who attended live,
  once per link; due when the link is posted or the event ends, whichever is later,
  and useful for RECORDING_USEFUL_FOR.
* ``evaluation_reminder``: to people who attended (an Attendance row) and have not
  evaluated the event (no EvaluationResponse), right after it ends, then 7 and 14 days
  later; each is dropped once the next is due, the last after EVALUATION_LAST_USEFUL_FOR.
  Only where the collaborative has an evaluation form with questions to answer.

Never about a cancelled event, never to an inactive account or to someone who can no
longer see the collaborative (collaboratives.selectors.who_sees_collaboratives).

Exactly once: every reminder carries a dedupe key (kind, stage, event, recipient, due
time; the recording's link instead of its due time), unique in the outbox, so a retried
task, a duplicate beat tick, two workers or a restarted worker queue nothing twice;
the outbox's claim (core.tasks.send_outbound_email) sends each queued row once.

Catch-up: the scan (`send_session_reminders`, every few minutes through beat) does not
look at "today" but at every stage already due and still useful, so a reminder missed
while beat or the workers were down goes out once when they are back, or not at all
if it is no longer useful. It is deliberately cross-tenant, like measures.reminders:
each e-mail goes to one person about an event of a collaborative they can see.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from accounts.models import User
from collaboratives.selectors import who_sees_collaboratives
from core.emails import absolute_url, email_enqueue
from core.models import OutboundEmail
from teams.models import TeamMembership, TeamStatus

from .attendance.selectors import present_records
from .models import (
    Attendance,
    AttendanceMode,
    EvaluationForm,
    EvaluationResponse,
    Event,
    EventKind,
    Registration,
    RegistrationStatus,
)

#: Outbox kinds (notification preferences and unsubscribe links refer to these).
SESSION_REMINDER = "session_reminder"
SESSION_RECORDING = "session_recording"
EVALUATION_REMINDER = "evaluation_reminder"
MODULE_REMINDER = "module_reminder"

#: Session reminders: stage -> how long before the start it is due.
SESSION_BEFORE = {"week_before": timedelta(days=7), "day_before": timedelta(days=1)}
#: Module reminders: at opening, and this long before the window closes.
MODULE_CLOSING_BEFORE = timedelta(days=2)
#: Evaluation reminders: stage -> how long after the end it is due.
EVALUATION_AFTER = {
    "right_after": timedelta(0),
    "week_after": timedelta(days=7),
    "two_weeks_after": timedelta(days=14),
}
#: How long the last evaluation reminder is still worth sending after it was due.
EVALUATION_LAST_USEFUL_FOR = timedelta(days=7)
#: How long a recording notice is worth sending after it was due.
RECORDING_USEFUL_FOR = timedelta(days=7)
#: The furthest back an evaluation reminder can be due (its events end after this).
EVALUATION_HORIZON = max(EVALUATION_AFTER.values()) + EVALUATION_LAST_USEFUL_FOR


@dataclass(frozen=True)
class Stage:
    name: str
    due_at: datetime


def current_stage(
    stages: Iterable[Stage], *, useful_until: datetime, now: datetime
) -> Stage | None:
    """The stage to send at `now`: the latest one already due, if still useful.

    An earlier stage is dropped as soon as a later one is due (a missed "7 days
    before" is not sent once "1 day before" is due); the last one stops being useful
    at `useful_until`.
    """
    if now >= useful_until:
        return None
    due = [stage for stage in stages if stage.due_at <= now]
    return max(due, key=lambda stage: stage.due_at) if due else None


def session_stage(event: Event, *, now: datetime) -> Stage | None:
    stages = [Stage(name, event.starts_at - before) for name, before in SESSION_BEFORE.items()]
    return current_stage(stages, useful_until=event.starts_at, now=now)


def module_stage(event: Event, *, now: datetime) -> Stage | None:
    stages = [
        Stage("opens", event.starts_at),
        Stage("closing", event.ends_at - MODULE_CLOSING_BEFORE),
    ]
    return current_stage(stages, useful_until=event.ends_at, now=now)


def evaluation_stage(event: Event, *, now: datetime) -> Stage | None:
    stages = [Stage(name, event.ends_at + after) for name, after in EVALUATION_AFTER.items()]
    last = max(stage.due_at for stage in stages)
    return current_stage(stages, useful_until=last + EVALUATION_LAST_USEFUL_FOR, now=now)


def recording_stage(event: Event, *, now: datetime) -> Stage | None:
    if not event.recording_url or event.recording_posted_at is None:
        return None
    due_at = max(event.recording_posted_at, event.ends_at)
    return current_stage(
        [Stage("posted", due_at)], useful_until=due_at + RECORDING_USEFUL_FOR, now=now
    )


@dataclass(frozen=True)
class Reminder:
    """One e-mail to one person about one event, at one stage."""

    kind: str
    stage: Stage
    event: Event
    recipient: User

    @property
    def dedupe_key(self) -> str:
        """(kind, stage, event, recipient, due time): the same reminder is never queued
        twice, while an event moved to another date is reminded about again."""
        if self.kind == SESSION_RECORDING:
            # Once per link: posting the same link again is no news.
            when = hashlib.sha256(self.event.recording_url.encode()).hexdigest()[:16]
        else:
            when = f"{self.stage.due_at.astimezone(UTC):%Y%m%dT%H%MZ}"
        return (
            f"ls-{self.kind}:{self.stage.name}:{self.event.public_id}:"
            f"{self.recipient.public_id}:{when}"
        )


def _candidate_events(*, now: datetime, event_ids: Iterable[int] | None) -> list[Event]:
    """Events that may have a reminder due at `now` (one query): the stage functions
    decide exactly."""
    session = Q(starts_at__gt=now, starts_at__lte=now + max(SESSION_BEFORE.values())) & ~Q(
        kind=EventKind.MODULE
    )
    module = Q(kind=EventKind.MODULE, starts_at__lte=now, ends_at__gt=now)
    evaluation = Q(ends_at__lte=now, ends_at__gt=now - EVALUATION_HORIZON)
    recording = (
        ~Q(recording_url="")
        & Q(recording_posted_at__lte=now, ends_at__lte=now)
        & (
            Q(recording_posted_at__gt=now - RECORDING_USEFUL_FOR)
            | Q(ends_at__gt=now - RECORDING_USEFUL_FOR)
        )
    )
    events = Event.objects.filter(session | module | evaluation | recording, is_cancelled=False)
    if event_ids is not None:
        events = events.filter(pk__in=list(event_ids))
    return list(events.select_related("collaborative", "program"))


def reminders_due(*, now: datetime, event_ids: Iterable[int] | None = None) -> list[Reminder]:
    """Every reminder due at `now` and still useful, in every program (or only about
    `event_ids`), including those already queued: `send_session_reminders` skips them.

    A fixed number of queries (at most nine), whatever the number of events and people.
    """
    events = _candidate_events(now=now, event_ids=event_ids)
    session: dict[int, Stage] = {}
    module: dict[int, Stage] = {}
    evaluation: dict[int, Stage] = {}
    recording: dict[int, Stage] = {}
    for event in events:
        if event.kind == EventKind.MODULE:
            stage = module_stage(event, now=now)
            if stage:
                module[event.pk] = stage
        else:
            stage = session_stage(event, now=now)
            if stage:
                session[event.pk] = stage
        stage = evaluation_stage(event, now=now)
        if stage:
            evaluation[event.pk] = stage
        stage = recording_stage(event, now=now)
        if stage:
            recording[event.pk] = stage
    by_id = {event.pk: event for event in events}

    registered: dict[int, list[Registration]] = defaultdict(list)
    opted_out: set[tuple[int, int]] = set()
    wanted = {*session, *module, *recording}
    if wanted:
        for registration in Registration.objects.filter(
            event_id__in=wanted,
            status__in=(RegistrationStatus.REGISTERED, RegistrationStatus.CANCELLED),
            user__is_active=True,
        ).select_related("user"):
            if registration.status == RegistrationStatus.CANCELLED:
                opted_out.add((registration.event_id, registration.user_id))
            else:
                registered[registration.event_id].append(registration)

    attended: dict[int, list[Attendance]] = defaultdict(list)
    wanted = {*evaluation, *recording}
    if wanted:
        for attendance in (
            present_records()
            .filter(event_id__in=wanted, user__is_active=True)
            .select_related("user")
        ):
            attended[attendance.event_id].append(attendance)

    evaluated: set[tuple[int, int]] = set()
    with_form: set[int] = set()
    if evaluation:
        evaluated = set(
            EvaluationResponse.objects.filter(event_id__in=list(evaluation)).values_list(
                "event_id", "user_id"
            )
        )
        with_form = set(
            EvaluationForm.objects.filter(
                collaborative_id__in={by_id[pk].collaborative_id for pk in evaluation},
                questions__is_active=True,
            ).values_list("collaborative_id", flat=True)
        )

    team_members: dict[int, list[User]] = defaultdict(list)
    if module:
        for membership in TeamMembership.objects.filter(
            team__collaborative_id__in={by_id[pk].collaborative_id for pk in module},
            team__status=TeamStatus.ACTIVE,
            is_active=True,
            user__is_active=True,
        ).select_related("user", "team"):
            team_members[membership.team.collaborative_id].append(membership.user)

    reminders: list[Reminder] = []
    for pk, stage in session.items():
        for registration in registered[pk]:
            if registration.created_at <= stage.due_at:  # not one due before they registered
                reminders.append(Reminder(SESSION_REMINDER, stage, by_id[pk], registration.user))
    for pk, stage in module.items():
        people = {r.user_id: r.user for r in registered[pk]}
        for user in team_members[by_id[pk].collaborative_id]:
            if (pk, user.pk) not in opted_out:
                people.setdefault(user.pk, user)
        reminders.extend(Reminder(MODULE_REMINDER, stage, by_id[pk], u) for u in people.values())
    for pk, stage in recording.items():
        people = {r.user_id: r.user for r in registered[pk]}
        for attendance in attended[pk]:
            if attendance.mode != AttendanceMode.RECORDING:  # they have watched it already
                people.setdefault(attendance.user_id, attendance.user)
        reminders.extend(Reminder(SESSION_RECORDING, stage, by_id[pk], u) for u in people.values())
    for pk, stage in evaluation.items():
        if by_id[pk].collaborative_id not in with_form:
            continue  # nothing to fill in
        for attendance in attended[pk]:
            if (pk, attendance.user_id) not in evaluated:
                reminders.append(Reminder(EVALUATION_REMINDER, stage, by_id[pk], attendance.user))

    if not reminders:
        return []
    sees = who_sees_collaboratives(
        user_ids={r.recipient.pk for r in reminders},
        collaboratives={e.collaborative_id: e.collaborative for e in events}.values(),
    )
    return [r for r in reminders if (r.recipient.pk, r.event.collaborative_id) in sees]


#: Kind -> the e-mail template (templates/emails/<name>_subject.txt, .txt, .html).
TEMPLATES = {
    SESSION_REMINDER: "session_reminder",
    SESSION_RECORDING: "session_recording",
    EVALUATION_REMINDER: "evaluation_reminder",
    MODULE_REMINDER: "module_reminder",
}


def _already_queued(keys: list[str]) -> set[str]:
    """Keys already in the outbox (one query per 500): not rendered again every scan."""
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        found.update(
            OutboundEmail.objects.filter(dedupe_key__in=keys[start : start + 500]).values_list(
                "dedupe_key", flat=True
            )
        )
    return found


#: Where each reminder's link goes: the evaluation itself for an evaluation reminder,
#: the event page (join link, recording, registration) for the others.
LINKS = {
    SESSION_REMINDER: "learning_sessions:event_detail",
    MODULE_REMINDER: "learning_sessions:event_detail",
    SESSION_RECORDING: "learning_sessions:event_detail",
    EVALUATION_REMINDER: "learning_sessions:event_evaluation",
}


def send_session_reminders(*, now: datetime, event_ids: Iterable[int] | None = None) -> int:
    """Queue every reminder due at `now` not queued yet; returns how many were queued.

    Safe to run any number of times, concurrently too: the outbox's unique dedupe key
    turns a second attempt at the same reminder into nothing.
    """
    reminders = reminders_due(now=now, event_ids=event_ids)
    queued_before = _already_queued([r.dedupe_key for r in reminders])
    queued = 0
    for reminder in reminders:
        if reminder.dedupe_key in queued_before:
            continue
        event, person = reminder.event, reminder.recipient
        path = reverse(LINKS[reminder.kind], kwargs={"event_id": event.public_id})
        context = {
            "recipient": person,
            "event": event,
            "collaborative": event.collaborative,
            "program": event.program,
            "stage": reminder.stage.name,
            "url": absolute_url(path),
        }
        with transaction.atomic():
            email = email_enqueue(
                to=person.email,
                template=TEMPLATES[reminder.kind],
                context=context,
                program=event.program,
                dedupe_key=reminder.dedupe_key,
                kind=reminder.kind,
                notice_url=path,
            )
        if email is not None:
            queued += 1
    return queued
