"""Comments on a cycle: a receipt per person in the conversation (their unread
marker), one e-mail each, and the end of the cycle's wait for feedback."""

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from accounts.selectors import coach_program_ids
from core import clock
from core.audit import audit_record
from core.bulk_changes import bulk_data_changed
from core.emails import Recipient, absolute_url, email_enqueue
from teams.models import CoachAssignment, TeamMembership, TeamRole
from teams.selectors import WORKING_ROLES

from ..models import Comment, CommentReceipt, Cycle
from ..stages import stage_label, stages_up_to
from ..timeline import cycle_url

#: Long enough for a thorough note, short enough to keep pages readable.
COMMENT_MAX_LENGTH = 5_000


def _role_noun(role: str) -> str:
    """ "lead", "member", "data contact": a team role as a message names it."""
    return TeamRole(role).label.lower().removeprefix("team ")


def _recipients(cycle: Cycle, author: User) -> list[tuple[User, str]]:
    """The conversation circle, each with their role: the team's working members and
    its assigned coaches (while they hold the coach role), minus the author."""
    members = TeamMembership.objects.filter(
        team_id=cycle.team_id,
        program_id=cycle.program_id,
        is_active=True,
        role__in=WORKING_ROLES,
        user__is_active=True,
    ).select_related("user")
    people = {m.user_id: (m.user, _role_noun(m.role)) for m in members}
    coaches = CoachAssignment.objects.filter(
        team_id=cycle.team_id, program_id=cycle.program_id, coach__is_active=True
    ).select_related("coach")
    for assignment in coaches:
        if cycle.program_id in coach_program_ids(user=assignment.coach):
            people.setdefault(assignment.coach_id, (assignment.coach, "coach"))
    people.pop(author.pk, None)
    return sorted(people.values(), key=lambda pair: pair[0].email)


@transaction.atomic
def comment_create(
    *, cycle: Cycle, actor: User, body: str, stage: str = "", by_coach: bool
) -> Comment:
    """Add a comment on a cycle (or one of its stages) and tell the team by e-mail.

    Each recipient gets a receipt (their unread marker) and one e-mail, queued
    after commit and sent by the Celery worker. A comment by a coach or program
    staff member ends the cycle's wait for feedback. The returned comment carries
    `emailed`: the people an e-mail was queued for (none when nobody else is in the
    conversation yet), so that the page says who was told.
    """
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Write the comment before sending it."})
    if len(body) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {"body": f"A comment can be at most {COMMENT_MAX_LENGTH:,} characters."}
        )
    if stage and stage not in stages_up_to(cycle.stage):
        raise ValidationError({"stage": "Comment on a stage the cycle has reached."})
    if cycle.deleted_at is not None:
        raise ValidationError("This cycle was deleted; comments are closed.")
    comment = Comment.objects.create(
        program_id=cycle.program_id,
        team_id=cycle.team_id,
        cycle=cycle,
        stage=stage,
        author=actor,
        body=body,
        by_coach=by_coach,
    )
    circle = _recipients(cycle, actor)
    recipients = [person for person, _ in circle]
    CommentReceipt.objects.bulk_create(
        CommentReceipt(
            program_id=cycle.program_id,
            team_id=cycle.team_id,
            comment=comment,
            cycle=cycle,
            user=person,
        )
        for person in recipients
    )
    if by_coach:
        Cycle.objects.filter(pk=cycle.pk).update(awaiting_feedback_since=None)
        cycle.awaiting_feedback_since = None
    team = cycle.team
    path = cycle_url(team, cycle.public_id)
    for person in recipients:
        email_enqueue(
            to=person.email,
            template="pdsa_comment",
            context={
                "comment": comment,
                "cycle": cycle,
                "team": team,
                "program": team.program,
                "author": actor.display_name,
                "stage": stage_label(stage) if stage else "",
                "recipient": person,
                "cycle_url": absolute_url(path),
            },
            program=team.program,
            dedupe_key=f"pdsa-comment:{comment.public_id}:{person.public_id}",
            kind="pdsa_comment",
            notice_url=path,
        )
    comment.emailed = tuple(Recipient.of(person, role) for person, role in circle)
    audit_record(
        actor=actor,
        verb="pdsa_comment.created",
        target=comment,
        data={"cycle": str(cycle.public_id), "stage": stage, "notified": len(recipients)},
    )
    return comment


def comments_mark_read(*, cycle: Cycle, user: User) -> int:
    """Mark the person's comments on this cycle as read (they opened it). The update
    sends no model signals: the dashboards' unread counts are told explicitly."""
    marked = CommentReceipt.objects.filter(
        program_id=cycle.program_id, cycle=cycle, user=user, read_at__isnull=True
    ).update(read_at=clock.now())
    if marked:
        bulk_data_changed(team_ids=[cycle.team_id])
    return marked
