"""What other feature apps may use of the gap analysis. import-linter lets them import
only this module (pyproject.toml; docs/decisions/0007-layers.md).

pdsa is the user today: a change idea, or a change-package item, names the gap-analysis
question it closes, and the gap report shows the change-package item beside that
question. The gap report does not import pdsa: it reads the links that pdsa writes here
(`QuestionLink` rows, keyed by question lineage so that they survive new versions).
"""

from .selectors import gap_question_choices
from .services import change_idea_link_set

__all__ = ["change_idea_link_set", "gap_question_choices"]
