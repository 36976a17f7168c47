"""Bulk issue: every claim of a collaborative that has no current certificate yet gets
one, issued and rendered by a Celery task (certificates.tasks_bulk.issue_in_bulk)
whose progress the browser polls.

Why it never issues twice, even when a worker dies mid-batch:
- claims are done in chunks of ten, each chunk in one transaction that first locks
  the run's row: the certificates, their PDFs (rendered inside the transaction as one
  document, so progress counts rendered certificates) and the run's counters commit
  together or not at all; a chunk whose batch cannot be rendered is rolled back and
  done claim by claim, each in a transaction of its own;
- the claims to do are re-read on every (re)start: those without a current
  certificate, less those this run already recorded as failed or skipped; a claim
  finished before the worker died has its certificate and is not in the list again;
- the partial unique constraint (one current certificate per person and offer) stops
  anything that slipped through, and issue_certificate returns the existing one.
So the task is safe to run twice at once (acks_late redelivery, or a staff "Resume"
while the first worker was only slow): the row lock makes them take turns.

One active run per collaborative: a partial unique constraint on queued/running runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, QuerySet, Sum

from accounts.models import User
from collaboratives.models import Collaborative
from core import clock
from core.audit import audit_record
from learning_sessions.public import CreditType

from .models import (
    BulkIssue,
    BulkIssueStatus,
    Certificate,
    CertificateStatus,
    CreditClaim,
    CreditOffer,
)
from .services.issuing import current_certificate, issue_certificate
from .tasks import render_certificate, render_pending

ACTIVE = (BulkIssueStatus.QUEUED, BulkIssueStatus.RUNNING)
#: Outcome kinds recorded in BulkIssue.errors (one entry per claim not issued).
FAILED, SKIPPED = "failed", "skipped"
#: Claims done per transaction, their certificates laid out as one PDF document.
CHUNK = 10


def stale_after() -> timedelta:
    """How long a run may go without progress before staff may resume it (a render
    takes well under a second; the default leaves room for a slow machine)."""
    return timedelta(seconds=getattr(settings, "CERTIFICATES_BULK_STALE_AFTER", 600))


def claims_without_certificate(*, collaborative: Collaborative) -> QuerySet[CreditClaim]:
    """The collaborative's claims that have no current certificate, oldest first."""
    current = Certificate.objects.filter(
        offer_id=OuterRef("offer_id"), user_id=OuterRef("user_id"), is_current=True
    )
    return (
        CreditClaim.objects.filter(offer__collaborative=collaborative)
        .exclude(Exists(current))
        .select_related("offer", "user")
        .order_by("pk")
    )


@dataclass
class PlanLine:
    offer: CreditOffer
    claims: int
    amount: Decimal

    @property
    def credit_label(self) -> str:
        return CreditType(self.offer.credit_type).label


def plan_of(*, collaborative: Collaborative) -> list[PlanLine]:
    """What a run started now would issue, per offer (for the confirmation page)."""
    rows = (
        claims_without_certificate(collaborative=collaborative)
        .values("offer_id")
        .annotate(n=Count("pk"), amount=Sum("amount"))
        .order_by()
    )
    counts = {row["offer_id"]: row for row in rows}
    offers = CreditOffer.objects.filter(pk__in=counts).order_by("credit_type")
    return [
        PlanLine(offer=o, claims=counts[o.pk]["n"], amount=counts[o.pk]["amount"]) for o in offers
    ]


def active_run(*, collaborative: Collaborative) -> BulkIssue | None:
    return BulkIssue.objects.filter(collaborative=collaborative, status__in=ACTIVE).first()


def is_stale(run: BulkIssue) -> bool:
    """A queued or running run that has not moved for `stale_after()`: its worker is
    gone (killed, or the message lost with the broker)."""
    if run.status not in ACTIVE:
        return False
    last = run.progress_at or run.started_at or run.created_at
    return clock.now() - last >= stale_after()


