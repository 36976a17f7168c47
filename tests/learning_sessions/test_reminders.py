"""Learning-session reminders: who gets which, when, exactly once, with catch-up.

Each test runs the scan at chosen moments (`now=`) on the suite's fixed clock; the
worker test (test_reminders_worker.py) runs the same scan in a real Celery worker.
"""

import threading
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import ProgramRole
from collaboratives.selectors import collaboratives_visible_to, who_sees_collaboratives
from core.models import OutboundEmail
from learning_sessions import services
from learning_sessions.models import (
    Attendance,
    AttendanceMode,
    AttendanceSource,
    EvaluationForm,
    EvaluationQuestion,
    EvaluationResponse,
    EventKind,
    QuestionKind,
    Registration,
    RegistrationStatus,
)
from learning_sessions.reminders import reminders_due, send_session_reminders
from learning_sessions.tasks import send_due_session_reminders
from tests.factories import ProgramMembershipFactory, TeamMembershipFactory, UserFactory

from .conftest import make_event
from .test_views import client_for, form_data, url

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)
LONG_AGO = timedelta(days=60)


def register(event, user, status=RegistrationStatus.REGISTERED, *, at=None):
    return Registration.objects.create(
        program=event.program,
        event=event,
        user=user,
        status=status,
        created_at=at or event.starts_at - LONG_AGO,
    )


def attend(event, user, mode=AttendanceMode.LIVE):
    source = (
        AttendanceSource.CODE if mode == AttendanceMode.LIVE else AttendanceSource.SELF_RECORDING
    )
    return Attendance.objects.create(
        program=event.program, event=event, user=user, source=source, mode=mode
    )


def give_form(collaborative):
    """The collaborative's form (the tenant builder gives it one that asks nothing) with
    one active question: a form to fill."""
    form, _ = EvaluationForm.objects.get_or_create(
        program=collaborative.program, collaborative=collaborative
    )
    EvaluationQuestion.objects.create(
        program=collaborative.program, form=form, kind=QuestionKind.RATING, prompt="Useful?"
    )
    return form


def member(tenant, email):
    user = UserFactory(email=email)
    TeamMembershipFactory(team=tenant.team, user=user)
    return user


def mails(event, kind=None):
    """(recipient, stage) of the e-mails queued about `event`, in order."""
    qs = OutboundEmail.objects.filter(dedupe_key__contains=str(event.public_id))
    if kind:
        qs = qs.filter(kind=kind)
    return sorted((m.to_email, m.dedupe_key.split(":")[1]) for m in qs)


@pytest.fixture
def session(tenant_a):
    return make_event(
        tenant_a, days=20, kind=EventKind.LEARNING_SESSION, title="Triage <b>drill</b>"
    )


# --- session reminders ------------------------------------------------------------------


def test_registered_people_get_7_and_1_day_reminders_once(tenant_a, session):
    lead = tenant_a.lead
    register(session, lead)
    register(session, member(tenant_a, "wait@alpha.example"), RegistrationStatus.WAITLISTED)
    register(session, member(tenant_a, "gone@alpha.example"), RegistrationStatus.CANCELLED)
    start = session.starts_at

    assert send_session_reminders(now=start - 8 * DAY) == 0
    assert send_session_reminders(now=start - 7 * DAY + timedelta(minutes=1)) == 1
    assert send_session_reminders(now=start - 7 * DAY + timedelta(minutes=16)) == 0
    assert send_session_reminders(now=start - 3 * DAY) == 0  # still the 7-day one: sent
    assert send_session_reminders(now=start - DAY) == 1
    assert send_session_reminders(now=start - DAY) == 0
    assert send_session_reminders(now=start + timedelta(minutes=5)) == 0
    assert mails(session) == [(lead.email, "day_before"), (lead.email, "week_before")]
    assert set(
        OutboundEmail.objects.filter(to_email=lead.email).values_list("kind", flat=True)
    ) >= {"session_reminder"}


def test_a_missed_7_day_reminder_is_dropped_once_the_1_day_one_is_due(tenant_a, session):
    register(session, tenant_a.lead)
    start = session.starts_at
    # Beat was down for a week: the first scan is 20 hours before the start.
    assert send_session_reminders(now=start - timedelta(hours=20)) == 1
    assert mails(session) == [(tenant_a.lead.email, "day_before")]


