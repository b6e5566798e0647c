"""A product-knowledge quiz from the trainers' GIFT file, assigned to a hire
(`quiz_world`), and the same quiz answered, submitted and waiting for its
grading on a running plan (`graded_world`)."""

from datetime import timedelta
from pathlib import Path

import pytest

from recruit.auth import services as accounts
from recruit.organisation.services import local_now
from recruit.quizzes.attempts import save_answer, start_attempt, submit
from recruit.quizzes.bank import import_gift
from recruit.quizzes.models import Quiz, QuizAssignment, QuizQuestion
from recruit.quizzes.types import question_type
from recruit.training import plans as ts
from recruit.training.plan_templates import ensure_default_template
from recruit.utc import utcnow

BANK = (Path(__file__).parent.parent / "fixtures" / "product_knowledge.gift").read_text(encoding="utf-8")
ESSAY = "Offer the 8 in stock now and the rest from the factory."


@pytest.fixture
def quiz_world(ctx):
    admin = accounts.create_user("admin@x.test", "Admin", ["admin"], password="long-enough-pw")
    hire = accounts.create_user("hire@x.test", "Hire", ["new_hire"], password="long-enough-pw")
    bank = import_gift(BANK, admin)
    by_name = {b.name: b for b in bank}
    quiz = Quiz(title="Product knowledge", key="product-knowledge", time_limit_minutes=20, pass_mark=0.6,
                attempt_limit=2, shuffle_questions=False, shuffle_choices=True)
    for position, name in enumerate(("Chair warranty", "Chair differences", "Chair load", "Desk height",
                                     "Out of stock")):
        quiz.fixed.append(QuizQuestion(question_id=by_name[name].id, position=position))
    ctx.session.add(quiz)
    ctx.session.flush()
    ctx.session.add(QuizAssignment(quiz_id=quiz.id, user_id=hire.id))
    ctx.session.commit()
    return {"admin": admin, "hire": hire, "quiz": quiz, "bank": by_name}


def answer_all(attempt, now):
    """Right answers, saved as the page sends them (by their shown positions:
    choices are shuffled per attempt); each question's type gives its answer."""
    for item in attempt.answers:
        qtype = question_type(item.version.kind)
        kept = qtype.sample_answer(item.version.data, right=True, essay=ESSAY)
        save_answer(attempt, item.position, qtype.to_shown(kept, item.choice_order or []), now)


@pytest.fixture
def graded_world(quiz_world, ctx):
    mentor = accounts.create_user("mentor@x.test", "Mentor", ["mentor"], password="long-enough-pw")
    trainer = accounts.create_user("trainer@x.test", "Trainer", ["trainer"], password="long-enough-pw")
    plan = ts.start_plan(ts.PlanRequest("hire@x.test", "Hire", local_now().date(), ensure_default_template(),
                                        mentor.id, mentor.id), quiz_world["admin"])
    now = utcnow()
    attempt = start_attempt(quiz_world["quiz"], quiz_world["hire"], now)
    answer_all(attempt, now + timedelta(minutes=5))
    submit(attempt, now + timedelta(minutes=6))
    ctx.session.commit()
    return {**quiz_world, "mentor": mentor, "trainer": trainer, "plan": plan, "attempt": attempt, "now": now}
