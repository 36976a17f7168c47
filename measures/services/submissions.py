"""A period's submission: save the grid, hand it in, and the coach's review.

Saving is all or nothing (one wrong number refuses the whole grid). Values can be saved
(as a draft) from the day a period starts; handing in waits until it has ended
(measures.periods.has_ended), whoever asks and however (page, API). Handing in checks
that every required measure has a value or a note saying why, records when the period
was first handed in (lateness is judged by that), then tells the team's coaches by
e-mail; the review marks it reviewed or returns it to the team with a comment, and
tells the team's leads and data contacts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import User
from core import clock
from core.audit import audit_record
from core.emails import Recipient, absolute_url, email_enqueue
from teams.models import Team, TeamMembership, TeamRole
from teams.selectors import team_coaches

from ..models import (
    DataPoint,
    DataPointRevision,
    DataSource,
    Measure,
    ReportingPeriod,
    Submission,
    SubmissionStatus,
)
from ..periods import has_ended, not_ended_message
from ..validation import Entry, entry_field, value_problems
from ._common import lock_submission, refuse_if_handed_in, write_entry
from .values import period_problem

NARRATIVE_FIELDS = ("tested", "learned", "barriers", "wins")
NARRATIVE_MAX_LENGTH = 5000
REVIEW_COMMENT_MAX_LENGTH = 5000


@dataclass
class SaveResult:
    submission: Submission
    changed: int
    submitted: bool
    #: The coaches e-mailed about the submission (none when the team has no coach yet).
    emailed: tuple[Recipient, ...] = ()


def _period_path(team: Team, period: ReportingPeriod) -> str:
    return reverse(
        "measures:period", kwargs={"team_id": team.public_id, "period_id": period.public_id}
    )


def _coach_url(team: Team, period: ReportingPeriod) -> str:
    return absolute_url(_period_path(team, period))


def _notify_coaches(submission: Submission, actor: User) -> tuple[Recipient, ...]:
    """E-mail the team's coaches; returns who was e-mailed, for the page to say."""
    team, period = submission.team, submission.period
    stamp = int(submission.submitted_at.timestamp())
    sent = []
    for assignment in team_coaches(team=team):
        coach = assignment.coach
        if not coach.is_active or not coach.email:
            continue
        email_enqueue(
            to=coach.email,
            template="measures_submitted",
            context={
                "recipient": coach,
                "team": team,
                "period": period,
                "submitter": actor.display_name,
                "submission": submission,
                "program": team.program,
                "url": _coach_url(team, period),
            },
            program=team.program,
            dedupe_key=f"measures-submitted:{submission.public_id}:{stamp}:{coach.public_id}",
            kind="data_submitted",
            notice_url=_period_path(team, period),
        )
        sent.append(Recipient.of(coach, "coach"))
    return tuple(sent)


def _team_recipients(team: Team, also: User | None = None) -> list[tuple[User, str]]:
    """The team's leads and data contacts (and whoever submitted), each with what they
    are to the team ("lead", "data contact", "submitter"), for review notices."""
    people = {
        m.user.pk: (m.user, "data contact" if m.role == TeamRole.DATA_CONTACT else "lead")
        for m in TeamMembership.objects.filter(
            team=team, is_active=True, role__in=(TeamRole.LEAD, TeamRole.DATA_CONTACT)
        ).select_related("user")
        if m.user.is_active
    }
    if also is not None and also.is_active and also.pk not in people:
        people[also.pk] = (also, "submitter")
    return list(people.values())


def submission_problems(
    *, team: Team, period: ReportingPeriod, measures: Iterable[tuple[Measure, str]]
) -> dict[str, str]:
    """Field -> message for required measures without a value or a note saying why."""
    points = {
        p.measure_id: p
        for p in DataPoint.objects.filter(team=team, period=period, deleted_at__isnull=True)
    }
    problems = {}
    for measure, requirement in measures:
        if requirement != "required" or measure.frequency != period.frequency:
            continue
        point = points.get(measure.pk)
        if point is None:
            problems[entry_field(measure, "numerator" if measure.is_ratio else "value")] = (
                f"{measure.short_name} is required: enter it, or write a note saying why "
                "there is no value this period."
            )
    return problems