def test_a_missed_reminder_is_sent_once_late_but_never_after_the_start(tenant_a, session):
    register(session, tenant_a.lead)
    start = session.starts_at
    # Down from 8 days before until 5 days before: the 7-day reminder goes out late, once.
    assert send_session_reminders(now=start - 5 * DAY) == 1
    assert mails(session) == [(tenant_a.lead.email, "week_before")]
    # Down over the whole last day: the 1-day reminder is not sent after the start.
    assert send_session_reminders(now=start + timedelta(minutes=1)) == 0
    assert mails(session) == [(tenant_a.lead.email, "week_before")]


def test_no_reminder_that_was_due_before_the_person_registered(tenant_a, session):
    start = session.starts_at
    register(session, tenant_a.lead, at=start - 3 * DAY)
    assert send_session_reminders(now=start - 3 * DAY + timedelta(minutes=15)) == 0
    assert send_session_reminders(now=start - DAY) == 1
    assert mails(session) == [(tenant_a.lead.email, "day_before")]


def test_no_reminders_for_cancelled_events_inactive_users_or_people_without_access(
    tenant_a, tenant_b, session
):
    start = session.starts_at
    inactive = member(tenant_a, "inactive@alpha.example")
    inactive.is_active = False
    inactive.save()
    left = member(tenant_a, "left@alpha.example")
    register(session, inactive)
    register(session, left)
    register(session, tenant_b.member)  # another program's member: never sees this event
    left.team_memberships.update(is_active=False)  # left the team after registering
    assert send_session_reminders(now=start - DAY) == 0

    register(session, tenant_a.lead)
    services.event_cancel(event=session, actor=tenant_a.staff)
    assert send_session_reminders(now=start - DAY) == 0
    assert mails(session) == []


def test_a_moved_event_is_reminded_about_again(tenant_a, session):
    register(session, tenant_a.lead)
    start = session.starts_at
    assert send_session_reminders(now=start - DAY) == 1
    session.starts_at += 14 * DAY
    session.ends_at += 14 * DAY
    session.save()
    assert send_session_reminders(now=start - DAY) == 0
    assert send_session_reminders(now=session.starts_at - DAY) == 1
    assert mails(session) == [(tenant_a.lead.email, "day_before")] * 2


def test_the_reminder_is_written_in_the_recipient_zone_and_escaped(tenant_a, session):
    lead = tenant_a.lead
    lead.time_zone = "Asia/Tokyo"
    lead.save()
    register(session, lead)
    send_session_reminders(now=session.starts_at - DAY)
    mail = OutboundEmail.objects.get(to_email=lead.email, kind="session_reminder")
    local = timezone.localtime(session.starts_at, timezone=ZoneInfo("Asia/Tokyo"))
    assert f"{local:%H:%M} JST" in mail.body_text
    assert f"{local:%H:%M} JST" in mail.body_html
    assert "Triage <b>drill</b>" in mail.body_text and "Triage <b>drill</b>" in mail.subject
    assert "Triage &lt;b&gt;drill&lt;/b&gt;" in mail.body_html
    assert "<b>drill" not in mail.body_html
    assert f"/events/{session.public_id}/" in mail.body_text
    assert mail.body_text.count("https://meet.example/secret-room") == 1  # seat holders' link


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_workers_scanning_at_once_queue_and_send_each_reminder_once(tenant_a):
    """Two threads, two connections, the same scan at the same moment: the outbox's
    unique key lets one of them queue each reminder, and its claim sends it once."""
    session = make_event(tenant_a, days=20)
    people = [tenant_a.lead, tenant_a.member] + [
        member(tenant_a, f"p{i}@alpha.example") for i in range(6)
    ]
    for person in people:
        register(session, person)
    barrier = threading.Barrier(2)
    results: list[int] = []

    def scan():
        close_old_connections()
        try:
            barrier.wait()
            results.append(send_session_reminders(now=session.starts_at - DAY))
        finally:
            connection.close()

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == len(people)
    assert len(mails(session)) == len(people)
    sent = [m.to[0] for m in mail.outbox if session.title in m.subject]
    assert sorted(sent) == sorted(p.email for p in people)


