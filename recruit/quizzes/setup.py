"""Setting a quiz up: its title and key (what the onboarding gate names), the
limits, when it is open, the fixed questions and random draws, who is
assigned to it. What the bank offers for it (questions, categories) too."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import format_decimal
from flask_babel import gettext as _

from recruit.auth.models import User
from recruit.extensions import db
from recruit.organisation.services import zone
from recruit.quizzes.bank import check_review_options
from recruit.quizzes.errors import QuizError
from recruit.quizzes.models import BankQuestion, QuestionCategory, Quiz, QuizAssignment, QuizQuestion
from recruit.web import db_int


def bank_questions() -> list[BankQuestion]:
    """The questions in use (not archived), by category."""
    return list(db.session.scalars(sa.select(BankQuestion).where(BankQuestion.archived.is_(False))
                                   .order_by(BankQuestion.category_id, BankQuestion.id)).unique())


def categories() -> list[QuestionCategory]:
    return list(db.session.scalars(sa.select(QuestionCategory).order_by(QuestionCategory.name)))


def key_taken(key: str) -> bool:
    return bool(db.session.scalar(sa.select(Quiz.id).where(Quiz.key == key)))


def _number(form: Any, key: str, low: float, high: float, default: float) -> float:
    fields = {"time_limit_minutes": _("Time limit, minutes"), "pass_mark": _("Pass mark (percent)"),
              "attempt_limit": _("Attempts")}
    raw = form.get(key, "").strip()
    try:
        value = float(raw) if raw else default
    except ValueError as exc:
        raise QuizError(_("%(field)s is a number.", field=fields.get(key, key))) from exc
    if not low <= value <= high:
        raise QuizError(_("%(field)s runs from %(low)s to %(high)s.", field=fields.get(key, key),
                          low=format_decimal(low), high=format_decimal(high)))
    return value


def create_quiz(form: Any) -> Quiz:
    """A quiz from the new-quiz form (a request's form: `get` and `getlist`),
    checked in the order the form reads: the title and key, what the hire
    sees afterwards, the limits, the dates, then the questions."""
    title, key = form.get("title", "").strip(), form.get("key", "").strip()
    if not title or not key:
        raise QuizError(_("Give the quiz a title and a key (the onboarding gate names the key)."))
    if key_taken(key):
        raise QuizError(_("The key “%(key)s” is taken.", key=key))
    review_open, review_closed = check_review_options(form.get("review_open", "score"),
                                                      form.get("review_closed", "answers"))
    quiz = Quiz(title=title, key=key, description=form.get("description", "").strip(),
                review_open=review_open, review_closed=review_closed,
                time_limit_minutes=int(_number(form, "time_limit_minutes", 1, 600, 30)),
                pass_mark=_number(form, "pass_mark", 1, 100, 70) / 100.0,
                attempt_limit=int(_number(form, "attempt_limit", 1, 10, 2)),
                shuffle_questions=form.get("shuffle_questions") == "1",
                shuffle_choices=form.get("shuffle_choices") == "1",
                stage_position=int(form["stage_position"]) if form.get("stage_position", "").isdigit() else None)
    for field_name in ("opens_at", "closes_at"):
        raw = form.get(field_name, "").strip()
        if raw:
            try:
                setattr(quiz, field_name, datetime.fromisoformat(raw).replace(tzinfo=zone()))
            except ValueError as exc:
                raise QuizError(_("Dates and times look like 2026-11-24 10:00.")) from exc
    if quiz.opens_at and quiz.closes_at and quiz.closes_at <= quiz.opens_at:
        raise QuizError(_("The quiz closes after it opens."))
    valid = {q.id for q in bank_questions()}
    for position, question_id in enumerate(form.getlist("questions", type=db_int)):
        if question_id in valid:
            quiz.fixed.append(QuizQuestion(question_id=question_id, position=position))
    draws = []
    for category in categories():
        count = form.get(f"draw_{category.id}", "").strip()
        if count.isdigit() and int(count) > 0:
            draws.append({"category_id": category.id, "count": int(count)})
    quiz.random_draws = draws
    if not quiz.fixed and not draws:
        raise QuizError(_("Choose questions, or a number of random questions from a category."))
    db.session.add(quiz)
    db.session.flush()
    for user_id in set(form.getlist("assign", type=db_int)):
        user = db.session.get(User, user_id)
        if user is not None and user.has_role("new_hire"):
            db.session.add(QuizAssignment(quiz_id=quiz.id, user_id=user.id))
    db.session.flush()
    return quiz
