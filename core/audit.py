"""Writing audit events. Call inside the service's transaction."""

from typing import Any

from django.db import models

from .models import AuditEvent


def audit_record(
    *,
    actor: Any,
    verb: str,
    target: models.Model,
    program: Any = None,
    data: dict | None = None,
) -> AuditEvent:
    """Record that `actor` did `verb` to `target`.

    The program defaults to the target's own `program` so that every tenant-owned
    change lands in that tenant's trail.
    """
    if program is None:
        program = getattr(target, "program", None)
    target_id = getattr(target, "public_id", None) or target.pk
    return AuditEvent.objects.create(
        program=program,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        target_type=target._meta.label_lower,
        target_id=str(target_id),
        target_repr=str(target)[:255],
        data=data or {},
    )
