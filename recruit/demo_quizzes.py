"""The demo's quizzes (see recruit.demo): the ErgoLine catalogue, its question
bank (the trainers' GIFT file, per language under
demo_data/content/<language>/), the product-knowledge quiz, one trainee's
submitted attempt waiting for grading and earlier trainees' graded,
signed-off attempts. Answers come from each question type's sample answer:
nothing here knows a question's kind."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from recruit.auth import services as accounts
from recruit.extensions import db
from recruit.quizzes.attempts import save_answer, start_attempt, submit
from recruit.quizzes.bank import import_gift
from recruit.quizzes.grading import grade_answer, sign_off_result
from recruit.quizzes.models import Attempt, AttemptAnswer, Product, Quiz, QuizAssignment, QuizQuestion
from recruit.quizzes.types import question_type
from recruit.utc import utcnow

CONTENT = Path(__file__).parent / "demo_data" / "content"
QUIZ_KEY = "product-knowledge"  # what the onboarding template's stage 3 gate names

# The trainee whose submitted attempt waits for the mentor: e-mail, positions answered wrongly.
SUBMITTED_ATTEMPT = ("roman.belov@demo.local", {1, 4, 7})
# Earlier trainees' results, so the statistics page has something to show:
# (e-mail, days ago, positions answered wrongly, essay points).
PAST_ATTEMPTS = [("sofia.markova@demo.local", 30, {1, 4}, 0.75), ("timur.zaitsev@demo.local", 80, {2}, 1.0)]


@cache
def quiz_content(language: str) -> dict[str, Any]:
    return json.loads((CONTENT / language / "quiz.json").read_text("utf-8"))


def gift_path(language: str) -> Path:
    """The product-knowledge question bank (Moodle GIFT) in `language`."""
    return CONTENT / language / "product_knowledge.gift"


def load_quizzes(users: dict[str, Any], language: str) -> Quiz:
    """The ErgoLine catalogue, its question bank (the trainers' GIFT file) and the
    product-knowledge quiz; one trainee's submitted attempt waits for grading."""
    content = quiz_content(language)
    products = [Product(name=item["name"], priority=n, description=item["description"])
                for n, item in enumerate(content["products"], start=1)]
    db.session.add_all(products)
    db.session.flush()
    bank = import_gift(gift_path(language).read_text("utf-8"), users["admin"])
    categories = list(dict.fromkeys(q.category for q in bank if q.category is not None))
    for category, product in zip(categories, products, strict=True):
        category.product_id = product.id
    quiz = Quiz(title=content["title"], key=QUIZ_KEY, time_limit_minutes=30,
                pass_mark=0.6, attempt_limit=2, stage_position=3, description=content["description"])
    for position, question in enumerate(bank):
        quiz.fixed.append(QuizQuestion(question_id=question.id, position=position))
    db.session.add(quiz)
    db.session.flush()
    db.session.add(QuizAssignment(quiz_id=quiz.id, user_id=users["hire"].id))
    words = content["demo_answers"]
    email, wrong = SUBMITTED_ATTEMPT
    attempt = start_attempt(quiz, accounts.user_by_email(email))
    for item in attempt.answers:
        _answer(attempt, item, item.position not in wrong, words, words["essay_submitted"])
    submit(attempt)
    db.session.flush()
    _past_attempts(quiz, users["mentor"], words)
    return quiz


def _answer(attempt: Attempt, item: AttemptAnswer, right: bool, words: dict[str, str], essay: str,
            at: datetime | None = None) -> None:
    """The question's type gives a right (or wrong) answer; it is saved as the page would send it."""
    qtype = question_type(item.version.kind)
    kept = qtype.sample_answer(item.version.data, right=right, essay=essay, wrong=words["short_wrong"])
    save_answer(attempt, item.position, qtype.to_shown(kept, item.choice_order or []), at)


def _past_attempts(quiz: Quiz, mentor, words: dict[str, str]) -> None:
    """Graded, signed-off attempts of the hires who passed stage 3: their
    onboarding gate reads these results."""
    for email, days_ago, wrong, essay_points in PAST_ATTEMPTS:
        hire = accounts.user_by_email(email)
        db.session.add(QuizAssignment(quiz_id=quiz.id, user_id=hire.id))
        db.session.flush()
        started = utcnow() - timedelta(days=days_ago)
        attempt = start_attempt(quiz, hire, started)
        for n, item in enumerate(attempt.answers):
            at = started + timedelta(seconds=50 + 40 * n + 25 * (n % 3))
            _answer(attempt, item, item.position not in wrong, words, words["essay_graded"], at)
        submit(attempt, started + timedelta(minutes=18))
        for item in attempt.answers:
            if not question_type(item.version.kind).auto and item.points is None:
                grade_answer(item, mentor, essay_points * item.version.points, words["grading_comment"])
        sign_off_result(attempt, mentor)
    db.session.flush()
