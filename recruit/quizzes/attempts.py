"""Taking a quiz: who may, starting an attempt (a retake draws unseen
questions first, within the limit), saving answers against a deadline the
server keeps, submitting and closing, and the attempts a hire has left."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from recruit import audit
from recruit.auth.models import User
from recruit.extensions import db
from recruit.quizzes import allowances, drawing, types
from recruit.quizzes.errors import QuizError
from recruit.quizzes.models import Attempt, AttemptAnswer, BankQuestion, QuestionVersion, Quiz, QuizAssignment
from recruit.training.models import OnboardingPlan
from recruit.training.plans import current_stage
from recruit.utc import utcnow

GRACE = timedelta(seconds=30)


def may_take(quiz: Quiz, user: User) -> bool:
    if db.session.scalar(sa.select(QuizAssignment.id).where(QuizAssignment.quiz_id == quiz.id,
                                                            QuizAssignment.user_id == user.id)):
        return True
    if quiz.stage_position:
        plan = db.session.scalar(sa.select(OnboardingPlan).where(OnboardingPlan.hire_id == user.id,
                                                                 OnboardingPlan.state == "active"))
        stage = current_stage(plan) if plan else None
        return bool(stage and stage.position == quiz.stage_position)
    return False


def _questions_for(quiz: Quiz, rng: random.Random, earlier: list[Attempt]) -> list[QuestionVersion]:
    """A retake draws the questions the hire has not been asked yet first and
    never repeats the previous attempt's order (see drawing)."""
    seen = {item.version.question_id for attempt in earlier for item in attempt.answers}
    chosen = [item.question for item in quiz.fixed if not item.question.archived]
    taken = {q.id for q in chosen}
    for draw in quiz.random_draws or []:
        pool = [q for q in db.session.scalars(sa.select(BankQuestion).where(
            BankQuestion.category_id == draw["category_id"], BankQuestion.archived.is_(False))
            .order_by(BankQuestion.id)).unique() if q.id not in taken]
        picked = drawing.draw(pool, int(draw["count"]), seen, rng, key=lambda q: q.id)
        taken.update(q.id for q in picked)
        chosen.extend(picked)
    if quiz.shuffle_questions:
        previous = [item.version.question_id for item in earlier[-1].answers] if earlier else None
        chosen = drawing.shuffled(chosen, rng, unlike=previous, key=lambda q: q.id)
    return [q.current for q in chosen]


def start_attempt(quiz: Quiz, user: User, now: datetime | None = None, *,
                  rng: random.Random | None = None) -> Attempt:
    """Returns the attempt in progress if there is one (a reload loses nothing
    and the clock keeps running); otherwise starts the next, within the limit
    (the mentor's extra attempts and minutes included). `rng` is for tests."""
    now = now or utcnow()
    running = db.session.scalar(sa.select(Attempt).where(Attempt.quiz_id == quiz.id, Attempt.user_id == user.id,
                                                         Attempt.state == "in_progress"))
    if running is not None:
        if now > running.deadline + GRACE:
            close(running, now)
        else:
            return running
    if not may_take(quiz, user):
        raise PermissionError("quiz")
    if (quiz.opens_at and now < quiz.opens_at) or (quiz.closes_at and now > quiz.closes_at):
        raise QuizError(_("This quiz is not open now."))
    earlier = attempts_of(quiz, user)
    limit = allowances.attempt_limit_for(quiz, user.id)
    if len(earlier) >= limit:
        raise QuizError(ngettext("You have used your %(num)d attempt.", "You have used all %(num)d attempts.",
                                 limit))
    rng = rng or random.SystemRandom()  # draws and order nobody can predict from the quiz and the user
    versions = _questions_for(quiz, rng, earlier)
    if not versions:
        raise QuizError(_("This quiz has no questions yet."))
    attempt = Attempt(quiz_id=quiz.id, user_id=user.id, number=len(earlier) + 1, state="in_progress",
                      started_at=now, deadline=now + timedelta(minutes=allowances.time_limit_for(quiz, user.id)),
                      max_score=sum(v.points for v in versions))
    for position, version in enumerate(versions):
        order, right_order = types.question_type(version.kind).orders(version.data, rng,
                                                                     shuffle=quiz.shuffle_choices)
        attempt.answers.append(AttemptAnswer(position=position, version_id=version.id, choice_order=order,
                                             right_order=right_order))
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
            db.session.flush()
    except IntegrityError as exc:
        raise QuizError(_("An attempt was started at the same moment; reload the page.")) from exc
    audit.record("attempt.start", attempt, actor_id=user.id, number=attempt.number)
    return attempt


