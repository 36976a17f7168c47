"""Writes about gap analyses: build and publish templates, attach waves, fill in,
submit and reopen responses.

One transaction each, with the audit event inside it. Everything is checked
before anything is written: a problem raises django.core.exceptions.ValidationError
with a message per problem (keyed by form field or question key where one is at
fault), and nothing is saved. Who may ask is decided by the callers through the
selectors; the services check it again where a wrong caller would corrupt data
(a non-member answering, a member submitting).

Import from `assessments.services`; the modules are its sections: `templates` (an
instrument's versions), `builder` (a draft's sections and questions), `links`
(questions linked by other features), `waves` and `responses`.
"""

from .builder import (
    QUESTION_FORM_FIELDS,
    template_item_delete,
    template_item_move,
    template_question_save,
    template_section_save,
)
from .links import (
    change_idea_link_set,
    question_link_add,
    resource_question_link_add,
    resource_question_link_remove,
    resource_question_links_clear,
    resource_question_links_retitle,
)
from .responses import (
    REASON_MAX_LENGTH,
    SaveOutcome,
    reopen_default_due,
    response_reopen,
    response_save,
)
from .templates import (
    template_create,
    template_import,
    template_links_create,
    template_new_version,
    template_publish,
    template_update_details,
)
from .waves import (
    wave_create,
    wave_update,
)

__all__ = [
    "QUESTION_FORM_FIELDS",
    "REASON_MAX_LENGTH",
    "SaveOutcome",
    "change_idea_link_set",
    "question_link_add",
    "resource_question_link_add",
    "resource_question_link_remove",
    "resource_question_links_clear",
    "resource_question_links_retitle",
    "reopen_default_due",
    "response_reopen",
    "response_save",
    "template_create",
    "template_import",
    "template_links_create",
    "template_item_delete",
    "template_item_move",
    "template_new_version",
    "template_publish",
    "template_question_save",
    "template_section_save",
    "template_update_details",
    "wave_create",
    "wave_update",
]
