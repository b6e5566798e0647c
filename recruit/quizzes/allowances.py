"""What one hire is allowed on one quiz: the quiz's minutes and attempts
plus every extra a mentor gave (recruit/quizzes/adjustments.py grants them).
Read by the attempts, so it sits below them."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from recruit.extensions import db
from recruit.quizzes.models import Quiz, QuizAdjustment


@dataclass(frozen=True)
class Allowance:
    extra_minutes: int = 0
    extra_attempts: int = 0


def allowance(quiz_id: int, user_id: int) -> Allowance:
    minutes, attempts = db.session.execute(
        sa.select(sa.func.coalesce(sa.func.sum(QuizAdjustment.extra_minutes), 0),
                  sa.func.coalesce(sa.func.sum(QuizAdjustment.extra_attempts), 0))
        .where(QuizAdjustment.quiz_id == quiz_id, QuizAdjustment.user_id == user_id)).one()
    return Allowance(int(minutes), int(attempts))


def allowances_for(quiz_ids: list[int], user_ids: list[int]) -> dict[tuple[int, int], Allowance]:
    """The allowance of every (quiz, user) pair of these, in one query (a list
    page reads them together); a pair with no extras is absent."""
    if not quiz_ids or not user_ids:
        return {}
    rows = db.session.execute(
        sa.select(QuizAdjustment.quiz_id, QuizAdjustment.user_id,
                  sa.func.coalesce(sa.func.sum(QuizAdjustment.extra_minutes), 0),
                  sa.func.coalesce(sa.func.sum(QuizAdjustment.extra_attempts), 0))
        .where(QuizAdjustment.quiz_id.in_(quiz_ids), QuizAdjustment.user_id.in_(user_ids))
        .group_by(QuizAdjustment.quiz_id, QuizAdjustment.user_id))
    return {(quiz_id, user_id): Allowance(int(minutes), int(attempts))
            for quiz_id, user_id, minutes, attempts in rows}


def attempt_limit_for(quiz: Quiz, user_id: int) -> int:
    return quiz.attempt_limit + allowance(quiz.id, user_id).extra_attempts


def time_limit_for(quiz: Quiz, user_id: int) -> int:
    return quiz.time_limit_minutes + allowance(quiz.id, user_id).extra_minutes