def attempt_with_answers(attempt_id: int) -> Attempt | None:
    """An attempt as its page and an answer save read it: the quiz's settings
    and the answers with their question versions, not the quiz's question
    list and every version of each question (read if ever asked for)."""
    return db.session.scalars(sa.select(Attempt).where(Attempt.id == attempt_id)
                              .options(joinedload(Attempt.quiz).lazyload(Quiz.fixed))).first()


def _hold_open(attempt: Attempt) -> bool:
    """Takes the attempt's row for this transaction if it is still in progress
    in the database, not only in this session's copy: a submit in another
    request that committed first wins, and this one then changes nothing.
    (PostgreSQL: the row lock waits for the other transaction; SQLite: one
    writer at a time.)"""
    held = db.session.execute(sa.update(Attempt).where(Attempt.id == attempt.id, Attempt.state == "in_progress")
                              .values(state="in_progress").execution_options(synchronize_session=False))
    if held.rowcount == 1:
        return True
    db.session.refresh(attempt)
    for item in attempt.answers:
        db.session.refresh(item)
    return False


def _open_for_answers(attempt: Attempt, now: datetime) -> None:
    if attempt.state != "in_progress" or not _hold_open(attempt):
        raise QuizError(_("This attempt is closed."))
    if now > attempt.deadline + GRACE:
        close(attempt, now)
        raise QuizError(_("Time is up: the attempt was closed with the answers saved before the deadline."))


def save_answer(attempt: Attempt, position: int, answer: Any, now: datetime | None = None) -> AttemptAnswer:
    now = now or utcnow()
    _open_for_answers(attempt, now)
    item = next((a for a in attempt.answers if a.position == position), None)
    if item is None:
        raise QuizError(_("No such question in this attempt."))
    item.answer = _shown_to_stored(item, answer)
    item.seconds_spent += _seconds_since_last_save(attempt, now)
    item.saved_at = now
    db.session.flush()
    return item


def _seconds_since_last_save(attempt: Attempt, now: datetime) -> float:
    """Time per question as Moodle's one-page quizzes measure it: the time
    between the attempt's previous save (or its start) and this one is spent
    on the question being saved."""
    last = max([attempt.started_at] + [a.saved_at for a in attempt.answers if a.saved_at])
    return max(0.0, (min(now, attempt.deadline) - last).total_seconds())


def _shown_to_stored(item: AttemptAnswer, answer: Any) -> Any:
    """Choices are answered by their shown position; store the bank's index."""
    return types.question_type(item.version.kind).to_stored(answer, item.choice_order or [])


def submit(attempt: Attempt, now: datetime | None = None) -> Attempt:
    """Grades the closed questions; essays wait for a person. A second submit
    of the same attempt changes nothing, also when it races the first."""
    now = now or utcnow()
    if attempt.state != "in_progress" or not _hold_open(attempt):
        return attempt
    if now > attempt.deadline + GRACE:
        return close(attempt, now)
    return _finish(attempt, now, by_deadline=False)


