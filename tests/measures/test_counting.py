"""The counting rules of monthly data (issue 12, items 1 and 2), in one place each:

* a period is submitted only once it has ended (measures.periods.has_ended), whoever
  asks and however (service, page, API); values can be saved as a draft before;
* "late" is about the team's first hand-in against its due date (core.deadlines), and
  a team owes only the periods that end on or after the day it joined.
"""

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from core import clock
from core.clock import month_end
from core.models import OutboundEmail
from measures import services
from measures.models import Submission, SubmissionStatus
from measures.periods import has_ended, not_ended_message
from measures.reminders import reminders_due_across_all_programs
from measures.selectors import submission_grid, team_period_statuses
from measures.validation import Entry, entry_field
from teams.due import due_next
from teams.models import TeamStatus
from teams.services import team_approve
from tests.clock import instant, label, month
from tests.factories import TeamFactory, TeamMembershipFactory

from .conftest import client_for

pytestmark = pytest.mark.django_db


def D(x) -> Decimal:
    return Decimal(str(x))


def first_of_next_month_words() -> str:
    """ "1 January 2027" on the suite's default day: when this month can be submitted."""
    return f"1 {label(month(1))}"


def save(world, period, *, actor=None, submit=False, team=None):
    return services.period_save(
        team=team or world.t.team,
        period=period,
        actor=actor or world.t.lead,
        entries={world.m1: Entry(D(7), D(10))},
        submit=submit,
        team_set=[(world.m1, "required")],
    )


def status_of(team, period):
    return next(s for s in team_period_statuses(team=team) if s.period.pk == period.pk)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# --- a period is submitted only once it has ended ------------------------------------------


def test_has_ended_from_the_day_after_the_last_day():
    december = SimpleNamespace(start=month(0), end=month_end(month(0)), label=label(month(0)))
    assert not has_ended(december, today=december.end)
    assert has_ended(december, today=december.end + timedelta(days=1))
    assert not_ended_message(december) == (
        f"{label(month(0))} can be submitted from {first_of_next_month_words()}, once it has ended."
    )


def test_a_running_month_is_saved_as_a_draft_but_not_submitted(world):
    current = world.periods[month(0)]
    assert save(world, current).submission.status == SubmissionStatus.DRAFT
    with pytest.raises(ValidationError) as error:
        save(world, current, submit=True)
    assert error.value.messages == [not_ended_message(current)]
    assert f"can be submitted from {first_of_next_month_words()}" in error.value.messages[0]
    assert Submission.objects.get(team=world.t.team, period=current).status == "draft"
    assert not OutboundEmail.objects.filter(to_email=world.t.coach.email).exists()


def test_a_running_month_returned_by_the_coach_cannot_be_handed_in_again(world):
    """On 6 December, December was submitted by the lead, returned by the coach and
    submitted again by a member: the second hand-in is refused too."""
    current = world.periods[month(0)]
    Submission.objects.create(
        program=world.t.program,
        collaborative=world.t.collaborative,
        team=world.t.team,
        period=current,
        status=SubmissionStatus.RETURNED,
        submitted_at=clock.now() - timedelta(hours=2),
        submitted_by=world.t.lead,
        review_comment="Check the numerator.",
    )
    with pytest.raises(ValidationError, match="once it has ended"):
        save(world, current, actor=world.t.member, submit=True)
    assert Submission.objects.get(team=world.t.team, period=current).status == "returned"


def test_the_month_just_ended_can_be_submitted(world):
    last = world.periods[month(-1)]
    assert save(world, last, submit=True).submission.status == SubmissionStatus.SUBMITTED


def test_the_period_page_says_why_and_until_when_it_cannot_be_submitted(world):
    current = world.periods[month(0)]
    url = reverse(
        "measures:period",
        kwargs={"team_id": world.t.team.public_id, "period_id": current.public_id},
    )
    client = client_for(world.t.lead)
    page = client.get(url).content.decode()
    assert not_ended_message(current) in page
    assert "Until then, save your values as a draft." in page
    assert 'name="submit"' not in page and 'disabled aria-describedby="submit-rule"' in page
    assert "How this is counted" in page

    # A hand-made POST is refused with the same words; the values are not saved either.
    data = {entry_field(world.m1, "numerator"): "7", entry_field(world.m1, "denominator"): "10"}
    refused = client.post(url, {**data, "submit": "1"})
    assert refused.status_code == 200
    assert not_ended_message(current) in refused.content.decode()
    assert not Submission.objects.filter(team=world.t.team, period=current).exists()

    last = world.periods[month(-1)]
    ended = client.get(url.replace(str(current.public_id), str(last.public_id))).content.decode()
    assert 'name="submit"' in ended and "can be submitted from" not in ended


