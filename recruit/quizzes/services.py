"""The question bank, attempts with a deadline kept by the server, grading
and the mentor's sign-off that the onboarding gate reads."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from recruit import audit, i18n
from recruit.auth.models import User
from recruit.extensions import db
from recruit.quizzes import allowances, drawing, gift, types
from recruit.quizzes.models import (
    Attempt,
    AttemptAnswer,
    BankQuestion,
    QuestionCategory,
    QuestionVersion,
    Quiz,
    QuizAssignment,
)
from recruit.quizzes.review import EVERYTHING, NOTHING, Review, quiz_over_for_hire, review_level
from recruit.timeutil import utcnow

GRACE = timedelta(seconds=30)


class QuizError(ValueError):
    pass


def _language_of(user: User) -> str:
    """What a person's mail is written in: their own language, else the organisation's."""
    return i18n.first_shipped(user.locale, i18n.organisation_default())


# --- the bank ------------------------------------------------------------------------

def category_named(name: str) -> QuestionCategory:
    category = db.session.scalar(sa.select(QuestionCategory).where(QuestionCategory.name == name))
    if category is None:
        category = QuestionCategory(name=name)
        db.session.add(category)
        db.session.flush()
    return category


def add_question(question: types.Question, by: User | None = None) -> BankQuestion:
    try:
        types.validate(question)
    except types.QuestionError as exc:
        raise QuizError(str(exc)) from exc
    bank = BankQuestion(name=question.name, category_id=category_named(question.category).id
                        if question.category else None)
    bank.versions.append(QuestionVersion(number=1, kind=question.kind, points=question.points,
                                         data=types.to_data(question)))
    db.session.add(bank)
    db.session.flush()
    return bank


def import_gift(source: str, by: User) -> list[BankQuestion]:
    """All or nothing: a malformed file raises with its line and reason."""
    try:
        questions = gift.parse(source)
    except gift.GiftError as exc:
        raise QuizError(_("Line %(line)d: %(reason)s", line=exc.line, reason=exc.reason)) from exc
    created = [add_question(q, by) for q in questions]
    audit.record("question_bank.import", object_type="question_bank", actor_id=by.id, count=len(created))
    return created


def export_gift(questions: list[BankQuestion]) -> str:
    return gift.dump([types.from_data(q.current.data) for q in questions])


def version_in_use(version: QuestionVersion) -> bool:
    return bool(db.session.scalar(sa.select(sa.func.count(AttemptAnswer.id)).where(
        AttemptAnswer.version_id == version.id)))


def edit_question(bank: BankQuestion, question: types.Question, by: User) -> QuestionVersion:
    """An answered version is kept as asked; the edit becomes a new version."""
    try:
        types.validate(question)
    except types.QuestionError as exc:
        raise QuizError(str(exc)) from exc
    current = bank.current
    if version_in_use(current):
        version = QuestionVersion(number=current.number + 1, kind=question.kind, points=question.points,
                                  data=types.to_data(question))
        bank.versions.append(version)
    else:
        version = current
        version.kind, version.points, version.data = question.kind, question.points, types.to_data(question)
    bank.name = question.name
    db.session.flush()
    audit.record("question.edit", bank, actor_id=by.id, version=version.number)
    return version


# --- what a hire sees after an attempt -------------------------------------------------

def check_review_options(review_open: str, review_closed: str) -> tuple[str, str]:
    """While attempts remain, and once none is left or the quiz has closed:
    never less afterwards than the hire saw already."""
    from recruit.quizzes.models import REVIEW_LEVELS

    if review_open not in REVIEW_LEVELS or review_closed not in REVIEW_LEVELS:
        raise QuizError(_("Choose what the hire sees after an attempt from the list."))
    if REVIEW_LEVELS.index(review_closed) < REVIEW_LEVELS.index(review_open):
        raise QuizError(_("Once no attempt is left the hire sees at least what they saw after each attempt."))
    return review_open, review_closed


def set_review_options(quiz: Quiz, review_open: str, review_closed: str, by: User) -> Quiz:
    quiz.review_open, quiz.review_closed = check_review_options(review_open, review_closed)
    db.session.flush()
    audit.record("quiz.review_options", quiz, actor_id=by.id, review_open=quiz.review_open,
                 review_closed=quiz.review_closed)
    return quiz


# --- attempts ------------------------------------------------------------------------

def may_take(quiz: Quiz, user: User) -> bool:
    if db.session.scalar(sa.select(QuizAssignment.id).where(QuizAssignment.quiz_id == quiz.id,
                                                            QuizAssignment.user_id == user.id)):
        return True
    if quiz.stage_position:
        from recruit.training.models import OnboardingPlan
        from recruit.training.plans import current_stage

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
        order, right_order = list(range(len(version.data.get("choices", [])))), []
        if quiz.shuffle_choices and version.kind in ("single", "multiple"):
            rng.shuffle(order)
        if version.kind == "matching":
            order, right_order = drawing.matching_orders(version.data["pairs"], rng,
                                                         shuffle_lefts=quiz.shuffle_choices)
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
    kind = item.version.kind
    order = item.choice_order or []
    if kind == "single" and isinstance(answer, int) and 0 <= answer < len(order):
        return order[answer]
    if kind == "multiple" and isinstance(answer, list):
        return sorted({order[a] for a in answer if isinstance(a, int) and 0 <= a < len(order)})
    return answer


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
        question = types.from_data(item.version.data)
        fraction = types.grade(question, item.answer) if item.answer is not None or question.kind != "essay" \
            else None
        if question.kind == "essay":
            item.auto_fraction = None
            item.points = 0.0 if not item.answer else None  # an empty essay scores nothing
        else:
            item.auto_fraction = fraction or 0.0
            item.points = round(item.version.points * (fraction or 0.0), 4)
    attempt.state = "submitted"
    attempt.submitted_at = now
    attempt.closed_by_deadline = by_deadline
    db.session.flush()
    _finalise_if_graded(attempt)
    audit.record("attempt.submit", attempt, actor_id=attempt.user_id, by_deadline=by_deadline)
    return attempt


def _finalise_if_graded(attempt: Attempt) -> None:
    if any(item.points is None for item in attempt.answers):
        return
    attempt.score = round(sum(item.points for item in attempt.answers), 4)
    attempt.passed = attempt.max_score > 0 and attempt.score / attempt.max_score >= attempt.quiz.pass_mark - 1e-9
    attempt.state = "graded"
    db.session.flush()


def grade_answer(item: AttemptAnswer, grader: User, points: float, comment: str = "", reason: str = "") -> None:
    """A person grades an essay, or overrides an automatic score with a reason."""
    attempt = item.attempt
    if attempt.state == "in_progress":
        raise QuizError(_("The attempt is still in progress."))
    if attempt.signed_off_at is not None:
        raise QuizError(_("The result is already signed off."))
    if not 0 <= points <= item.version.points:
        raise QuizError(_("Points run from 0 to %(max)s.", max=format_decimal(item.version.points)))
    if item.version.kind != "essay" and not reason.strip():
        raise QuizError(_("Say why the automatic score is overridden."))
    item.points, item.comment = round(points, 4), comment.strip()
    item.override_reason = reason.strip()
    item.graded_by_id, item.graded_at = grader.id, utcnow()
    if attempt.state == "graded":
        attempt.state = "submitted"
    db.session.flush()
    _finalise_if_graded(attempt)
    if attempt.state == "graded":
        from recruit.mail import absolute_url, queue_mail

        with i18n.in_language(_language_of(attempt.user)):
            queue_mail(attempt.user.email, _("Your result: %(title)s", title=attempt.quiz.title),
                       _("Hello %(name)s,\n\nYour answers are graded: %(score)s of %(max)s points. Your result "
                         "is here:\n%(link)s", name=attempt.user.full_name, score=format_decimal(attempt.score),
                         max=format_decimal(attempt.max_score),
                         link=absolute_url("quizzes.attempt", attempt_id=attempt.id)),
                       kind="quiz.result")
    audit.record("attempt.grade", attempt, actor_id=grader.id, position=item.position, points=points,
                 override=bool(reason.strip()))


def _plan_of(attempt: Attempt):
    from recruit.training.models import OnboardingPlan

    return db.session.scalar(sa.select(OnboardingPlan).where(OnboardingPlan.hire_id == attempt.user_id)
                             .order_by(OnboardingPlan.id.desc()))


def may_sign_off(attempt: Attempt, user: User) -> bool:
    """Only the hire's mentor (or an admin) signs a result off; a trainer grades."""
    plan = _plan_of(attempt)
    return plan is not None and (plan.mentor_id == user.id or user.has_role("admin"))


