"""Grading and results: a person grades open answers (or overrides an
automatic score), what a hire sees of a closed attempt, the grading queue,
and the mentor's decision on a graded result: sign it off (what the
onboarding gate reads) or ask for a retake."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _

from recruit import audit, i18n
from recruit.auth.models import User
from recruit.extensions import db
from recruit.mail import absolute_url, queue_mail
from recruit.quizzes.attempts import attempts_left, finalise_if_graded
from recruit.quizzes.errors import QuizError
from recruit.quizzes.models import Attempt, AttemptAnswer
from recruit.quizzes.review import EVERYTHING, NOTHING, Review, quiz_over_for_hire, review_level
from recruit.quizzes.types import question_type
from recruit.training.gates import record_quiz_sign_off
from recruit.training.models import OnboardingPlan
from recruit.utc import utcnow


def _language_of(user: User) -> str:
    """What a person's mail is written in: their own language, else the organisation's."""
    return i18n.first_shipped(user.locale, i18n.organisation_default())


def grade_answer(item: AttemptAnswer, grader: User, points: float, comment: str = "", reason: str = "") -> None:
    """A person grades an essay, or overrides an automatic score with a reason."""
    attempt = item.attempt
    if attempt.state == "in_progress":
        raise QuizError(_("The attempt is still in progress."))
    if attempt.signed_off_at is not None:
        raise QuizError(_("The result is already signed off."))
    if not 0 <= points <= item.version.points:
        raise QuizError(_("Points run from 0 to %(max)s.", max=format_decimal(item.version.points)))
    if question_type(item.version.kind).auto and not reason.strip():
        raise QuizError(_("Say why the automatic score is overridden."))
    item.points, item.comment = round(points, 4), comment.strip()
    item.override_reason = reason.strip()
    item.graded_by_id, item.graded_at = grader.id, utcnow()
    if attempt.state == "graded":
        attempt.state = "submitted"
    db.session.flush()
    finalise_if_graded(attempt)
    if attempt.state == "graded":
        with i18n.in_language(_language_of(attempt.user)):
            queue_mail(attempt.user.email, _("Your result: %(title)s", title=attempt.quiz.title),
                       _("Hello %(name)s,\n\nYour answers are graded: %(score)s of %(max)s points. Your result "
                         "is here:\n%(link)s", name=attempt.user.full_name, score=format_decimal(attempt.score),
                         max=format_decimal(attempt.max_score),
                         link=absolute_url("quizzes.attempt", attempt_id=attempt.id)),
                       kind="quiz.result")
    audit.record("attempt.grade", attempt, actor_id=grader.id, position=item.position, points=points,
                 override=bool(reason.strip()))


def _plan_of(attempt: Attempt) -> OnboardingPlan | None:
    return db.session.scalar(sa.select(OnboardingPlan).where(OnboardingPlan.hire_id == attempt.user_id)
                             .order_by(OnboardingPlan.id.desc()))


def may_sign_off(attempt: Attempt, user: User) -> bool:
    """Only the hire's mentor (or an admin) signs a result off; a trainer grades."""
    plan = _plan_of(attempt)
    return plan is not None and (plan.mentor_id == user.id or user.has_role("admin"))


def sign_off_result(attempt: Attempt, mentor: User) -> Attempt:
    """The mentor's sign-off of a final result is what the onboarding gate reads."""
    if attempt.state != "graded":
        raise QuizError(_("Grade every answer first."))
    if attempt.signed_off_at is not None:
        raise QuizError(_("The result is already signed off."))
    plan = _plan_of(attempt)
    if not may_sign_off(attempt, mentor):
        raise PermissionError("sign_off")
    attempt.signed_off_by_id, attempt.signed_off_at = mentor.id, utcnow()
    record_quiz_sign_off(plan, attempt.quiz.key, passed=bool(attempt.passed), score=attempt.score,
                         signed_off_by_id=mentor.id, signed_off_at=attempt.signed_off_at)
    audit.record("attempt.sign_off", attempt, actor_id=mentor.id, passed=bool(attempt.passed), score=attempt.score)
    return attempt