def enqueue_run(run_id: int) -> None:
    """Queue the run's task (after commit: the worker must see the run's row)."""
    from .tasks_bulk import issue_in_bulk

    transaction.on_commit(lambda: issue_in_bulk.delay(run_id))


def start_bulk_issue(*, collaborative: Collaborative, actor: User) -> BulkIssue:
    """Create a run for every claim without a current certificate and queue it.
    ValidationError when there is nothing to issue or a run is already active."""
    total = claims_without_certificate(collaborative=collaborative).count()
    if total == 0:
        raise ValidationError("Every claim of this collaborative already has a certificate.")
    now = clock.now()
    try:
        with transaction.atomic():
            run = BulkIssue.objects.create(
                program=collaborative.program,
                collaborative=collaborative,
                status=BulkIssueStatus.QUEUED,
                total=total,
                requested_by=actor,
                progress_at=now,
            )
            audit_record(actor=actor, verb="bulk_issue.started", target=run, data={"total": total})
            enqueue_run(run.pk)
    except IntegrityError:
        raise ValidationError(
            "A bulk issue is already running for this collaborative: wait for it to finish."
        ) from None
    return run


def resume_bulk_issue(*, run: BulkIssue, actor: User) -> None:
    """Queue a stalled run again; it carries on where it stopped (nothing twice)."""
    with transaction.atomic():
        locked = BulkIssue.objects.select_for_update().get(pk=run.pk)
        if locked.status not in ACTIVE:
            raise ValidationError("This run has finished; there is nothing to resume.")
        if not is_stale(locked):
            minutes = max(1, int(stale_after().total_seconds() // 60))
            raise ValidationError(
                "This run is still moving: it can be resumed only after "
                f"{minutes} minute{'s' if minutes != 1 else ''} without progress."
            )
        locked.progress_at = clock.now()
        locked.save(update_fields=["progress_at"])
        audit_record(actor=actor, verb="bulk_issue.resumed", target=locked)
        enqueue_run(locked.pk)


def _recorded_claims(run: BulkIssue) -> set[str]:
    return {entry["claim"] for entry in run.errors}


def _why_not(claim: CreditClaim) -> str | None:
    """Why `claim` may not be issued now, in words for staff; None when it may."""
    if not claim.offer.is_published:
        return "the offer is unpublished"
    if not claim.user.is_active:
        return "the account is deactivated"
    if claim.amount > claim.offer.max_amount:
        return f"the claim ({claim.amount}) is above the offer's maximum ({claim.offer.max_amount})"
    return None


class _RenderFailed(Exception):
    pass


def _render_now(certificate: Certificate) -> None:
    """Render and store the PDF in this transaction, through the rendering task's own
    code (called in-process), so a certificate counts as issued once it is rendered."""
    try:
        render_certificate(certificate.pk)
    except Exception as exc:  # the task re-raises when called directly
        raise _RenderFailed(str(exc)[:200] or exc.__class__.__name__) from exc
    certificate.refresh_from_db()
    if certificate.status != CertificateStatus.ISSUED:
        raise _RenderFailed(certificate.last_error[:200] or "rendering did not finish")


def _record(run: BulkIssue, claim: CreditClaim, kind: str, reason: str) -> None:
    run.errors.append(
        {
            "claim": str(claim.public_id),
            "name": claim.user.full_name or claim.user.email,
            "offer": CreditType(claim.offer.credit_type).label,
            "kind": kind,
            "reason": reason,
        }
    )
    if kind == FAILED:
        run.failed += 1
    else:
        run.skipped += 1


def _decide(run: BulkIssue, claim: CreditClaim) -> Certificate | None:
    """Issue `claim`'s certificate (not rendered yet) and return it, or record in `run`
    why not and return None."""
    if str(claim.public_id) in _recorded_claims(run):
        return None
    current = current_certificate(claim)
    if current is not None:
        if current.bulk_issue_id != run.pk:  # issued meanwhile by someone else
            _record(run, claim, SKIPPED, "already had a certificate")
        return None
    if (reason := _why_not(claim)) is not None:
        _record(run, claim, FAILED, reason)
        return None
    certificate, created = issue_certificate(
        claim=claim, issued_by=run.requested_by, bulk_issue=run
    )
    if not created:
        _record(run, claim, SKIPPED, "already had a certificate")
        return None
    return certificate


def _save_progress(run: BulkIssue) -> None:
    run.progress_at = clock.now()
    run.save(update_fields=["issued", "failed", "skipped", "errors", "progress_at"])


class _BatchFailed(Exception):
    pass


def _process_chunk(run_id: int, claim_ids: list[int]) -> None:
    """Issue a chunk of claims and render their certificates as one document
    (tasks.render_pending), all in one transaction with the run's counters.

    When the batch cannot be rendered, the chunk is rolled back and done claim by
    claim, so that only the faulty certificate fails."""
    try:
        with transaction.atomic():
            run = BulkIssue.objects.select_for_update().get(pk=run_id)
            if run.status != BulkIssueStatus.RUNNING:
                return
            claims = CreditClaim.objects.select_related("offer__collaborative", "user").filter(
                pk__in=claim_ids
            )
            created = [
                certificate
                for claim in claims.order_by("pk")
                if (certificate := _decide(run, claim)) is not None
            ]
            if created:
                try:
                    statuses = render_pending([certificate.pk for certificate in created])
                except Exception as exc:  # noqa: BLE001 - any rendering error: one by one
                    raise _BatchFailed from exc
                issued = [s for s in statuses.values() if s == CertificateStatus.ISSUED]
                run.issued += len(issued)
            _save_progress(run)
    except _BatchFailed:
        for claim_id in claim_ids:
            _process_claim(run_id, claim_id)


def _process_claim(run_id: int, claim_id: int) -> None:
    """Issue and render one claim's certificate, or record why not; one transaction."""
    with transaction.atomic():
        run = BulkIssue.objects.select_for_update().get(pk=run_id)
        if run.status != BulkIssueStatus.RUNNING:
            return
        claim = CreditClaim.objects.select_related("offer__collaborative", "user").get(pk=claim_id)
        try:
            with transaction.atomic():
                certificate = _decide(run, claim)
                if certificate is not None:
                    _render_now(certificate)
        except _RenderFailed as error:
            _record(run, claim, FAILED, f"the certificate could not be rendered ({error})")
        else:
            if certificate is not None:
                run.issued += 1
        _save_progress(run)


def run_bulk_issue(run_id: int) -> str:
    """The task's work: (re)start the run, do every remaining claim, finish it.
    Returns the run's status."""
    with transaction.atomic():
        run = BulkIssue.objects.select_for_update().filter(pk=run_id).first()
        if run is None:
            return "missing"
        if run.status not in ACTIVE:
            return run.status  # a late redelivery of a finished run
        now = clock.now()
        run.status = BulkIssueStatus.RUNNING
        run.started_at = run.started_at or now
        run.progress_at = now
        recorded = _recorded_claims(run)
        remaining = [
            (pk, str(public_id))
            for pk, public_id in claims_without_certificate(
                collaborative=run.collaborative
            ).values_list("pk", "public_id")
        ]
        todo = [pk for pk, public_id in remaining if public_id not in recorded]
        # New claims made since the start join the run: the total says so.
        run.total = run.issued + run.failed + run.skipped + len(todo)
        run.save(update_fields=["status", "started_at", "progress_at", "total"])
    for start in range(0, len(todo), CHUNK):
        _process_chunk(run_id, todo[start : start + CHUNK])
    with transaction.atomic():
        run = BulkIssue.objects.select_for_update().get(pk=run_id)
        if run.status == BulkIssueStatus.RUNNING:
            run.status = BulkIssueStatus.DONE
            run.finished_at = clock.now()
            run.total = run.issued + run.failed + run.skipped
            run.save(update_fields=["status", "finished_at", "total"])
    return run.status