def attempts_left(attempt: Attempt) -> int:
    return attempts_left_for(attempt.quiz, attempt.user_id)


def attempts_left_for(quiz: Quiz, user_id: int) -> int:
    used = db.session.scalar(sa.select(sa.func.count(Attempt.id)).where(Attempt.quiz_id == quiz.id,
                                                                        Attempt.user_id == user_id))
    return max(allowances.attempt_limit_for(quiz, user_id) - (used or 0), 0)


def sign_off_result(attempt: Attempt, mentor: User) -> Attempt:
    """The mentor's sign-off of a final result is what the onboarding gate reads."""
    from recruit.training.models import QuizOutcome

    if attempt.state != "graded":
        raise QuizError(_("Grade every answer first."))
    if attempt.signed_off_at is not None:
        raise QuizError(_("The result is already signed off."))
    plan = _plan_of(attempt)
    if not may_sign_off(attempt, mentor):
        raise PermissionError("sign_off")
    attempt.signed_off_by_id, attempt.signed_off_at = mentor.id, utcnow()
    outcome = db.session.scalar(sa.select(QuizOutcome).where(QuizOutcome.plan_id == plan.id,
                                                             QuizOutcome.quiz_key == attempt.quiz.key))
    outcome = outcome or QuizOutcome(plan_id=plan.id, quiz_key=attempt.quiz.key)
    outcome.passed, outcome.score = bool(attempt.passed), attempt.score
    outcome.signed_off_by_id, outcome.signed_off_at = mentor.id, attempt.signed_off_at
    db.session.add(outcome)
    db.session.flush()
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
    from recruit.mail import absolute_url, queue_mail

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