# --- module windows ---------------------------------------------------------------------


def test_module_reminders_at_opening_and_two_days_before_closing(tenant_a):
    opens = timezone.now() + 3 * DAY
    module = make_event(
        tenant_a, kind=EventKind.MODULE, title="Module 3", starts_at=opens, ends_at=opens + 14 * DAY
    )
    out = member(tenant_a, "optout@alpha.example")
    register(module, out, RegistrationStatus.CANCELLED)
    register(module, tenant_a.coach)  # not a team member, but registered
    team = {tenant_a.lead.email, tenant_a.member.email, tenant_a.coach.email}

    assert send_session_reminders(now=opens - 7 * DAY) == 0  # no session reminders
    assert send_session_reminders(now=opens - DAY) == 0
    assert send_session_reminders(now=opens + timedelta(minutes=1)) == 3
    assert {to for to, stage in mails(module)} == team
    assert send_session_reminders(now=opens + 5 * DAY) == 0
    assert send_session_reminders(now=module.ends_at - 2 * DAY) == 3
    assert send_session_reminders(now=module.ends_at) == 0
    assert mails(module) == sorted(
        [(to, "opens") for to in team] + [(to, "closing") for to in team]
    )
    assert len(mails(module, "module_reminder")) == 6


def test_a_module_window_missed_entirely_sends_nothing(tenant_a):
    opens = timezone.now() + 3 * DAY
    module = make_event(tenant_a, kind=EventKind.MODULE, starts_at=opens, ends_at=opens + 14 * DAY)
    # Down from before the opening until 1 day before the close: only the closing one.
    assert send_session_reminders(now=module.ends_at - DAY) == 2
    assert {stage for _, stage in mails(module)} == {"closing"}


# --- recording --------------------------------------------------------------------------


def past_event(tenant, **extra):
    starts = timezone.now() - 2 * DAY
    return make_event(tenant, starts_at=starts, ends_at=starts + timedelta(hours=1), **extra)


def test_posting_the_recording_tells_registered_people_and_attendees_once_per_link(
    tenant_a, django_capture_on_commit_callbacks
):
    event = past_event(tenant_a, capacity=1)
    register(event, tenant_a.lead)
    register(event, member(tenant_a, "queue@alpha.example"), RegistrationStatus.WAITLISTED)
    attend(event, tenant_a.member)  # came without registering (a walk-in)
    attend(event, member(tenant_a, "watched@alpha.example"), AttendanceMode.RECORDING)
    attend(event, tenant_a.lead)  # registered and attended: one e-mail

    with django_capture_on_commit_callbacks(execute=True):
        services.event_update(
            event=event, actor=tenant_a.staff, recording_url="https://video.example/1"
        )
    expected = [(tenant_a.lead.email, "posted"), (tenant_a.member.email, "posted")]
    assert mails(event, "session_recording") == expected
    mail = OutboundEmail.objects.get(to_email=tenant_a.member.email, kind="session_recording")
    assert "https://video.example/1" in mail.body_text

    # Saving the event again, or scanning again, sends nothing new; a new link does.
    with django_capture_on_commit_callbacks(execute=True):
        services.event_update(event=event, actor=tenant_a.staff, title="Renamed")
        services.event_update(
            event=event, actor=tenant_a.staff, recording_url="https://video.example/1"
        )
    assert send_session_reminders(now=timezone.now()) == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.event_update(
            event=event, actor=tenant_a.staff, recording_url="https://video.example/2"
        )
    assert len(mails(event, "session_recording")) == 4
    # Too late to be news a week after it was posted.
    event.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.event_update(
            event=event, actor=tenant_a.staff, recording_url="https://video.example/3"
        )
    assert send_session_reminders(now=timezone.now() + 8 * DAY) == 0