@transaction.atomic
def period_save(
    *,
    team: Team,
    period: ReportingPeriod,
    actor: User,
    entries: Mapping[Measure, Entry],
    narrative: Mapping[str, str] | None = None,
    submit: bool = False,
    team_set: Iterable[tuple[Measure, str]] = (),
    source: str = DataSource.ENTRY,
) -> SaveResult:
    """Save the period grid: every value (with its history), the narrative, and, when
    `submit`, hand the period in and tell the team's coaches by e-mail.

    All or nothing: one wrong number refuses the whole save, with the message at its
    field. A submitted or reviewed period is closed to the team (staff may correct it).
    `team_set` lists (measure, "required"/"optional"/"custom") for the completeness
    check on submission. Submitting a period that has not ended is refused (nothing
    is saved): save it as a draft until then.
    """
    if submit and not has_ended(period):
        raise ValidationError(not_ended_message(period))
    problems: dict[str, str] = {}
    for measure, entry in entries.items():
        problem = period_problem(team=team, period=period, measure=measure)
        if problem:
            raise ValidationError(problem)
        for field, message in value_problems(measure, entry).items():
            problems[entry_field(measure, field)] = message
    narrative = {k: (v or "").strip() for k, v in (narrative or {}).items()}
    for key, text in narrative.items():
        if key not in NARRATIVE_FIELDS:
            raise ValueError(f"unknown narrative field {key}")
        if len(text) > NARRATIVE_MAX_LENGTH:
            problems[key] = f"Keep this under {NARRATIVE_MAX_LENGTH:,} characters."
    if problems:
        raise ValidationError(problems)

    submission = lock_submission(team, period)
    refuse_if_handed_in(submission, period, actor, team)
    if submission is None:
        try:
            with transaction.atomic():
                submission = Submission.objects.create(
                    program_id=team.program_id,
                    collaborative_id=team.collaborative_id,
                    team=team,
                    period=period,
                    updated_by=actor,
                )
        except IntegrityError:  # created by a concurrent save: lock it instead
            submission = lock_submission(team, period)
    existing = {
        p.measure_id: p
        for p in DataPoint.objects.select_for_update().filter(team=team, period=period)
    }
    revisions = []
    for measure, entry in entries.items():
        _, revision = write_entry(
            team=team,
            measure=measure,
            period=period,
            existing=existing.get(measure.pk),
            entry=entry,
            actor=actor,
            source=source,
        )
        if revision is not None:
            revisions.append(revision)
    DataPointRevision.objects.bulk_create(revisions)
    for key, text in narrative.items():
        setattr(submission, key, text)
    submission.updated_by = actor

    submitted = False
    if submit:
        # A note alone (no value) is stored too, and explains a missing required value.
        missing = submission_problems(team=team, period=period, measures=team_set)
        if missing:
            raise ValidationError(missing)
        submission.status = SubmissionStatus.SUBMITTED
        submission.submitted_at = clock.now()
        if submission.first_submitted_at is None:
            submission.first_submitted_at = submission.submitted_at
        submission.submitted_by = actor
        submission.reviewed_at = None
        submission.reviewed_by = None
        submitted = True
    submission.save()
    emailed: tuple[Recipient, ...] = ()
    if submitted:
        emailed = _notify_coaches(submission, actor)
        audit_record(
            actor=actor,
            verb="submission.submitted",
            target=submission,
            data={"period": str(period.start), "changed": len(revisions), "notified": len(emailed)},
        )
    elif revisions or narrative:
        audit_record(
            actor=actor,
            verb="submission.saved",
            target=submission,
            data={"period": str(period.start), "changed": len(revisions)},
        )
    return SaveResult(
        submission=submission, changed=len(revisions), submitted=submitted, emailed=emailed
    )


@transaction.atomic
def submission_submit(
    *, team: Team, period: ReportingPeriod, actor: User, team_set: Iterable[tuple[Measure, str]]
) -> Submission:
    """Hand in the period as it stands (API): the values were entered one by one."""
    return period_save(
        team=team, period=period, actor=actor, entries={}, submit=True, team_set=list(team_set)
    ).submission


@transaction.atomic
def submission_review(
    *, submission: Submission, actor: User, decision: str, comment: str = ""
) -> Submission:
    """The coach (or staff) marks a submitted period reviewed, or returns it with a
    comment so that the team corrects it; the team's leads and data contacts (and whoever
    submitted) hear about it by e-mail. The returned submission carries `emailed`: the
    people an e-mail was queued for, for the page to say."""
    comment = (comment or "").strip()
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if decision not in ("reviewed", "returned"):
        raise ValidationError({"decision": "Choose reviewed or returned."})
    if len(comment) > REVIEW_COMMENT_MAX_LENGTH:
        raise ValidationError(
            {"comment": f"Keep the comment under {REVIEW_COMMENT_MAX_LENGTH:,} characters."}
        )
    if decision == "returned" and not comment:
        raise ValidationError({"comment": "Say what the team should change before returning it."})
    allowed = (
        (SubmissionStatus.SUBMITTED,)
        if decision == "reviewed"
        else (SubmissionStatus.SUBMITTED, SubmissionStatus.REVIEWED)
    )
    if locked.status not in allowed:
        raise ValidationError(
            f"{locked.period.label} is {locked.get_status_display().lower()}: only a "
            "submitted period can be "
            f"{'marked reviewed' if decision == 'reviewed' else 'returned'}."
        )
    locked.status = (
        SubmissionStatus.REVIEWED if decision == "reviewed" else SubmissionStatus.RETURNED
    )
    locked.reviewed_at = clock.now()
    locked.reviewed_by = actor
    locked.review_comment = comment
    locked.save()
    team, period = locked.team, locked.period
    stamp = int(locked.reviewed_at.timestamp())
    recipients = _team_recipients(team, also=locked.submitted_by)
    for person, _ in recipients:
        email_enqueue(
            to=person.email,
            template="measures_reviewed",
            context={
                "recipient": person,
                "team": team,
                "period": period,
                "reviewer": actor.display_name,
                "returned": decision == "returned",
                "comment": comment,
                "program": team.program,
                "url": _coach_url(team, period),
            },
            program=team.program,
            dedupe_key=f"measures-review:{locked.public_id}:{stamp}:{person.public_id}",
            kind="data_reviewed",
            notice_url=_period_path(team, period),
        )
    audit_record(
        actor=actor,
        verb=f"submission.{decision}",
        target=locked,
        data={"period": str(period.start), "comment": comment[:500]},
    )
    submission.status, submission.review_comment = locked.status, locked.review_comment
    submission.reviewed_at, submission.reviewed_by = locked.reviewed_at, locked.reviewed_by
    locked.emailed = tuple(Recipient.of(person, role) for person, role in recipients)
    return locked
