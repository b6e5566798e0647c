"""Who may look at, grade and adjust which quiz objects (auth.permissions'
policies; views load objects through `load(model, id, action)`)."""

from __future__ import annotations

from recruit.auth.permissions import policy
from recruit.quizzes.adjustments import may_adjust
from recruit.quizzes.grading import may_grade


@policy("quiz_attempt.view")
def _view(user, attempt) -> bool:
    """The hire whose attempt it is, and whoever may grade it."""
    return attempt.user_id == user.id or may_grade(attempt, user)


@policy("quiz_answer.grade")
def _grade(user, item) -> bool:
    return may_grade(item.attempt, user)


@policy("quiz_hire.adjust")
def _adjust(user, hire) -> bool:
    """Extra time and attempts for a hire: their mentor, or an admin."""
    return may_adjust(hire.id, user)