# --- what the pages show -------------------------------------------------------------------

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


def visible_quizzes(user: User) -> list[Quiz]:
    quizzes = list(db.session.scalars(sa.select(Quiz).order_by(Quiz.title)).unique())
    if user.has_role("admin", "mentor", "recruiter", "trainer"):
        return quizzes
    return [q for q in quizzes if may_take(q, user)]


def attempts_of(quiz: Quiz, user: User) -> list[Attempt]:
    return list(db.session.scalars(sa.select(Attempt).where(Attempt.quiz_id == quiz.id, Attempt.user_id == user.id)
                                   .order_by(Attempt.number)).unique())


def grading_queue(user: User) -> list[Attempt]:
    """A mentor's queue: their trainees' attempts with essays to grade or a
    result to sign off. A trainer's: every attempt with essays to grade."""
    from recruit.training.models import OnboardingPlan

    stmt = sa.select(Attempt).where(Attempt.state.in_(("submitted", "graded")), Attempt.signed_off_at.is_(None),
                                    Attempt.retake_requested_at.is_(None))
    if not user.has_role("admin"):
        trainees = sa.select(OnboardingPlan.hire_id).where(OnboardingPlan.mentor_id == user.id)
        mine = Attempt.user_id.in_(trainees)
        stmt = stmt.where(sa.or_(mine, Attempt.state == "submitted") if user.has_role("trainer") else mine)
    return list(db.session.scalars(stmt.order_by(Attempt.submitted_at)).unique())


def may_grade(attempt: Attempt, user: User) -> bool:
    from recruit.training.models import OnboardingPlan

    if user.has_role("admin", "trainer"):
        return True
    return bool(db.session.scalar(sa.select(OnboardingPlan.id).where(OnboardingPlan.hire_id == attempt.user_id,
                                                                     OnboardingPlan.mentor_id == user.id)))