def test_the_api_refuses_to_submit_a_period_that_has_not_ended(world):
    current = world.periods[month(0)]
    team = world.t.team.public_id
    client = api(world.t.lead)
    entered = client.post(
        f"/api/v1/teams/{team}/data-points/",
        {"measure": str(world.m1.public_id), "period": str(current.public_id), "numerator": 7,
         "denominator": 10},
        format="json",
    )  # fmt: skip
    assert entered.status_code == 201  # values may be entered as the month goes
    response = client.post(f"/api/v1/teams/{team}/submissions/{current.public_id}/submit/")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["period"] == [not_ended_message(current)]
    assert Submission.objects.get(team=world.t.team, period=current).status == "draft"
    listing = client.get(f"/api/v1/teams/{team}/submissions/").json()
    running = next(p for p in listing if p["period"]["id"] == str(current.public_id))
    assert running["can_submit"] is False


def test_what_is_due_never_asks_to_submit_a_running_month(world):
    """A team approved today owes only this month: the item says when it can be submitted."""
    team = approved_today(world)
    member = TeamMembershipFactory(team=team, program=team.program).user
    items = [i for i in due_next(team=team, user=member) if "data" in i.title]
    assert [i.title for i in items] == [f"Enter {label(month(0))}'s data"]
    assert "submit them to your coach" not in items[0].detail
    assert f"can be submitted from {first_of_next_month_words()}" in items[0].detail


def test_no_reminder_asks_to_submit_a_period_before_it_ends(world):
    """A period due soon after its end (here: a week from today, before its end) is not
    reminded about while it runs."""
    current = world.periods[month(0)]
    current.due_date = clock.today() + timedelta(days=7)
    current.save()
    assert current.end >= clock.today()
    assert reminders_due_across_all_programs(today=clock.today()) == []


# --- late: the first hand-in, against the due date that applied to the team ----------------


def test_a_period_handed_in_on_time_stays_on_time_when_the_coach_returns_it(world):
    may = world.may
    with time_machine.travel(instant(may.due_date - timedelta(days=3)), tick=True):
        save(world, may, submit=True)
    submission = Submission.objects.get(team=world.t.team, period=may)
    services.submission_review(
        submission=submission, actor=world.t.coach, decision="returned", comment="Check May."
    )
    returned = status_of(world.t.team, may)
    assert returned.status == SubmissionStatus.RETURNED
    assert not returned.is_late and not returned.is_overdue

    # Handed in again after the due date: still judged by the first hand-in.
    save(world, may, actor=world.t.member, submit=True)
    submission.refresh_from_db()
    assert submission.first_submitted_at.date() == may.due_date - timedelta(days=3)
    assert submission.submitted_at > submission.first_submitted_at
    assert not status_of(world.t.team, may).is_late


def test_a_period_first_handed_in_after_its_due_date_stays_late(world):
    may = world.may
    save(world, may, submit=True)  # today, months after 15 June
    submission = Submission.objects.get(team=world.t.team, period=may)
    services.submission_review(submission=submission, actor=world.t.coach, decision="reviewed")
    reviewed = status_of(world.t.team, may)
    assert reviewed.status == SubmissionStatus.REVIEWED and reviewed.is_late
    assert not reviewed.is_overdue  # late, but nothing is waiting for the team


def test_the_pages_and_the_api_keep_a_returned_on_time_period_on_time(world):
    may = world.may
    with time_machine.travel(instant(may.due_date - timedelta(days=3)), tick=True):
        save(world, may, submit=True)
    services.submission_review(
        submission=Submission.objects.get(team=world.t.team, period=may),
        actor=world.t.coach,
        decision="returned",
        comment="Check May.",
    )
    url = reverse(
        "measures:period", kwargs={"team_id": world.t.team.public_id, "period_id": may.public_id}
    )
    page = client_for(world.t.lead).get(url).content.decode()
    assert "Returned by" in page and "status-tag--late" not in page
    listing = api(world.t.lead).get(f"/api/v1/teams/{world.t.team.public_id}/submissions/")
    row = next(p for p in listing.json() if p["period"]["id"] == str(may.public_id))
    assert row["status"] == "returned" and row["is_late"] is False
    assert row["first_submitted_at"] is not None
    home = client_for(world.t.lead).get(
        reverse("measures:team_measures", kwargs={"team_id": world.t.team.public_id})
    )
    statuses = home.context["statuses"]
    assert may not in [s.period for s in home.context["late"]]
    assert next(s for s in statuses if s.period == may).status == "returned"