def test_staff_posting_the_link_on_the_edit_page_sends_the_notice(
    tenant_a, django_capture_on_commit_callbacks
):
    zone = ZoneInfo(tenant_a.collaborative.timezone)
    starts = (timezone.now() - 2 * DAY).astimezone(zone).replace(second=0, microsecond=0)
    event = make_event(tenant_a, starts_at=starts, ends_at=starts + timedelta(hours=1))
    register(event, tenant_a.lead)
    times = {
        "starts_at": f"{starts:%Y-%m-%dT%H:%M}",
        "ends_at": f"{event.ends_at.astimezone(zone):%Y-%m-%dT%H:%M}",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(tenant_a.staff).post(
            url("event_edit", event),
            # an hour-long event offers at most 1 credit (learning_sessions.credits)
            form_data(
                **times, recording_url="https://video.example/ls3?a=1&b=2", credit_ama_pra_1="1"
            ),
        )
    assert response.status_code == 302
    mail_ = OutboundEmail.objects.get(kind="session_recording")
    assert mail_.to_email == tenant_a.lead.email
    assert "https://video.example/ls3?a=1&b=2" in mail_.body_text
    assert 'href="https://video.example/ls3?a=1&amp;b=2"' in mail_.body_html


def test_a_recording_posted_before_the_end_is_announced_after_it(
    tenant_a, django_capture_on_commit_callbacks
):
    event = make_event(tenant_a, days=3)
    register(event, tenant_a.lead)
    with django_capture_on_commit_callbacks(execute=True):
        services.event_update(
            event=event, actor=tenant_a.staff, recording_url="https://video.example/live"
        )
    event.refresh_from_db()
    assert event.recording_posted_at is not None
    assert mails(event, "session_recording") == []
    assert send_session_reminders(now=event.ends_at + timedelta(minutes=1)) == 1
    assert mails(event, "session_recording") == [(tenant_a.lead.email, "posted")]


# --- evaluations ------------------------------------------------------------------------


def test_evaluation_reminders_right_after_then_7_and_14_days_until_evaluated(tenant_a):
    give_form(tenant_a.collaborative)
    event = past_event(tenant_a)
    end = event.ends_at
    attend(event, tenant_a.lead)
    attend(event, tenant_a.member)
    register(event, tenant_a.coach)  # registered, never came: not asked

    assert send_session_reminders(now=end - timedelta(minutes=1), event_ids=[event.pk]) == 0
    assert send_session_reminders(now=end + timedelta(minutes=1), event_ids=[event.pk]) == 2
    assert send_session_reminders(now=end + 3 * DAY, event_ids=[event.pk]) == 0
    EvaluationResponse.objects.create(
        program=event.program,
        event=event,
        user=tenant_a.member,
        submitted_at=end + DAY,
    )
    assert send_session_reminders(now=end + 7 * DAY, event_ids=[event.pk]) == 1
    assert send_session_reminders(now=end + 14 * DAY, event_ids=[event.pk]) == 1
    assert send_session_reminders(now=end + 22 * DAY, event_ids=[event.pk]) == 0
    lead, member_ = tenant_a.lead.email, tenant_a.member.email
    assert mails(event, "evaluation_reminder") == sorted(
        [
            (lead, "right_after"),
            (member_, "right_after"),
            (lead, "week_after"),
            (lead, "two_weeks_after"),
        ]
    )


def test_evaluation_catch_up_sends_only_the_latest_due(tenant_a):
    give_form(tenant_a.collaborative)
    event = past_event(tenant_a)
    attend(event, tenant_a.lead)
    assert send_session_reminders(now=event.ends_at + 9 * DAY, event_ids=[event.pk]) == 1
    assert send_session_reminders(now=event.ends_at + 22 * DAY, event_ids=[event.pk]) == 0
    assert mails(event) == [(tenant_a.lead.email, "week_after")]


def test_no_evaluation_reminder_without_a_form_to_fill(tenant_a):
    event = past_event(tenant_a)
    attend(event, tenant_a.lead)
    assert send_session_reminders(now=event.ends_at + DAY) == 0
    form = give_form(tenant_a.collaborative)
    form.questions.update(is_active=False)
    assert send_session_reminders(now=event.ends_at + DAY) == 0


# --- bounded work, access, the task and the command ---------------------------------------


def test_the_scan_takes_a_fixed_number_of_queries(tenant_a):
    give_form(tenant_a.collaborative)
    now = timezone.now()

    def build(n):
        """n events of each sort (tomorrow, a module, a past one with a recording), each
        with three people registered and attending."""
        for i in range(n):
            starts = now + timedelta(hours=12, minutes=i)
            upcoming = make_event(tenant_a, starts_at=starts, ends_at=starts + DAY)
            past = past_event(
                tenant_a,
                recording_url=f"https://video.example/{i}",
                recording_posted_at=now - timedelta(hours=1),
            )
            module = make_event(
                tenant_a, kind=EventKind.MODULE, starts_at=now - DAY, ends_at=now + 5 * DAY
            )
            for j in range(3):
                person = member(tenant_a, f"p{n}-{i}-{j}@alpha.example")
                register(upcoming, person)
                attend(past, person)
                register(module, person)

    def count():
        with CaptureQueriesContext(connection) as queries:
            found = reminders_due(now=now)
        return len(queries), len(found)

    build(1)
    small = count()
    build(4)
    large = count()
    assert large[1] > small[1] * 3
    assert large[0] == small[0] <= 9


def test_who_sees_collaboratives_agrees_with_the_scoped_selector(tenant_a, tenant_b):
    left = member(tenant_a, "left@alpha.example")
    left.team_memberships.update(is_active=False)
    former_coach = UserFactory(email="former@alpha.example")
    ProgramMembershipFactory(
        program=tenant_a.program, user=former_coach, role=ProgramRole.COACH, is_active=False
    )
    people = [
        tenant_a.staff, tenant_a.coach, tenant_a.lead, tenant_a.member, tenant_b.member,
        tenant_b.staff, left, former_coach,
    ]  # fmt: skip
    collaboratives = [
        tenant_a.collaborative, tenant_a.recruiting, tenant_b.collaborative,
    ]  # fmt: skip
    expected = {
        (user.pk, c.pk)
        for user in people
        for c in collaboratives
        if collaboratives_visible_to(user=user).filter(pk=c.pk).exists()
    }
    assert (tenant_a.member.pk, tenant_a.collaborative.pk) in expected
    assert (
        who_sees_collaboratives(user_ids=[u.pk for u in people], collaboratives=collaboratives)
        == expected
    )


def test_the_task_runs_at_the_clock_and_the_command_replays(tenant_a, capsys):
    starts = timezone.now() + 20 * timedelta(hours=1)
    event = make_event(tenant_a, starts_at=starts, ends_at=starts + timedelta(hours=1))
    register(event, tenant_a.lead)
    assert send_due_session_reminders() == 1  # the clock is 20 hours before: 1-day reminder
    assert send_due_session_reminders() == 0
    call_command("send_session_reminders")
    assert "Queued 0 reminder(s)." in capsys.readouterr().out
    later = (starts + timedelta(minutes=5)).isoformat()
    call_command("send_session_reminders", "--at", later)
    assert "Queued 0 reminder(s)." in capsys.readouterr().out
    with pytest.raises(CommandError, match="ISO 8601"):
        call_command("send_session_reminders", "--at", "tomorrow")
    with pytest.raises(CommandError, match="offset"):
        call_command("send_session_reminders", "--at", "2026-12-01T09:00")
    assert mails(event) == [(tenant_a.lead.email, "day_before")]


def test_an_evaluation_reminder_links_to_the_evaluation_and_others_to_the_event(tenant_a):
    """The e-mail asks for an evaluation: its link opens the form, not the event page
    the person would have to search for the link on."""
    give_form(tenant_a.collaborative)
    event = past_event(tenant_a)
    attend(event, tenant_a.lead)
    assert send_session_reminders(now=event.ends_at + timedelta(minutes=1)) == 1
    body = OutboundEmail.objects.get(kind="evaluation_reminder").body_text
    evaluation = reverse("learning_sessions:event_evaluation", kwargs={"event_id": event.public_id})
    assert evaluation in body


def test_no_evaluation_reminder_to_someone_marked_absent(tenant_a):
    give_form(tenant_a.collaborative)
    event = past_event(tenant_a)
    Attendance.objects.create(
        program=event.program,
        event=event,
        user=tenant_a.lead,
        source=AttendanceSource.ROSTER,
        present=False,
    )
    assert send_session_reminders(now=event.ends_at + timedelta(minutes=1)) == 0
