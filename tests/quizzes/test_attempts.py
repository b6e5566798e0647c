"""Attempts: the bank, versions, the server-kept deadline, the attempt limit,
grading, and the sign-off that the onboarding gate reads."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from recruit.auth import services as accounts
from recruit.quizzes import gift, types
from recruit.quizzes.attempts import save_answer, start_attempt, submit
from recruit.quizzes.bank import edit_question, export_gift, import_gift
from recruit.quizzes.errors import QuizError
from recruit.quizzes.grading import grade_answer, sign_off_result
from recruit.utc import utcnow
from tests.worlds.quizzes import answer_all

pytestmark = pytest.mark.pg


def test_gift_import_is_all_or_nothing(quiz_world, ctx):
    from recruit.quizzes.models import BankQuestion

    before = ctx.session.scalar(sa.select(sa.func.count(BankQuestion.id)))
    with pytest.raises(QuizError, match="Line 3"):
        import_gift("::A::Fine{=a ~b}\n\n::B::Broken{=a\n", quiz_world["admin"])
    ctx.session.rollback()
    assert ctx.session.scalar(sa.select(sa.func.count(BankQuestion.id))) == before == 13
    exported = export_gift(list(quiz_world["bank"].values()))
    assert len(gift.parse(exported)) == 13


def test_answered_questions_keep_their_text(quiz_world, ctx):
    warranty = quiz_world["bank"]["Chair warranty"]
    edited = types.from_data(warranty.current.data)
    edited.text = "How long is the warranty on the Pro chair?"
    version = edit_question(warranty, edited, quiz_world["admin"])
    assert version.number == 1  # nobody answered it yet: edited in place
    attempt = start_attempt(quiz_world["quiz"], quiz_world["hire"])
    edited.text = "Warranty of the Pro chair, in years?"
    version = edit_question(warranty, edited, quiz_world["admin"])
    assert version.number == 2
    asked = attempt.answers[0].version
    assert asked.number == 1 and asked.data["text"] == "How long is the warranty on the Pro chair?"


def test_attempt_grading_essay_and_sign_off_into_the_gate(quiz_world, ctx):
    from recruit.training import gates
    from recruit.training import plans as ts
    from recruit.training.models import OnboardingPlan
    from recruit.training.plan_templates import ensure_default_template

    hire, admin = quiz_world["hire"], quiz_world["admin"]
    mentor = accounts.create_user("mentor@x.test", "Mentor", ["mentor"], password="long-enough-pw")
    template = ensure_default_template()
    from recruit.organisation.services import local_now

    plan = ts.start_plan(ts.PlanRequest("hire@x.test", "Hire", local_now().date(), template, mentor.id, mentor.id),
                         admin)
    now = utcnow()
    attempt = start_attempt(quiz_world["quiz"], hire, now)
    assert start_attempt(quiz_world["quiz"], hire, now + timedelta(minutes=3)) is attempt  # a reload
    answer_all(attempt, now + timedelta(minutes=5))
    submit(attempt, now + timedelta(minutes=6))
    assert attempt.state == "submitted" and attempt.score is None  # the essay waits for the mentor
    assert [item.points for item in attempt.answers[:4]] == [1.0, 1.0, 1.0, 1.0]
    submit(attempt, now + timedelta(minutes=6, seconds=1))  # a double click
    assert attempt.submitted_at == now + timedelta(minutes=6)
    essay = attempt.answers[4]
    with pytest.raises(QuizError, match="Points run"):
        grade_answer(essay, mentor, 3.0)
    with pytest.raises(QuizError, match="Say why"):
        grade_answer(attempt.answers[2], mentor, 0.5)
    grade_answer(essay, mentor, 0.5, "Good, but name the delivery date.")
    assert attempt.state == "graded" and attempt.score == 4.5 and attempt.passed
    stage = plan.stages[2]
    assert not {line.kind: line for line in gates.gate(stage)}["quiz_passed"].met
    other = accounts.create_user("other@x.test", "Other", ["mentor"], password="long-enough-pw")
    with pytest.raises(PermissionError):
        sign_off_result(attempt, other)
    sign_off_result(attempt, mentor)
    ctx.session.commit()
    assert {line.kind: line for line in gates.gate(ctx.session.get(OnboardingPlan, plan.id).stages[2])}[
        "quiz_passed"].met


def test_deadline_is_kept_by_the_server(quiz_world):
    hire = quiz_world["hire"]
    start = utcnow()
    attempt = start_attempt(quiz_world["quiz"], hire, start)
    save_answer(attempt, 3, True, start + timedelta(minutes=19))
    save_answer(attempt, 2, "150", start + timedelta(minutes=20, seconds=20))  # within the grace
    with pytest.raises(QuizError, match="Time is up"):
        save_answer(attempt, 0, 0, start + timedelta(minutes=21))
    assert attempt.state == "graded" and attempt.closed_by_deadline
    assert attempt.answers[3].points == 1.0 and attempt.answers[2].points == 1.0
    assert attempt.answers[0].answer is None and attempt.answers[0].points == 0.0
    late = submit(attempt, start + timedelta(minutes=30))
    assert late.submitted_at == start + timedelta(minutes=21)


def test_attempt_limit_and_who_may_take_it(quiz_world, ctx):
    hire = quiz_world["hire"]
    start = utcnow()
    first = start_attempt(quiz_world["quiz"], hire, start)
    submit(first, start + timedelta(minutes=1))
    second = start_attempt(quiz_world["quiz"], hire, start + timedelta(minutes=2))
    assert second.number == 2
    submit(second, start + timedelta(minutes=3))
    with pytest.raises(QuizError, match="all 2 attempts"):
        start_attempt(quiz_world["quiz"], hire, start + timedelta(minutes=4))
    stranger = accounts.create_user("s@x.test", "S", ["new_hire"], password="long-enough-pw")
    with pytest.raises(PermissionError):
        start_attempt(quiz_world["quiz"], stranger)


def test_availability_window(quiz_world):
    quiz, hire = quiz_world["quiz"], quiz_world["hire"]
    now = utcnow()
    quiz.opens_at = now + timedelta(days=1)
    with pytest.raises(QuizError, match="not open"):
        start_attempt(quiz, hire, now)
    quiz.opens_at, quiz.closes_at = now - timedelta(days=2), now - timedelta(days=1)
    with pytest.raises(QuizError, match="not open"):
        start_attempt(quiz, hire, now)
    quiz.closes_at = now + timedelta(days=1)
    assert start_attempt(quiz, hire, now).number == 1
