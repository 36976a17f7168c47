"""The demo people's inboxes: the notices the demo's seeded events would have made.

The demo seeds comments, reviews and cycles as rows (demo.pdsa, demo.measures), not
through the services, which would queue e-mails to the demo people. So each event
seeded there gets here the notice its producer would have created, through the one
writer of notices (core.inbox.notice_create), titled by the same e-mail subject
template and opening the same page, dated when the event happened. The dedupe keys
are the producers' own, so seeding again adds nothing.
"""

from datetime import date, datetime

from django.urls import reverse

from core.emails import render_email
from core.inbox import notice_create
from core.models import Notification
from measures.models import Submission, SubmissionStatus
from pdsa.models import CommentReceipt, Cycle
from pdsa.stages import stage_label
from pdsa.timeline import cycle_url
from teams.models import CoachAssignment, TeamMembership

from .world import DemoResult, DemoWorld

#: The people whose inbox the demo fills: the team lead and member, and the coach.
TEAM_PEOPLE = ("lead@demo.example", "member@demo.example")
COACH = "coach@demo.example"

#: How many of each kind of notice a person gets (the newest events).
PER_KIND = 4


def _notice(user, *, kind, template, context, url, key, at: datetime, read: bool, result):
    title = render_email(template, context)[0]
    notice = notice_create(
        recipient=user,
        kind=kind,
        title=title,
        url=url,
        program=context["program"],
        dedupe_key=key,
    )
    result.count(notice is not None)
    if notice is not None:
        Notification.objects.filter(pk=notice.pk).update(
            created_at=at, read_at=at if read else None
        )


def seed(world: DemoWorld, result: DemoResult, *, today: date) -> None:
    """Comments on the team people's cycles and their team's reviewed months; months
    submitted to the coach and cycles waiting for the coach's feedback."""
    for email in TEAM_PEOPLE:
        _seed_team_person(world.users[email], result)
    _seed_coach(world.users[COACH], result)


def _seed_team_person(user, result: DemoResult) -> None:
    receipts = (
        CommentReceipt.objects.filter(user=user)
        .select_related("comment__author", "cycle", "team__program", "team__collaborative")
        .order_by("-comment__created_at")[:PER_KIND]
    )
    for receipt in receipts:
        comment, cycle, team = receipt.comment, receipt.cycle, receipt.team
        _notice(
            user,
            kind="pdsa_comment",
            template="pdsa_comment",
            context={
                "comment": comment,
                "cycle": cycle,
                "team": team,
                "program": team.program,
                "author": comment.author.display_name,
                "recipient": user,
            },
            url=cycle_url(team, cycle.public_id),
            key=f"pdsa-comment:{comment.public_id}:{user.public_id}",
            at=comment.created_at,
            read=receipt.read_at is not None,
            result=result,
        )
    teams = TeamMembership.objects.filter(user=user, is_active=True).values("team_id")
    reviewed = (
        Submission.objects.filter(
            team_id__in=teams, status=SubmissionStatus.REVIEWED, reviewed_at__isnull=False
        )
        .select_related("team__program", "period", "reviewed_by")
        .order_by("-reviewed_at")[:PER_KIND]
    )
    for n, submission in enumerate(reviewed):
        team, period = submission.team, submission.period
        _notice(
            user,
            kind="data_reviewed",
            template="measures_reviewed",
            context={
                "recipient": user,
                "team": team,
                "period": period,
                "reviewer": submission.reviewed_by.display_name if submission.reviewed_by else "",
                "returned": False,
                "program": team.program,
            },
            url=reverse(
                "measures:period",
                kwargs={"team_id": team.public_id, "period_id": period.public_id},
            ),
            key=f"measures-review:{submission.public_id}:demo:{user.public_id}",
            at=submission.reviewed_at,
            read=n > 0,  # the newest is unread
            result=result,
        )


def _seed_coach(coach, result: DemoResult) -> None:
    teams = CoachAssignment.objects.filter(coach=coach).values("team_id")
    submitted = (
        Submission.objects.filter(
            team_id__in=teams, status=SubmissionStatus.SUBMITTED, submitted_at__isnull=False
        )
        .select_related("team__program", "period", "submitted_by")
        .order_by("-submitted_at")[:PER_KIND]
    )
    for submission in submitted:
        team, period = submission.team, submission.period
        _notice(
            coach,
            kind="data_submitted",
            template="measures_submitted",
            context={
                "recipient": coach,
                "team": team,
                "period": period,
                "submitter": submission.submitted_by.display_name
                if submission.submitted_by
                else team.name,
                "submission": submission,
                "program": team.program,
            },
            url=reverse(
                "measures:period",
                kwargs={"team_id": team.public_id, "period_id": period.public_id},
            ),
            key=f"measures-submitted:{submission.public_id}:demo:{coach.public_id}",
            at=submission.submitted_at,
            read=False,
            result=result,
        )
    waiting = (
        Cycle.objects.filter(
            team_id__in=teams, awaiting_feedback_since__isnull=False, deleted_at__isnull=True
        )
        .select_related("team__program", "team__collaborative", "updated_by")
        .order_by("-awaiting_feedback_since")[:PER_KIND]
    )
    for cycle in waiting:
        team = cycle.team
        since = int(cycle.awaiting_feedback_since.timestamp())
        _notice(
            coach,
            kind="pdsa_feedback",
            template="pdsa_feedback",
            context={
                "recipient": coach,
                "cycle": cycle,
                "team": team,
                "program": team.program,
                "author": cycle.updated_by.display_name if cycle.updated_by else team.name,
                "stage": stage_label(cycle.stage),
            },
            url=cycle_url(team, cycle.public_id),
            key=f"pdsa-feedback:{cycle.public_id}:{since}:{coach.public_id}",
            at=cycle.awaiting_feedback_since,
            read=False,
            result=result,
        )
