"""Scoped reads for program staff's credit pages (bulk issue, reports).

Only the staff of the collaborative's program see these pages; everyone else, coaches
and members included, gets a 404, exactly as for a collaborative that does not exist
(the pages list people's names, e-mails and board facts).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User
from accounts.selectors import staff_program_ids
from collaboratives.models import Collaborative

from .models import BulkIssue


def collaboratives_staffed_by(*, user: User) -> QuerySet[Collaborative]:
    """Collaboratives of the programs `user` runs (admin or staff)."""
    return Collaborative.objects.filter(program_id__in=staff_program_ids(user=user))


def staffed_collaborative_or_404(*, user: User, collaborative_id) -> Collaborative:
    try:
        return (
            collaboratives_staffed_by(user=user)
            .select_related("program")
            .get(public_id=collaborative_id)
        )
    except (Collaborative.DoesNotExist, ValidationError, ValueError):
        raise Http404("No such collaborative.") from None


def bulk_run_or_404(*, collaborative: Collaborative, bulk_id) -> BulkIssue:
    """A run of this collaborative (its id under another collaborative is a 404)."""
    try:
        return BulkIssue.objects.get(collaborative=collaborative, public_id=bulk_id)
    except (BulkIssue.DoesNotExist, ValidationError, ValueError):
        raise Http404("No such bulk issue.") from None