def request_retake(attempt: Attempt, mentor: User, note: str = "") -> Attempt:
    """Instead of signing a weak result off, the mentor asks for another try
    while attempts remain; the hire gets an e-mail with the mentor's note."""
    if attempt.state != "graded":
        raise QuizError(_("Grade every answer first."))
    if attempt.signed_off_at is not None:
        raise QuizError(_("The result is already signed off."))
    if attempt.retake_requested_at is not None:
        raise QuizError(_("A retake is already requested."))
    if not may_sign_off(attempt, mentor):
        raise PermissionError("retake")
    if attempts_left(attempt) < 1:
        raise QuizError(_("No attempts are left: sign the result off as it is."))
    attempt.retake_requested_at = utcnow()
    db.session.flush()
    with i18n.in_language(_language_of(attempt.user)):
        body = ngettext("Hello %(name)s,\n\nYour mentor asks you to take “%(title)s” once more. You have "
                        "%(num)d attempt left.\n\n%(note)s\n\nStart here:\n%(link)s",
                        "Hello %(name)s,\n\nYour mentor asks you to take “%(title)s” once more. You have "
                        "%(num)d attempts left.\n\n%(note)s\n\nStart here:\n%(link)s",
                        attempts_left(attempt), name=attempt.user.full_name, title=attempt.quiz.title,
                        note=note.strip(), link=absolute_url("quizzes.index"))
        queue_mail(attempt.user.email, _("Please retake: %(title)s", title=attempt.quiz.title), body,
                   kind="quiz.retake")
    audit.record("attempt.retake_requested", attempt, actor_id=mentor.id, note=note.strip()[:500])
    return attempt


def review_for(attempt: Attempt, viewer: User, now: datetime | None = None) -> Review:
    """What `viewer` sees of a closed attempt. A grader sees everything; the
    hire sees what the quiz's review options allow at this moment, and the
    right answers not before every answer is graded."""
    if attempt.state == "in_progress":
        return NOTHING
    if attempt.user_id != viewer.id:
        return EVERYTHING
    quiz = attempt.quiz
    running = db.session.scalar(sa.select(Attempt.id).where(Attempt.quiz_id == quiz.id,
                                                            Attempt.user_id == attempt.user_id,
                                                            Attempt.state == "in_progress"))
    over = quiz_over_for_hire(attempts_left=attempts_left(attempt), running=running is not None,
                              closes_at=quiz.closes_at, now=now or utcnow())
    shown = review_level(quiz.review_open, quiz.review_closed, over=over)
    if attempt.state != "graded":
        return Review(marks=shown.marks, answers=False)
    return shown


def grading_queue(user: User) -> list[Attempt]:
    """A mentor's queue: their trainees' attempts with essays to grade or a
    result to sign off. A trainer's: every attempt with essays to grade."""
    stmt = sa.select(Attempt).where(Attempt.state.in_(("submitted", "graded")), Attempt.signed_off_at.is_(None),
                                    Attempt.retake_requested_at.is_(None))
    if not user.has_role("admin"):
        trainees = sa.select(OnboardingPlan.hire_id).where(OnboardingPlan.mentor_id == user.id)
        mine = Attempt.user_id.in_(trainees)
        stmt = stmt.where(sa.or_(mine, Attempt.state == "submitted") if user.has_role("trainer") else mine)
    return list(db.session.scalars(stmt.order_by(Attempt.submitted_at)).unique())


def may_grade(attempt: Attempt, user: User) -> bool:
    if user.has_role("admin", "trainer"):
        return True
    return bool(db.session.scalar(sa.select(OnboardingPlan.id).where(OnboardingPlan.hire_id == attempt.user_id,
                                                                     OnboardingPlan.mentor_id == user.id)))
