"""Staff's "print every team's storyboard as one PDF": the work of the task
(resources.tasks.render_storyboards), whose progress the browser polls.

Why it stores one PDF, even when a worker dies or a run is resumed while its first
worker was only slow:
- each worker that (re)starts the run bumps `attempts` under the row's lock and keeps
  its number; every progress step is a conditional UPDATE on that number, so a worker
  that has been superseded stops at its next team;
- the finished PDF is stored under the row's lock, only by the current worker of a
  run still running; a late redelivery of a finished run does nothing.
A restarted run renders only the teams it has not rendered yet: each team's printable
page is kept (StoryboardBatchPage) in the same transaction that counts it done, and a
resumed run reads the kept pages instead of the teams' records. It still lays every
page out again to join them into one document: WeasyPrint joins only documents it laid
out itself, not stored PDFs (and the project has no PDF library at run time). The kept
pages are deleted once the PDF is stored or the run fails.
The task re-reads the teams and checks that the person who asked is still the
program's staff: a run asked for by someone who lost the role fails.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, QuerySet

from accounts.selectors import is_program_staff
from collaboratives.models import Collaborative
from core import clock
from teams.models import Team, TeamStatus

from .models import StoryboardBatch, StoryboardBatchPage, StoryboardBatchStatus
from .storyboard import (
    StoryboardViewer,
    join_documents,
    render_documents,
    storyboard_context,
    storyboard_pdf_html,
)

ACTIVE = (StoryboardBatchStatus.QUEUED, StoryboardBatchStatus.RUNNING)
#: Staff print every ramp of every team (they see every team's records).
STAFF_VIEW = StoryboardViewer(insider=True, can_edit_lessons=False)


def stale_after() -> timedelta:
    """How long a run may go without progress before staff may resume it."""
    return timedelta(seconds=getattr(settings, "STORYBOARDS_STALE_AFTER", 600))


def is_stale(batch: StoryboardBatch) -> bool:
    if batch.status not in ACTIVE:
        return False
    last = batch.progress_at or batch.started_at or batch.created_at
    return clock.now() - last >= stale_after()


def batch_teams(*, collaborative: Collaborative) -> QuerySet[Team]:
    """The teams a run prints, in the order of the PDF: the active teams by name."""
    return (
        Team.objects.filter(
            program_id=collaborative.program_id,
            collaborative=collaborative,
            status=TeamStatus.ACTIVE,
        )
        .select_related("collaborative", "program", "facility")
        .order_by("name", "pk")
    )


def _kept_pages(batch_id: int, teams: list[Team]) -> dict[int, str]:
    """{team pk: printable HTML} of the teams this run already rendered."""
    return dict(
        StoryboardBatchPage.objects.filter(
            batch_id=batch_id, team_id__in=[t.pk for t in teams]
        ).values_list("team_id", "html")
    )


def _fail(batch_id: int, attempt: int, error: str) -> str:
    with transaction.atomic():
        failed = StoryboardBatch.objects.filter(pk=batch_id, attempts=attempt).update(
            status=StoryboardBatchStatus.FAILED, finished_at=clock.now(), last_error=error[:500]
        )
        if failed:
            StoryboardBatchPage.objects.filter(batch_id=batch_id).delete()
    return StoryboardBatchStatus.FAILED


def _count_page(batch: StoryboardBatch, attempt: int, team: Team, html: str) -> bool:
    """Keep the team's page and count it done, together; False when another worker
    took the run over (then nothing is kept)."""
    with transaction.atomic():
        moved = StoryboardBatch.objects.filter(
            pk=batch.pk, attempts=attempt, status=StoryboardBatchStatus.RUNNING
        ).update(done=F("done") + 1, progress_at=clock.now())
        if moved:
            StoryboardBatchPage.objects.create(
                program_id=batch.program_id, batch_id=batch.pk, team=team, html=html
            )
    return bool(moved)


def run_storyboard_batch(batch_id: int) -> str:
    """The task's work: (re)start the run, render the storyboard of every team it has
    not rendered yet, store the joined PDF. Returns the run's status ("superseded" for
    a worker that lost it)."""
    with transaction.atomic():
        batch = (
            StoryboardBatch.objects.select_for_update()
            .select_related("collaborative__program")
            .filter(pk=batch_id)
            .first()
        )
        if batch is None:
            return "missing"
        if batch.status not in ACTIVE:
            return batch.status
        collaborative = batch.collaborative
        teams = list(batch_teams(collaborative=collaborative))
        # Read under the run's lock: a worker it supersedes can keep no page after this.
        kept = _kept_pages(batch_id, teams)
        now = clock.now()
        batch.attempts += 1
        batch.status = StoryboardBatchStatus.RUNNING
        batch.started_at = batch.started_at or now
        batch.progress_at = now
        batch.done = len(kept)
        batch.total = len(teams)
        batch.save(
            update_fields=["attempts", "status", "started_at", "progress_at", "done", "total"]
        )
        attempt = batch.attempts
    asker = batch.requested_by
    if asker is None or not is_program_staff(user=asker, program=collaborative.program):
        return _fail(batch_id, attempt, "The person who asked is no longer the program's staff.")
    if not teams:
        return _fail(batch_id, attempt, "The collaborative has no active team.")
    documents = []
    for team in teams:
        html = kept.get(team.pk)
        try:
            if html is None:
                fresh = storyboard_pdf_html(storyboard_context(team=team, viewer=STAFF_VIEW))
                documents.extend(render_documents([fresh]))
            else:
                documents.extend(render_documents([html]))
        except Exception as exc:  # noqa: BLE001 - recorded for staff; they can ask again
            return _fail(batch_id, attempt, f"{team.name}: {type(exc).__name__}: {exc}")
        if html is None:
            moved = _count_page(batch, attempt, team, fresh)
        else:  # already counted: only say the run is moving
            moved = StoryboardBatch.objects.filter(
                pk=batch_id, attempts=attempt, status=StoryboardBatchStatus.RUNNING
            ).update(progress_at=clock.now())
        if not moved:
            return "superseded"
    pdf = join_documents(documents)
    with transaction.atomic():
        locked = StoryboardBatch.objects.select_for_update().get(pk=batch_id)
        if locked.attempts != attempt or locked.status != StoryboardBatchStatus.RUNNING:
            return "superseded" if locked.status in ACTIVE else locked.status
        locked.pdf.save("storyboards.pdf", ContentFile(pdf), save=False)
        locked.status = StoryboardBatchStatus.DONE
        locked.done = locked.total
        locked.finished_at = clock.now()
        locked.save(update_fields=["pdf", "status", "done", "finished_at"])
        StoryboardBatchPage.objects.filter(batch_id=batch_id).delete()
    return StoryboardBatchStatus.DONE
