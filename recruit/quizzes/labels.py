"""Words for the codes this feature stores (states, kinds, outcomes): pages
show them through the `label` filter, never the code itself.

The kinds:
- `attempt_state`: an attempt's state (models.ATTEMPT_STATES), lower case,
  as it sits after "Attempt 2:";
- `question_type`: a question's kind (types.REGISTRY);
- `review_level`: what a hire sees after an attempt (models.REVIEW_LEVELS);
- `quiz_yes_no`: the yes/no cells of the results export;
- `facility_band`, `discrimination_band`, `needs_checking`: Moodle's readings
  of a question's statistics (stats.FACILITY_BANDS ...), as they sit after
  "facility 72:"."""

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

# Moodle's words for its bands (docs.moodle.org, "Quiz report statistics"; qbank_statistics)
FACILITY_BAND = {
    "extremely_difficult": _l("extremely difficult, or something is wrong with the question"),
    "very_difficult": _l("very difficult"),
    "difficult": _l("difficult"),
    "moderately_difficult": _l("moderately difficult"),
    "about_right": _l("about right for the average trainee"),
    "fairly_easy": _l("fairly easy"),
    "easy": _l("easy"),
    "very_easy": _l("very easy"),
    "extremely_easy": _l("extremely easy"),
}

DISCRIMINATION_BAND = {
    "very_good": _l("very good discrimination"),
    "adequate": _l("adequate discrimination"),
    "weak": _l("weak discrimination"),
    "very_weak": _l("very weak discrimination"),
    "invalid": _l("the question is probably invalid (check the key)"),
}

NEEDS_CHECKING = {
    "very_likely": _l("very likely"),
    "likely": _l("likely"),
    "unlikely": _l("unlikely"),
}


def register() -> None:
    """Called by create_app."""
    register_labels("attempt_state", ATTEMPT_STATE)
    register_labels("question_type", QUESTION_TYPE)
    register_labels("review_level", REVIEW_LEVEL)
    register_labels("quiz_yes_no", YES_NO)
    register_labels("facility_band", FACILITY_BAND)
    register_labels("discrimination_band", DISCRIMINATION_BAND)
    register_labels("needs_checking", NEEDS_CHECKING)
