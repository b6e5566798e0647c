"""Concurrent starts on PostgreSQL: one attempt in progress, never past the limit."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from recruit.audit import AuditEntry
from recruit.auth.models import User
from recruit.extensions import db
from recruit.quizzes.attempts import start_attempt
from recruit.quizzes.attempts import submit as submit_attempt
from recruit.quizzes.errors import QuizError
from recruit.quizzes.models import Attempt, Quiz
from recruit.quizzes.types import Choice, Question
from recruit.utc import utcnow
from tests.concurrency import at_once
from tests.conftest import TEST_DB

pytestmark = [pytest.mark.pg,
              pytest.mark.skipif(TEST_DB != "postgres", reason="parallel writers: PostgreSQL run")]


def _quiz(make, hire: int) -> int:
    return make.quiz(Question("single", "Q?", choices=[Choice("a", 1.0), Choice("b")]), assign_to=(hire,),
                     title="Q", key="q", attempt_limit=2)


def test_parallel_starts_make_one_attempt(clean_app, make):
    hire = make.user("new_hire", email="hire@x.test")
    quiz_id = _quiz(make, hire)

    def start(_n):
        try:
            return start_attempt(db.session.get(Quiz, quiz_id), db.session.get(User, hire)).id
        except QuizError:
            return "refused"

    results = at_once(clean_app, 4, start)
    with clean_app.app_context():
        attempts = db.session.scalars(sa.select(Attempt).where(Attempt.quiz_id == quiz_id)).all()
    assert len(attempts) == 1 and attempts[0].state == "in_progress"
    assert len(results) == 4 and all(r in (attempts[0].id, "refused") for r in results)


def test_parallel_submits_grade_once(clean_app, make):
    """Four submits of one attempt at the same moment (a double click, two
    tabs, the countdown): one is graded, the others wait on the row and then
    change nothing. One audit row, one submit time."""
    hire = make.user("new_hire", email="hire@x.test")
    quiz_id = _quiz(make, hire)
    with clean_app.app_context():
        attempt_id = start_attempt(db.session.get(Quiz, quiz_id), db.session.get(User, hire)).id
        db.session.commit()
    start = utcnow()

    def submit(n: int, attempt: Attempt):
        submit_attempt(attempt, start + timedelta(seconds=n))
        return attempt.state, attempt.submitted_at

    results = at_once(clean_app, 4, submit, before=lambda _n: db.session.get(Attempt, attempt_id))
    assert len(results) == 4 and len(set(results)) == 1  # every request answers with the one graded submit
    assert results[0][0] == "graded"
    with clean_app.app_context():
        assert db.session.get(Attempt, attempt_id).submitted_at == results[0][1]
        assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(
            AuditEntry.action == "attempt.submit", AuditEntry.object_id == attempt_id)) == 1
