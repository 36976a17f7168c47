"""Writes about measures: the library, measure sets, periods, data entry, submissions, imports.

One transaction each, with an audit event inside it. Problems a person can fix raise
django.core.exceptions.ValidationError with plain-language messages (a dict keyed by
the form field at fault where there is one); nothing is saved then.

Data that must not be lost: every change of a value writes a DataPointRevision with
the old and new numbers, who and when; deleting is a soft delete that staff undo.
Saving the same numbers again writes nothing, which is what makes imports idempotent.

Import from `measures.services`; the modules are its sections.
"""

from .collaborative import (
    measure_set_add,
    measure_set_remove,
    measure_set_update,
    period_delete,
    period_update,
    periods_generate,
)
from .exports import collaborative_export_request
from .imports import (
    build_context,
    earlier_identical_import,
    import_commit,
    import_discard,
    import_preview,
    team_sets,
)
from .library import (
    MEASURE_FIELDS,
    custom_measure_create,
    measure_create,
    measure_update,
)
from .submissions import (
    NARRATIVE_FIELDS,
    NARRATIVE_MAX_LENGTH,
    REVIEW_COMMENT_MAX_LENGTH,
    SaveResult,
    period_save,
    submission_problems,
    submission_review,
    submission_submit,
)
from .team_settings import (
    MAX_PHASES,
    benchmark_consent_set,
    chart_settings_update,
    team_measures_choose,
)
from .values import (
    data_point_delete,
    data_point_restore,
    data_point_upsert,
    period_problem,
)

__all__ = [
    "MAX_PHASES",
    "MEASURE_FIELDS",
    "NARRATIVE_FIELDS",
    "NARRATIVE_MAX_LENGTH",
    "REVIEW_COMMENT_MAX_LENGTH",
    "SaveResult",
    "benchmark_consent_set",
    "build_context",
    "collaborative_export_request",
    "chart_settings_update",
    "custom_measure_create",
    "data_point_delete",
    "data_point_restore",
    "data_point_upsert",
    "earlier_identical_import",
    "import_commit",
    "import_discard",
    "import_preview",
    "measure_create",
    "measure_set_add",
    "measure_set_remove",
    "measure_set_update",
    "measure_update",
    "period_delete",
    "period_problem",
    "period_save",
    "period_update",
    "periods_generate",
    "submission_problems",
    "submission_review",
    "submission_submit",
    "team_measures_choose",
    "team_sets",
]
