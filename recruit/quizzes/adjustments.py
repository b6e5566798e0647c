"""A mentor's allowances for one hire on one quiz: more minutes on every
attempt (WCAG 2.2.1, timing adjustable: a running attempt's deadline moves
at once, the server keeps it) or more attempts, always with a reason that
the audit trail and the hire's page keep."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from recruit import audit
from recruit.auth.models import User
from recruit.extensions import db
from recruit.quizzes.attempts import GRACE, close
from recruit.quizzes.errors import QuizError
from recruit.quizzes.models import Attempt, Quiz, QuizAdjustment
from recruit.training.models import OnboardingPlan
from recruit.utc import utcnow

MAX_MINUTES = 600
MAX_ATTEMPTS = 10


def adjustments_of(quiz: Quiz, user_id: int) -> list[QuizAdjustment]:
    return list(db.session.scalars(sa.select(QuizAdjustment).where(
        QuizAdjustment.quiz_id == quiz.id, QuizAdjustment.user_id == user_id).order_by(QuizAdjustment.id)).unique())


def may_adjust(hire_id: int, user: User) -> bool:
    """The hire's mentor (of their latest plan) or an admin."""
    if user.has_role("admin"):
        return True
    mentor = db.session.scalar(sa.select(OnboardingPlan.mentor_id).where(OnboardingPlan.hire_id == hire_id)
                               .order_by(OnboardingPlan.id.desc()).limit(1))
    return mentor is not None and mentor == user.id


def adjustable_hires(hire_ids: list[int], user: User) -> set[int]:
    """Those of these hires whose allowances this user may adjust (`may_adjust`
    for each), read in one query."""
    if user.has_role("admin"):
        return set(hire_ids)
    if not hire_ids:
        return set()
    latest = (sa.select(sa.func.max(OnboardingPlan.id)).where(OnboardingPlan.hire_id.in_(hire_ids))
              .group_by(OnboardingPlan.hire_id))
    return set(db.session.scalars(sa.select(OnboardingPlan.hire_id).where(
        OnboardingPlan.id.in_(latest), OnboardingPlan.mentor_id == user.id)))


def grant(quiz: Quiz, hire: User, by: User, *, minutes: int, attempts: int, reason: str,
          now: datetime | None = None) -> QuizAdjustment:
    """Adds minutes to every attempt of this hire (the one running too) and/or attempts."""
    now = now or utcnow()
    if not may_adjust(hire.id, by):
        raise PermissionError("adjust")
    if not hire.has_role("new_hire"):
        raise QuizError(_("Only a new hire's attempts can be adjusted."))
    if not 0 <= minutes <= MAX_MINUTES or not 0 <= attempts <= MAX_ATTEMPTS:
        raise QuizError(_("Extra minutes run from 0 to %(minutes)d, extra attempts from 0 to %(attempts)d.",
                             minutes=MAX_MINUTES, attempts=MAX_ATTEMPTS))
    if minutes == 0 and attempts == 0:
        raise QuizError(_("Give extra minutes, an extra attempt, or both."))
    reason = reason.strip()
    if not reason:
        raise QuizError(_("Say why: the reason is kept with the adjustment."))
    if len(reason) > 500:
        raise QuizError(_("Keep the reason under 500 characters."))
    adjustment = QuizAdjustment(quiz_id=quiz.id, user_id=hire.id, extra_minutes=minutes, extra_attempts=attempts,
                                reason=reason, granted_by_id=by.id, granted_at=now)
    db.session.add(adjustment)
    moved = None
    running = db.session.scalar(sa.select(Attempt).where(Attempt.quiz_id == quiz.id, Attempt.user_id == hire.id,
                                                         Attempt.state == "in_progress"))
    if running is not None and minutes:
        if now > running.deadline + GRACE:
            close(running, now)  # already over: the extra time is for the next attempt
        else:
            running.deadline = running.deadline + timedelta(minutes=minutes)
            moved = running
    db.session.flush()
    audit.record("quiz.adjust", adjustment, actor_id=by.id, quiz_id=quiz.id, hire_id=hire.id,
                 extra_minutes=minutes, extra_attempts=attempts, reason=reason,
                 attempt_id=moved.id if moved else None,
                 deadline=moved.deadline.isoformat() if moved else None)
    return adjustment
