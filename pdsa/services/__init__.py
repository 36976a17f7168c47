"""Writes of the pdsa app: one transaction each, with its audit event inside.

Services check that a change makes sense (a stage's required fields are filled,
dates are in order, related objects belong to the same team); who may ask for it is
decided by the callers through `teams.selectors.team_access`. Every refusal is a
django.core.exceptions.ValidationError with a message the person can act on, keyed
by the field at fault where there is one.

Import from `pdsa.services`; the modules are its sections: `cycles` (create, edit,
move through the stages, delete, restore), `comments` (with their receipts and
e-mails), `attachments`, `sharing` (a completed ramp) and `diagram` (aim, drivers,
change ideas, the change package).
"""

from .attachments import attachment_add, attachment_remove, attachment_restore
from .comments import COMMENT_MAX_LENGTH, comment_create, comments_mark_read
from .cycles import TEXT_MAX_LENGTH, cycle_create, cycle_restore, cycle_soft_delete, cycle_update
from .diagram import (
    aim_save,
    change_idea_create,
    change_idea_reorder,
    change_idea_set_retired,
    change_idea_update,
    change_ideas_seed,
    driver_create,
    driver_reorder,
    driver_set_retired,
    driver_update,
    package_item_create,
    package_item_set_retired,
    package_item_update,
)
from .sharing import ramp_share, ramp_unshare

__all__ = [
    "COMMENT_MAX_LENGTH",
    "TEXT_MAX_LENGTH",
    "aim_save",
    "attachment_add",
    "attachment_remove",
    "attachment_restore",
    "change_idea_create",
    "change_idea_reorder",
    "change_idea_set_retired",
    "change_idea_update",
    "change_ideas_seed",
    "comment_create",
    "comments_mark_read",
    "cycle_create",
    "cycle_restore",
    "cycle_soft_delete",
    "cycle_update",
    "driver_create",
    "driver_reorder",
    "driver_set_retired",
    "driver_update",
    "package_item_create",
    "package_item_set_retired",
    "package_item_update",
    "ramp_share",
    "ramp_unshare",
]