def close(attempt: Attempt, now: datetime) -> Attempt:
    """Deadline passed: the attempt is closed with what was saved before it."""
    if attempt.state != "in_progress" or not _hold_open(attempt):
        return attempt
    for item in attempt.answers:
        if item.saved_at and item.saved_at > attempt.deadline + GRACE:
            item.answer = None
    return _finish(attempt, now, by_deadline=True)


def _finish(attempt: Attempt, now: datetime, *, by_deadline: bool) -> Attempt:
    for item in attempt.answers:
        qtype = types.question_type(item.version.kind)
        if not qtype.auto:  # a person grades it
            item.auto_fraction = None
            item.points = 0.0 if not item.answer else None  # an empty answer scores nothing
        else:
            fraction = qtype.grade(types.from_data(item.version.data), item.answer)
            item.auto_fraction = fraction or 0.0
            item.points = round(item.version.points * (fraction or 0.0), 4)
    attempt.state = "submitted"
    attempt.submitted_at = now
    attempt.closed_by_deadline = by_deadline
    db.session.flush()
    finalise_if_graded(attempt)
    audit.record("attempt.submit", attempt, actor_id=attempt.user_id, by_deadline=by_deadline)
    return attempt


def finalise_if_graded(attempt: Attempt) -> None:
    if any(item.points is None for item in attempt.answers):
        return
    attempt.score = round(sum(item.points for item in attempt.answers), 4)
    attempt.passed = attempt.max_score > 0 and attempt.score / attempt.max_score >= attempt.quiz.pass_mark - 1e-9
    attempt.state = "graded"
    db.session.flush()


def attempts_left(attempt: Attempt) -> int:
    return attempts_left_for(attempt.quiz, attempt.user_id)


def attempts_left_for(quiz: Quiz, user_id: int) -> int:
    used = db.session.scalar(sa.select(sa.func.count(Attempt.id)).where(Attempt.quiz_id == quiz.id,
                                                                        Attempt.user_id == user_id))
    return max(allowances.attempt_limit_for(quiz, user_id) - (used or 0), 0)


def visible_quizzes(user: User) -> list[Quiz]:
    """The quizzes list: every quiz for staff; for a hire, those `may_take`
    lets them take, their assignments and their plan read once for the list."""
    quizzes = list(db.session.scalars(sa.select(Quiz).order_by(Quiz.title)).unique())
    if user.has_role("admin", "mentor", "recruiter", "trainer"):
        return quizzes
    assigned = set(db.session.scalars(sa.select(QuizAssignment.quiz_id).where(QuizAssignment.user_id == user.id)))
    position = None
    if any(q.stage_position and q.id not in assigned for q in quizzes):
        plan = db.session.scalar(sa.select(OnboardingPlan).where(OnboardingPlan.hire_id == user.id,
                                                                 OnboardingPlan.state == "active"))
        stage = current_stage(plan) if plan else None
        position = stage.position if stage else None
    return [q for q in quizzes if q.id in assigned or (q.stage_position and q.stage_position == position)]


def attempts_on_each(quizzes: list[Quiz], user: User) -> dict[int, list[Attempt]]:
    """`attempts_of` for every quiz of a list, in one query."""
    mine: dict[int, list[Attempt]] = {q.id: [] for q in quizzes}
    if mine:
        for attempt in db.session.scalars(sa.select(Attempt).where(
                Attempt.quiz_id.in_(list(mine)), Attempt.user_id == user.id).order_by(Attempt.number)).unique():
            mine[attempt.quiz_id].append(attempt)
    return mine


def attempts_by(user: User) -> list[Attempt]:
    """Every attempt of one person, oldest first (the API's own list)."""
    return list(db.session.scalars(sa.select(Attempt).where(Attempt.user_id == user.id)
                                   .order_by(Attempt.id)).unique())


def attempts_of(quiz: Quiz, user: User) -> list[Attempt]:
    return list(db.session.scalars(sa.select(Attempt).where(Attempt.quiz_id == quiz.id, Attempt.user_id == user.id)
                                   .order_by(Attempt.number)).unique())
