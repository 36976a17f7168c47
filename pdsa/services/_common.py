"""Helpers shared by the pdsa services: JSON-safe change records, saving what changed."""

from datetime import date, datetime
from typing import Any

from django.db import models

from core.audit import audit_record


def json_value(value: Any) -> Any:
    """A value as it is kept in a revision's `changes`: text, ISO dates, names."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    return str(value)


def diff(instance: models.Model, values: dict[str, Any]) -> dict[str, list]:
    """field -> [old, new] for every value that differs from the instance's."""
    changes: dict[str, list] = {}
    for name, new in values.items():
        old = getattr(instance, name)
        if isinstance(old, str) and isinstance(new, str) and old.strip() == new.strip():
            continue
        if old != new:
            changes[name] = [json_value(old), json_value(new)]
    return changes


def clean_text(value: Any) -> Any:
    """Strip text (people paste with stray spaces); other values pass through."""
    return value.strip() if isinstance(value, str) else value


def save_changes(
    instance: models.Model,
    values: dict[str, Any],
    *,
    actor: Any,
    verb: str,
    names_only: bool = False,
) -> dict[str, list]:
    """Set `values` on the instance and save it, with an audit event `verb`, when any
    differs from what it holds; nothing happens otherwise.

    The event records field -> [old, new], or only the changed fields' names with
    `names_only`. Returns the changes (empty when nothing was saved).
    """
    changes = diff(instance, values)
    if changes:
        for name, value in values.items():
            setattr(instance, name, value)
        instance.save()
        data = {"fields": sorted(changes)} if names_only else {"changes": changes}
        audit_record(actor=actor, verb=verb, target=instance, data=data)
    return changes
