"""Sharing a change idea's completed ramp with the other teams of the collaborative."""

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from core import clock
from core.audit import audit_record

from ..models import ChangeIdea
from ..selectors import ramp_of


@transaction.atomic
def ramp_share(*, change_idea: ChangeIdea, actor: User, include_notes: bool) -> ChangeIdea:
    """Let the other teams of the collaborative see this change idea's completed ramp:
    title, change idea, what was learned and each decision; the raw notes only
    when the team chooses so."""
    idea = ChangeIdea.objects.select_for_update().get(
        pk=change_idea.pk, program_id=change_idea.program_id
    )
    ramp = ramp_of(change_idea=idea)
    if not ramp.is_complete:
        open_cycles = [c.title for c in ramp.cycles if not c.is_complete]
        if not ramp.cycles:
            message = "This change idea has no cycles yet: there is no ramp to share."
        else:
            message = (
                "Only a completed ramp can be shared. Still open: " + "; ".join(open_cycles) + "."
            )
        raise ValidationError(message, code="incomplete")
    idea.shared_at = idea.shared_at or clock.now()
    idea.shared_by = actor
    idea.share_notes = include_notes
    idea.save(update_fields=["shared_at", "shared_by", "share_notes"])
    audit_record(
        actor=actor,
        verb="pdsa_ramp.shared",
        target=idea,
        data={"include_notes": include_notes, "cycles": len(ramp.cycles)},
    )
    return idea


@transaction.atomic
def ramp_unshare(*, change_idea: ChangeIdea, actor: User) -> ChangeIdea:
    """Stop showing the ramp to the other teams (sharing it again asks afresh about notes)."""
    idea = ChangeIdea.objects.select_for_update().get(
        pk=change_idea.pk, program_id=change_idea.program_id
    )
    if idea.shared_at is not None:
        idea.shared_at = None
        idea.shared_by = None
        idea.share_notes = False
        idea.save(update_fields=["shared_at", "shared_by", "share_notes"])
        audit_record(actor=actor, verb="pdsa_ramp.unshared", target=idea)
    return idea
