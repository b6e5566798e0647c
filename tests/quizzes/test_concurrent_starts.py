"""Concurrent starts on PostgreSQL: one attempt in progress, never past the limit."""

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import TEST_DB

pytestmark = [pytest.mark.pg,
              pytest.mark.skipif(TEST_DB != "postgres", reason="parallel writers: PostgreSQL run")]


def test_parallel_starts_make_one_attempt(clean_app, make):
    from recruit.auth.models import User
    from recruit.extensions import db
    from recruit.quizzes.attempts import start_attempt
    from recruit.quizzes.bank import add_question
    from recruit.quizzes.errors import QuizError
    from recruit.quizzes.models import Attempt, Quiz, QuizAssignment, QuizQuestion
    from recruit.quizzes.types import Choice, Question

    hire = make.user("new_hire", email="hire@x.test")
    with clean_app.app_context():
        bank = add_question(Question("single", "Q?", choices=[Choice("a", 1.0), Choice("b")]))
        quiz = Quiz(title="Q", key="q", attempt_limit=2)
        quiz.fixed.append(QuizQuestion(question_id=bank.id))
        db.session.add(quiz)
        db.session.flush()
        db.session.add(QuizAssignment(quiz_id=quiz.id, user_id=hire))
        db.session.commit()
        quiz_id = quiz.id
    barrier = threading.Barrier(4)
    results = []

    def start():
        with clean_app.app_context():
            barrier.wait()
            try:
                attempt = start_attempt(db.session.get(Quiz, quiz_id), db.session.get(User, hire))
                db.session.commit()
                results.append(attempt.id)
            except QuizError:
                db.session.rollback()
                results.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    with clean_app.app_context():
        attempts = db.session.scalars(sa.select(Attempt).where(Attempt.quiz_id == quiz_id)).all()
    assert len(attempts) == 1 and attempts[0].state == "in_progress"
    assert len(results) == 4 and all(r in (attempts[0].id, "refused") for r in results)


def test_parallel_submits_grade_once(clean_app, make):
    """Four submits of one attempt at the same moment (a double click, two
    tabs, the countdown): one is graded, the others wait on the row and then
    change nothing. One audit row, one submit time."""
    from recruit.audit import AuditEntry
    from recruit.auth.models import User
    from recruit.extensions import db
    from recruit.quizzes.attempts import start_attempt
    from recruit.quizzes.attempts import submit as submit_attempt
    from recruit.quizzes.bank import add_question
    from recruit.quizzes.models import Attempt, Quiz, QuizAssignment, QuizQuestion
    from recruit.quizzes.types import Choice, Question
    from recruit.utc import utcnow

    hire = make.user("new_hire", email="hire@x.test")
    with clean_app.app_context():
        bank = add_question(Question("single", "Q?", choices=[Choice("a", 1.0), Choice("b")]))
        quiz = Quiz(title="Q", key="q", attempt_limit=2)
        quiz.fixed.append(QuizQuestion(question_id=bank.id))
        db.session.add(quiz)
        db.session.flush()
        db.session.add(QuizAssignment(quiz_id=quiz.id, user_id=hire))
        attempt_id = start_attempt(quiz, db.session.get(User, hire)).id
        db.session.commit()
    barrier = threading.Barrier(4)
    start = utcnow()
    results = []

    def submit(n: int):
        with clean_app.app_context():
            attempt = db.session.get(Attempt, attempt_id)
            barrier.wait()
            submit_attempt(attempt, start + timedelta(seconds=n))
            db.session.commit()
            results.append((attempt.state, attempt.submitted_at))
            db.session.remove()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(results) == 4 and len(set(results)) == 1  # every request answers with the one graded submit
    assert results[0][0] == "graded"
    with clean_app.app_context():
        assert db.session.get(Attempt, attempt_id).submitted_at == results[0][1]
        assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(
            AuditEntry.action == "attempt.submit", AuditEntry.object_id == attempt_id)) == 1
