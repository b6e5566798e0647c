"""The question bank: categories, questions and their versions, GIFT in and
out; and a quiz's settings for what a hire sees after an attempt."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from recruit import audit
from recruit.auth.models import User
from recruit.extensions import db
from recruit.quizzes import gift, types
from recruit.quizzes.errors import QuizError
from recruit.quizzes.models import (
    REVIEW_LEVELS,
    AttemptAnswer,
    BankQuestion,
    QuestionCategory,
    QuestionVersion,
    Quiz,
)


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


# --- a quiz's settings: what a hire sees after an attempt ----------------------------

def check_review_options(review_open: str, review_closed: str) -> tuple[str, str]:
    """While attempts remain, and once none is left or the quiz has closed:
    never less afterwards than the hire saw already."""
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
