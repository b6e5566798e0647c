"""The trainer grades essays of every trainee but signs nothing off; the
mentor signs off or asks for a retake; time per question is measured
between saves; the statistics page draws its charts."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from recruit.audit import AuditEntry
from recruit.auth import services as accounts
from recruit.mail import OutboxMessage
from recruit.quizzes import stats
from recruit.quizzes.attempts import attempts_left, save_answer, start_attempt, submit
from recruit.quizzes.errors import QuizError
from recruit.quizzes.grading import (
    grade_answer,
    grading_queue,
    may_grade,
    may_sign_off,
    request_retake,
    sign_off_result,
)
from recruit.quizzes.models import Attempt
from recruit.utc import utcnow
from tests.conftest import login


def test_trainer_grades_any_trainee_but_the_mentor_signs_off(graded_world, ctx):
    attempt, trainer, mentor = graded_world["attempt"], graded_world["trainer"], graded_world["mentor"]
    other_mentor = accounts.create_user("m2@x.test", "Other mentor", ["mentor"], password="long-enough-pw")
    assert attempt in grading_queue(trainer)  # not the trainer's mentee, still theirs to grade
    assert attempt in grading_queue(mentor)
    assert attempt not in grading_queue(other_mentor)
    assert may_grade(attempt, trainer) and not may_grade(attempt, other_mentor)
    essay = attempt.answers[4]
    grade_answer(essay, trainer, 0.5, "Name the delivery date too.")
    ctx.session.commit()
    assert attempt.state == "graded" and essay.graded_by_id == trainer.id
    assert attempt not in grading_queue(trainer)  # graded: nothing left for the trainer
    assert attempt in grading_queue(mentor)  # waiting for the mentor's sign-off
    assert not may_sign_off(attempt, trainer)
    with pytest.raises(PermissionError):
        sign_off_result(attempt, trainer)
    sign_off_result(attempt, mentor)
    ctx.session.commit()
    assert attempt.signed_off_by_id == mentor.id
    with pytest.raises(QuizError, match="already signed off"):
        sign_off_result(attempt, mentor)


def test_mentor_asks_for_a_retake(graded_world, ctx):
    attempt, mentor, hire = graded_world["attempt"], graded_world["mentor"], graded_world["hire"]
    with pytest.raises(QuizError, match="Grade every answer"):
        request_retake(attempt, mentor)
    grade_answer(attempt.answers[4], mentor, 0.0, "This would lose the client.")
    with pytest.raises(PermissionError):
        request_retake(attempt, graded_world["trainer"])
    request_retake(attempt, mentor, "Read the stock rules again.")
    ctx.session.commit()
    mail = ctx.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.kind == "quiz.retake"))
    assert mail.recipient == hire.email and "Read the stock rules again." in mail.body and "1 attempt" in mail.body
    assert ctx.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "attempt.retake_requested",
                                                          AuditEntry.object_id == attempt.id)).actor_id == mentor.id
    assert attempt not in grading_queue(mentor)
    with pytest.raises(QuizError, match="already requested"):
        request_retake(attempt, mentor)
    second = start_attempt(graded_world["quiz"], hire, graded_world["now"] + timedelta(hours=1))
    assert second.number == 2
    submit(second, graded_world["now"] + timedelta(hours=1, minutes=1))
    assert attempts_left(second) == 0
    with pytest.raises(QuizError, match="No attempts are left"):
        request_retake(second, mentor)
    sign_off_result(second, mentor)  # the last chance: signed off as it is, not passed
    ctx.session.commit()
    assert second.passed is False and second.signed_off_at is not None


def test_time_per_question_is_the_time_between_saves(quiz_world):
    hire = quiz_world["hire"]
    start = utcnow()
    attempt = start_attempt(quiz_world["quiz"], hire, start)
    save_answer(attempt, 0, 0, start + timedelta(minutes=2))
    save_answer(attempt, 1, [0], start + timedelta(minutes=5))
    save_answer(attempt, 0, 1, start + timedelta(minutes=6))
    save_answer(attempt, 3, True, start + timedelta(minutes=20, seconds=20))  # in the grace: up to the deadline
    seconds = [item.seconds_spent for item in attempt.answers]
    assert seconds == [180.0, 180.0, 0.0, 840.0, 0.0]


def test_statistics_charts():
    assert stats.score_histogram([0, 9.9, 10, 55, 99.5, 100]) == [2, 1, 0, 0, 0, 1, 0, 0, 0, 2]
    chart = stats.histogram_chart([2, 0, 4], 0.5, width=100, height=100, pad=10)
    assert [round(b["h"]) for b in chart["bars"]] == [40, 0, 80] and chart["pass_x"] == 50
    scatter = stats.scatter_chart([("easy but useless", 90.0, 5.0), ("good", 60.0, 45.0)], width=100, height=100,
                                  pad=0)
    assert [d["weak"] for d in scatter["dots"]] == [True, False]
    assert scatter["dots"][1]["x"] == 60 and scatter["dots"][1]["y"] == pytest.approx(100 - 72.5)
    item = stats.item_stats([stats.ItemResult(1.0, None, 30.0), stats.ItemResult(0.0, "No", 90.0)], [3.0, 1.0])
    assert item.mean_seconds == 60.0 and item.common_wrong == [("No", 1)]


def test_statistics_page_shows_charts_and_time(graded_world, ctx, client):
    grade_answer(graded_world["attempt"].answers[4], graded_world["trainer"], 1.0)
    ctx.session.commit()
    login(client, "trainer@x.test", "long-enough-pw")
    page = client.get(f"/quizzes/{graded_world['quiz'].id}/statistics").get_data(as_text=True)
    assert "Graded attempts by score" in page and 'class="bar-rect"' in page
    assert "mean time" in page
    queue = client.get("/grading").get_data(as_text=True)
    assert "Nothing to grade" in queue  # graded: only the mentor's sign-off is left
    result = client.get(f"/attempts/{graded_world['attempt'].id}").get_data(as_text=True)
    assert "Sign off this result" not in result and "the hire’s mentor signs the result off" in result


def test_the_hire_sees_what_is_left_of_a_quiz(quiz_world, ctx, clean_app):
    """The quiz tile says what the hire can do next: start, continue, how many
    tries are left, the last chance, all used, or passed."""
    import re

    quiz, hire = quiz_world["quiz"], quiz_world["hire"]
    quiz.attempt_limit = 3
    ctx.session.commit()
    client = clean_app.test_client()
    login(client, "hire@x.test", "long-enough-pw")

    def tile() -> str:
        page = client.get("/quizzes").get_data(as_text=True)
        found = re.search(r'<button class="button primary">([^<]+)</button>', page)
        return found.group(1) if found else re.search(r"(Passed|All attempts used)", page).group(1)

    def finish(passed: bool) -> None:
        attempt = start_attempt(quiz, hire)
        attempt.state, attempt.passed = "graded", passed
        ctx.session.commit()

    assert tile() == "Start"
    start_attempt(quiz, hire)
    ctx.session.commit()
    assert tile() == "Continue"
    running = ctx.session.scalar(sa.select(Attempt).where(Attempt.state == "in_progress"))
    running.state, running.passed = "graded", False
    ctx.session.commit()
    assert tile() == "Try again (2 attempts left)"
    finish(False)
    assert tile() == "Last chance: try again"
    finish(False)
    assert tile() == "All attempts used"
    ctx.session.execute(sa.update(Attempt).where(Attempt.number == 3).values(passed=True))
    ctx.session.commit()
    assert tile() == "Passed"
    quiz.attempt_limit = 4
    ctx.session.execute(sa.update(Attempt).where(Attempt.number == 3).values(retake_requested_at=utcnow()))
    ctx.session.commit()
    assert tile() == "Last chance: try again"  # the mentor asked for a retake of a pass