def approved_today(world):
    """A team whose application staff approve today (decided_at: now)."""
    team = TeamFactory(
        collaborative=world.t.collaborative, program=world.t.program, status=TeamStatus.APPLIED
    )
    return team_approve(team=team, actor=world.t.staff)


def test_a_team_approved_today_is_not_late_for_the_months_before_it_joined(world):
    team = approved_today(world)
    statuses = team_period_statuses(team=team)
    before = [s for s in statuses if s.period.end < clock.today()]
    assert before and not any(s.is_late for s in before)
    assert not any(s.is_owed for s in before)
    running = status_of(team, world.periods[month(0)])
    assert running.is_owed and not running.is_late
    assert running.due_date == world.periods[month(0)].due_date

    grid = submission_grid(collaborative=world.t.collaborative, teams=[team])
    assert grid.late_count == 0
    # The team that was there from the start still counts its own late months.
    assert submission_grid(collaborative=world.t.collaborative, teams=[world.t.team]).late_count


def test_the_status_page_and_api_do_not_count_months_before_a_team_joined(world):
    team = approved_today(world)
    page = client_for(world.t.staff).get(
        reverse("measures:status", kwargs={"collaborative_id": world.t.collaborative.public_id})
    )
    html = page.content.decode()
    assert "Before the team joined" in html and "How this is counted" in html
    grid = page.context["grid"]
    late_by_team = {t.pk: sum(1 for c in cells if c.is_late) for t, cells in grid.rows}
    assert late_by_team[team.pk] == 0
    assert f"{grid.late_count} period" in html and grid.late_count == sum(late_by_team.values())

    url = f"/api/v1/collaboratives/{world.t.collaborative.public_id}/submission-status/"
    rows = {r["team_name"]: r for r in api(world.t.staff).get(url).json()["results"]}
    assert rows[team.name]["late"] == 0
    earlier = [p for p in rows[team.name]["periods"] if p["period"]["start"] < str(month(0))]
    assert earlier and all(not p["is_owed"] and not p["is_late"] for p in earlier)


def test_reminders_skip_teams_that_joined_after_the_period_and_returned_periods(world):
    day_after = world.may.due_date + timedelta(days=1)
    team = approved_today(world)
    TeamMembershipFactory(team=team, program=team.program, role="lead")
    with time_machine.travel(instant(day_after), tick=True):
        teams = {r.team.pk for r in reminders_due_across_all_programs(today=day_after)}
    assert team.pk not in teams  # May ended long before it joined
    assert world.t.team.pk in teams

    # Handed in on time, then returned by the coach: not overdue.
    with time_machine.travel(instant(world.may.due_date - timedelta(days=2)), tick=True):
        save(world, world.may, submit=True)
    services.submission_review(
        submission=Submission.objects.get(team=world.t.team, period=world.may),
        actor=world.t.coach,
        decision="returned",
        comment="Check May.",
    )
    teams = {r.team.pk for r in reminders_due_across_all_programs(today=day_after)}
    assert world.t.team.pk not in teams


def test_existing_hand_ins_are_backfilled_from_the_audit_trail(world):
    """The migration: a period returned and handed in again keeps its first hand-in."""
    import importlib

    from django.apps import apps

    from core.models import AuditEvent

    migration = importlib.import_module("measures.migrations.0002_submission_first_submitted_at")
    may = world.may
    with time_machine.travel(instant(may.due_date - timedelta(days=3)), tick=True):
        save(world, may, submit=True)
    save(world, may, actor=world.t.staff, submit=True)  # staff hand it in again today
    submission = Submission.objects.get(team=world.t.team, period=may)
    Submission.objects.filter(pk=submission.pk).update(first_submitted_at=None)
    april = Submission.objects.get(team=world.t.team, period=world.april)
    Submission.objects.filter(pk=april.pk).update(first_submitted_at=None)
    assert AuditEvent.objects.filter(verb="submission.submitted").count() == 2

    migration.backfill_first_submitted_at(apps, None)
    submission.refresh_from_db()
    april.refresh_from_db()
    assert submission.first_submitted_at.date() == may.due_date - timedelta(days=3)
    assert april.first_submitted_at == april.submitted_at  # no audit event: its last hand-in
