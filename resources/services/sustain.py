"""Writes of share and sustain: a team's lessons learned, and staff's "print every
storyboard" runs (the work itself is resources.storyboard_batch, run by a task)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User
from collaboratives.models import Collaborative
from core import clock
from core.audit import audit_record
from teams.models import Team

from ..models import Storyboard, StoryboardBatch, StoryboardBatchStatus
from ..storyboard_batch import batch_teams, is_stale, stale_after
from ..tasks import render_storyboards


def enqueue_batch(batch_id: int) -> None:
    """Queue the run's task once the transaction commits (the worker must see the row)."""
    transaction.on_commit(lambda: render_storyboards.delay(batch_id))


#: Lessons learned fit a storyboard's page.
LESSONS_MAX_LENGTH = 4000


def storyboard_lessons_save(*, team: Team, actor: User, text: str) -> Storyboard:
    """Keep the team's lessons learned (the caller checked that `actor` is its lead);
    audited with the text's length, not the text."""
    text = (text or "").strip()
    if len(text) > LESSONS_MAX_LENGTH:
        raise ValidationError(
            {
                "lessons_learned": f"Keep the lessons to {LESSONS_MAX_LENGTH} characters "
                f"(this is {len(text)}): the storyboard is one page."
            }
        )
    with transaction.atomic():
        storyboard, _created = Storyboard.objects.select_for_update().get_or_create(
            team=team, defaults={"program_id": team.program_id}
        )
        storyboard.lessons_learned = text
        storyboard.updated_by = actor
        storyboard.save(update_fields=["lessons_learned", "updated_by", "updated_at"])
        audit_record(
            actor=actor,
            verb="storyboard.lessons_changed",
            target=storyboard,
            data={"team": team.name, "length": len(text)},
        )
    return storyboard


def storyboard_batch_start(*, collaborative: Collaborative, actor: User) -> StoryboardBatch:
    """Create and queue a run printing every active team's storyboard as one PDF (the
    caller checked that `actor` is the program's staff). ValidationError when there is
    no team or a run is already under way."""
    total = batch_teams(collaborative=collaborative).count()
    if total == 0:
        raise ValidationError("This collaborative has no active team yet.")
    try:
        with transaction.atomic():
            batch = StoryboardBatch.objects.create(
                program_id=collaborative.program_id,
                collaborative=collaborative,
                total=total,
                requested_by=actor,
                progress_at=clock.now(),
            )
            audit_record(
                actor=actor,
                verb="storyboard_batch.started",
                target=batch,
                data={"collaborative": collaborative.title, "teams": total},
            )
            enqueue_batch(batch.pk)
    except IntegrityError:
        raise ValidationError(
            "The storyboards of this collaborative are already being prepared: wait for them."
        ) from None
    return batch


def storyboard_batch_resume(*, batch: StoryboardBatch, actor: User) -> None:
    """Queue a stalled run again (its worker died); it renders only the teams it had not
    rendered, and still stores one PDF."""
    with transaction.atomic():
        locked = StoryboardBatch.objects.select_for_update().get(pk=batch.pk)
        if not locked.is_active:
            raise ValidationError("This run has finished; there is nothing to resume.")
        if not is_stale(locked):
            minutes = max(1, int(stale_after().total_seconds() // 60))
            raise ValidationError(
                "This run is still moving: it can be resumed only after "
                f"{minutes} minute{'s' if minutes != 1 else ''} without progress."
            )
        locked.progress_at = clock.now()
        locked.status = StoryboardBatchStatus.QUEUED
        locked.save(update_fields=["progress_at", "status"])
        audit_record(actor=actor, verb="storyboard_batch.resumed", target=locked)
        enqueue_batch(locked.pk)
