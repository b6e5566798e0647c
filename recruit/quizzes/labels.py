"""Words for the codes this feature stores (states, kinds, outcomes): pages
show them through the `label` filter, never the code itself.

The kinds:
- `attempt_state`: an attempt's state (models.ATTEMPT_STATES), lower case,
  as it sits after "Attempt 2:";
- `question_type`: a question's kind (types.REGISTRY);
- `review_level`: what a hire sees after an attempt (models.REVIEW_LEVELS);
- `quiz_yes_no`: the yes/no cells of the results export."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from recruit.i18n import register_labels
from recruit.quizzes.types import REGISTRY

ATTEMPT_STATE = {
    "in_progress": _l("in progress"),
    "submitted": _l("submitted"),
    "graded": _l("graded"),
}

QUESTION_TYPE = {kind: qtype.label for kind, qtype in REGISTRY.items()}  # each type names itself

REVIEW_LEVEL = {
    "score": _l("the score and whether they passed"),
    "marks": _l("also the points and whether each answer is right"),
    "answers": _l("also the right answers, the feedback and the comments"),
}

YES_NO = {
    "yes": _l("yes"),
    "no": _l("no"),
}


def register() -> None:
    """Called by create_app."""
    register_labels("attempt_state", ATTEMPT_STATE)
    register_labels("question_type", QUESTION_TYPE)
    register_labels("review_level", REVIEW_LEVEL)
    register_labels("quiz_yes_no", YES_NO)
