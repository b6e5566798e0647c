"""Quiz integrity (issue 12, point 7): what a hire sees after an attempt is a
quiz setting (the score while attempts remain, the answers once none is left
or the quiz closes); a retake draws other questions and a new order; matching
never shows its choices in key order; a mentor gives one hire extra time or
an extra attempt, with a reason."""

import random
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import login

pytestmark = pytest.mark.pg
SECRETS = ("Right: five years on the Pro line.", "Basic line only.", "The lift desk goes to 125 cm.")


@pytest.fixture
def world(clean_app, make):
    """A quiz of three auto-graded questions (two attempts, feedback in the
    key), a hire with a plan whose mentor is `mentor`, another mentor, a trainer."""
    from recruit.auth import services as accounts
    from recruit.auth.models import User
    from recruit.extensions import db
    from recruit.organisation.services import local_now
    from recruit.quizzes.bank import add_question
    from recruit.quizzes.models import Quiz, QuizAssignment, QuizQuestion
    from recruit.quizzes.types import Choice, Question
    from recruit.training import plans as ts
    from recruit.training.plan_templates import ensure_default_template

    ids = {"mentor": make.user("mentor", email="mentor@x.test"),
           "hire": make.user("new_hire", email="hire@x.test", name="Hanna Hire"),
           "other_mentor": make.user("mentor", email="other@x.test"),
           "trainer": make.user("trainer", email="trainer@x.test"), "admin": make.user("admin", email="admin@x.test")}
    with clean_app.app_context():
        mentor = db.session.get(User, ids["mentor"])
        ts.start_plan(ts.PlanRequest("hire@x.test", "Hanna Hire", local_now().date() - timedelta(days=2),
                                     ensure_default_template(), mentor.id, mentor.id), mentor)
        questions = [
            add_question(Question("single", "Warranty of the Pro chair?", name="Warranty", feedback=SECRETS[2],
                                     choices=[Choice("5 years", 1.0, SECRETS[0]), Choice("2 years", 0.0, SECRETS[1])])),
            add_question(Question("true_false", "The Lift desk has two motors.", name="Motors", correct=True)),
            add_question(Question("short", "Name the desk line.", name="Desk line",
                                     choices=[Choice("Lift", 1.0)])),
        ]
        quiz = Quiz(title="Product knowledge", key="product-knowledge", attempt_limit=2, time_limit_minutes=20)
        quiz.fixed.extend(QuizQuestion(question_id=q.id, position=n) for n, q in enumerate(questions))
        db.session.add(quiz)
        db.session.flush()
        db.session.add(QuizAssignment(quiz_id=quiz.id, user_id=ids["hire"]))
        ids["quiz"] = quiz.id
        ids["token"] = accounts.create_api_token(db.session.get(User, ids["hire"]), "t")[1]
        db.session.commit()
    return ids


def _wrong_attempt(client, world) -> int:
    """The hire takes the quiz in the browser and gets everything wrong."""
    from recruit.extensions import db
    from recruit.quizzes.models import Attempt

    attempt_url = client.post(f"/quizzes/{world['quiz']}/start").headers["Location"]
    attempt_id = int(attempt_url.rsplit("/", 1)[1])
    with client.application.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        form = {}
        for item in attempt.answers:
            prefix = f"q{item.position}-"
            form[prefix + "present"] = "1"
            if item.version.kind == "single":
                form[prefix + "answer"] = str(item.choice_order.index(1))  # "2 years"
            elif item.version.kind == "true_false":
                form[prefix + "answer"] = "false"
            else:
                form[prefix + "answer"] = "Chair"
    client.post(f"/attempts/{attempt_id}/submit", data=form)
    return attempt_id


def _api(client, world, url):
    return client.get(f"/api/v1{url}", headers={"Authorization": f"Bearer {world['token']}"})


def test_a_failed_attempt_shows_the_score_not_the_key_while_an_attempt_remains(clean_app, world):
    client = clean_app.test_client()
    login(client, "hire@x.test")
    first = _wrong_attempt(client, world)
    page = client.get(f"/attempts/{first}").get_data(as_text=True)
    assert "0 / 3" in page and "not passed" in page
    for secret in SECRETS:
        assert secret not in page
    assert "✓" not in page and "Accepted:" not in page and "The statement is" not in page
    result = _api(client, world, f"/attempts/{first}").get_json()
    assert result["score"] == 0 and result["passed"] is False
    assert result["review"] == {"marks": False, "answers": False}
    for question in result["questions"]:
        assert not {"feedback", "choice_feedback", "right", "correct", "accepted", "key", "comment",
                    "points_earned", "is_right"} & set(question)
    assert not any(secret in _api(client, world, "/attempts").get_data(as_text=True) for secret in SECRETS)

    started = client.post(f"/quizzes/{world['quiz']}/start").headers["Location"]  # the last attempt runs:
    page = client.get(f"/attempts/{first}").get_data(as_text=True)  # the first one still hides the key
    assert not any(secret in page for secret in SECRETS)

    client.post(f"{started}/submit")  # the last attempt: now the key and the feedback are shown
    for url in (f"/attempts/{first}", started):
        page = client.get(url).get_data(as_text=True)
        assert all(secret in page for secret in SECRETS), url
        assert "Accepted: Lift" in page and "The statement is true." in page
    result = _api(client, world, f"/attempts/{first}").get_json()
    assert result["review"] == {"marks": True, "answers": True}
    warranty = next(q for q in result["questions"] if q["kind"] == "single")
    assert sorted(warranty["choice_feedback"]) == sorted(SECRETS[:2]) and warranty["points_earned"] == 0


def test_the_quiz_closing_shows_the_answers_and_marks_is_a_choice(clean_app, world):
    from recruit.extensions import db
    from recruit.quizzes.models import Quiz
    from recruit.utc import utcnow

    client = clean_app.test_client()
    login(client, "hire@x.test")
    first = _wrong_attempt(client, world)
    with clean_app.app_context():
        db.session.get(Quiz, world["quiz"]).review_open = "marks"
        db.session.commit()
    page = client.get(f"/attempts/{first}").get_data(as_text=True)
    assert "not quite right" in page and "Points" in page  # marks: points and whether each is right ...
    assert not any(secret in page for secret in SECRETS)  # ... but not the key
    marks = _api(client, world, f"/attempts/{first}").get_json()
    assert marks["review"] == {"marks": True, "answers": False}
    assert all(q["is_right"] is False and "feedback" not in q for q in marks["questions"])
    with clean_app.app_context():
        db.session.get(Quiz, world["quiz"]).closes_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    page = client.get(f"/attempts/{first}").get_data(as_text=True)  # an attempt is left, but the quiz closed
    assert all(secret in page for secret in SECRETS)


def test_review_options_on_the_quiz_forms(clean_app, world):
    from recruit.audit import AuditEntry
    from recruit.extensions import db
    from recruit.quizzes.models import Quiz

    client = clean_app.test_client()
    login(client, "trainer@x.test")
    form = client.get(f"/quizzes/{world['quiz']}/edit").get_data(as_text=True)
    assert 'name="review_open"' in form and 'value="score" selected' in form
    refused = client.post(f"/quizzes/{world['quiz']}/edit", data={"review_open": "answers", "review_closed": "score"},
                          follow_redirects=True).get_data(as_text=True)
    assert "at least what they saw" in refused
    junk = client.post(f"/quizzes/{world['quiz']}/edit", data={"review_open": "all", "review_closed": "answers"},
                       follow_redirects=True).get_data(as_text=True)
    assert "from the list" in junk
    with clean_app.app_context():
        assert db.session.get(Quiz, world["quiz"]).review_open == "score"
    saved = client.post(f"/quizzes/{world['quiz']}/edit", data={"review_open": "marks", "review_closed": "answers"},
                        follow_redirects=True).get_data(as_text=True)
    assert "Review options saved" in saved
    with clean_app.app_context():
        assert db.session.get(Quiz, world["quiz"]).review_open == "marks"
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "quiz.review_options"))
        assert entry.actor_id == world["trainer"] and entry.data["review_open"] == "marks"
    new_form = client.get("/quizzes/new").get_data(as_text=True)
    assert 'name="review_closed"' in new_form and 'value="answers" selected' in new_form
    question_id = re.search(r'name="questions" value="(\d+)"', new_form).group(1)
    client.post("/quizzes/new", data={"title": "Open book", "key": "open-book", "review_open": "answers",
                                      "review_closed": "answers", "questions": [question_id]})
    with clean_app.app_context():
        quiz = db.session.scalar(sa.select(Quiz).where(Quiz.key == "open-book"))
        assert (quiz.review_open, quiz.review_closed) == ("answers", "answers")


def _draw_world(ctx, pool_size: int, count: int, name: str):
    from recruit.auth import services as accounts
    from recruit.quizzes.bank import add_question, category_named
    from recruit.quizzes.models import Quiz, QuizAssignment
    from recruit.quizzes.types import Choice, Question

    for n in range(pool_size):
        add_question(Question("single", f"{name} question {n}?", name=f"{name} {n}", category=name,
                                 choices=[Choice("yes", 1.0), Choice("no")]))
    category = category_named(name)
    quiz = Quiz(title=name, key=name, attempt_limit=3, random_draws=[{"category_id": category.id, "count": count}])
    ctx.session.add(quiz)
    ctx.session.flush()
    hire = accounts.create_user(f"{name}@x.test", name, ["new_hire"], password="long-enough-pw")
    ctx.session.add(QuizAssignment(quiz_id=quiz.id, user_id=hire.id))
    ctx.session.flush()
    return quiz, hire


def _asked(attempt) -> list[int]:
    return [item.version.question_id for item in attempt.answers]


@pytest.mark.parametrize("seed", range(12))
def test_a_retake_draws_other_questions_and_a_new_order(ctx, seed):
    from recruit.extensions import db
    from recruit.quizzes.attempts import start_attempt, submit
    from recruit.quizzes.models import BankQuestion

    quiz, hire = _draw_world(ctx, 6, 3, f"draw{seed}")
    rng = random.Random(seed)
    first = start_attempt(quiz, hire, rng=rng)
    submit(first)
    second = start_attempt(quiz, hire, rng=rng)
    assert len(_asked(second)) == 3 and not set(_asked(first)) & set(_asked(second))  # the category allows it
    submit(second)
    third = start_attempt(quiz, hire, rng=rng)  # all six asked: the third draws again, in a new order
    assert len(set(_asked(third))) == 3 and _asked(third) != _asked(second)

    small, other = _draw_world(ctx, 4, 3, f"small{seed}")
    first = start_attempt(small, other, rng=rng)
    submit(first)
    second = start_attempt(small, other, rng=rng)
    unseen = {q.id for q in db.session.scalars(sa.select(BankQuestion).where(
        BankQuestion.category_id == small.random_draws[0]["category_id"]))} - set(_asked(first))
    assert unseen <= set(_asked(second))  # the one not asked yet is in, the rest comes again


@pytest.mark.parametrize("seed", range(12))
def test_a_retake_of_fixed_questions_is_reshuffled(world, clean_app, seed):
    from recruit.auth.models import User
    from recruit.extensions import db
    from recruit.quizzes.attempts import start_attempt, submit
    from recruit.quizzes.models import Quiz

    with clean_app.app_context():
        quiz, hire = db.session.get(Quiz, world["quiz"]), db.session.get(User, world["hire"])
        rng = random.Random(seed)
        first = start_attempt(quiz, hire, rng=rng)
        submit(first)
        second = start_attempt(quiz, hire, rng=rng)
        assert sorted(_asked(first)) == sorted(_asked(second)) and _asked(first) != _asked(second)


def test_matching_never_shows_its_choices_in_key_order(ctx):
    from recruit.auth import services as accounts
    from recruit.quizzes import drawing
    from recruit.quizzes.attempts import save_answer, start_attempt, submit
    from recruit.quizzes.bank import add_question
    from recruit.quizzes.models import Quiz, QuizAssignment, QuizQuestion
    from recruit.quizzes.review import NOTHING, shown_question
    from recruit.quizzes.types import Question

    for n in (2, 3, 4, 5):
        pairs = [(f"item {i}", f"answer {i}") for i in range(n)]
        for seed in range(300):
            for shuffle_lefts in (True, False):
                lefts, rights = drawing.matching_orders(pairs, random.Random(seed), shuffle_lefts=shuffle_lefts)
                assert sorted(lefts) == list(range(n)) and sorted(rights) == list(range(n))
                assert rights != list(range(n)) and rights != drawing.key_sequence(pairs, lefts)
    shared = [("a", "x"), ("b", "x"), ("c", "y")]  # two items share an answer
    for seed in range(100):
        lefts, rights = drawing.matching_orders(shared, random.Random(seed), shuffle_lefts=True)
        assert rights != [0, 1] and rights != drawing.key_sequence(shared, lefts)

    # in an attempt: the answers are alphabetical in key order, the trap of the old sorted list
    key = [("Pro chair", "A: 5-year warranty"), ("Lift desk", "B: two motors"), ("Basic chair", "C: 2 years")]
    bank = add_question(Question("matching", "Match the product to its feature.", pairs=key))
    quiz = Quiz(title="Match", key="match", attempt_limit=1)
    quiz.fixed.append(QuizQuestion(question_id=bank.id))
    ctx.session.add(quiz)
    ctx.session.flush()
    orders = set()
    for seed in range(20):
        hire = accounts.create_user(f"m{seed}@x.test", "M", ["new_hire"], password="long-enough-pw")
        ctx.session.add(QuizAssignment(quiz_id=quiz.id, user_id=hire.id))
        ctx.session.flush()
        item = start_attempt(quiz, hire, rng=random.Random(seed)).answers[0]
        shown = shown_question(item, NOTHING)
        answers_in_shown_order = [dict(key)[left] for left in shown["lefts"]]
        assert shown["rights"] != answers_in_shown_order and shown["rights"] != [r for _, r in key]
        assert sorted(shown["rights"]) == sorted(r for _, r in key) and "key" not in shown
        orders.add(tuple(shown["lefts"]))
        save_answer(item.attempt, 0, dict(key))
        assert submit(item.attempt).score == 1.0  # the order changes nothing in the grading
    assert len(orders) > 1  # the left side is shuffled too


def test_a_mentor_gives_extra_time_and_an_extra_attempt_with_a_reason(clean_app, world):
    from recruit.audit import AuditEntry
    from recruit.auth.models import User
    from recruit.extensions import db
    from recruit.quizzes import allowances
    from recruit.quizzes.attempts import save_answer, start_attempt, submit
    from recruit.quizzes.errors import QuizError
    from recruit.quizzes.models import Attempt, Quiz
    from recruit.utc import utcnow

    with clean_app.app_context():
        quiz, hire = db.session.get(Quiz, world["quiz"]), db.session.get(User, world["hire"])
        quiz.attempt_limit = 1
        start = utcnow()
        attempt = start_attempt(quiz, hire, start)
        db.session.commit()
        attempt_id, deadline = attempt.id, attempt.deadline
    assert deadline == start + timedelta(minutes=20)

    mentor = clean_app.test_client()
    login(mentor, "mentor@x.test")
    page = mentor.get(f"/quizzes/{world['quiz']}/hires/{world['hire']}").get_data(as_text=True)
    assert "Hanna Hire" in page and "attempt 1 runs until" in page
    url = f"/quizzes/{world['quiz']}/hires/{world['hire']}/adjust"
    refused = mentor.post(url, data={"extra_minutes": "15", "reason": " "}, follow_redirects=True)
    assert "Say why" in refused.get_data(as_text=True)
    assert "whole numbers" in mentor.post(url, data={"extra_minutes": "1e3", "reason": "x"},
                                          follow_redirects=True).get_data(as_text=True)
    given = mentor.post(url, data={"extra_minutes": "15", "extra_attempts": "0",
                                   "reason": "Reads slowly in a second language (WCAG 2.2.1)."}, follow_redirects=True)
    page = given.get_data(as_text=True)
    assert "has the adjustment" in page and "Reads slowly in a second language" in page and "35" in page
    with clean_app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.deadline == deadline + timedelta(minutes=15)  # the server's deadline moved
        save_answer(attempt, 0, 0, deadline + timedelta(minutes=10))  # past the old deadline: still open
        submit(attempt, deadline + timedelta(minutes=11))
        assert attempt.state == "graded" and not attempt.closed_by_deadline
        db.session.commit()
        with pytest.raises(QuizError, match="used your 1 attempt"):
            start_attempt(db.session.get(Quiz, world["quiz"]), db.session.get(User, world["hire"]))
        db.session.rollback()

    other = clean_app.test_client()
    login(other, "other@x.test")  # not this hire's mentor
    assert other.get(f"/quizzes/{world['quiz']}/hires/{world['hire']}").status_code == 403
    assert other.post(url, data={"extra_attempts": "1", "reason": "Because."}).status_code == 403
    trainer = clean_app.test_client()
    login(trainer, "trainer@x.test")
    assert trainer.post(url, data={"extra_attempts": "1", "reason": "Because."}).status_code == 403

    before = mentor.get(f"/quizzes/{world['quiz']}/hires/{world['hire']}").get_data(as_text=True)
    assert "Hanna Hire has seen the right answers of an earlier attempt" in before  # none left: the key was shown
    mentor.post(url, data={"extra_attempts": "1", "reason": "The first try was on a phone during a power cut."})
    with clean_app.app_context():
        quiz, hire = db.session.get(Quiz, world["quiz"]), db.session.get(User, world["hire"])
        assert allowances.attempt_limit_for(quiz, hire.id) == 2
        now = utcnow()
        second = start_attempt(quiz, hire, now)
        assert second.number == 2 and second.deadline == now + timedelta(minutes=35)  # the extra time stays
        db.session.commit()
        second_id = second.id
        entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "quiz.adjust")
                                     .order_by(AuditEntry.id)).all()
        assert [(e.actor_id, e.data["extra_minutes"], e.data["extra_attempts"]) for e in entries] == [
            (world["mentor"], 15, 0), (world["mentor"], 0, 1)]
        assert entries[0].data["reason"].startswith("Reads slowly") and entries[0].data["attempt_id"] == attempt_id
    hire_client = clean_app.test_client()
    login(hire_client, "hire@x.test")
    tile = hire_client.get("/quizzes").get_data(as_text=True)
    assert "15 more minutes on every attempt" in tile and "1 more attempt." in tile
    taking = hire_client.get(f"/attempts/{second_id}").get_data(as_text=True)
    assert "Your time includes 15 extra minutes from your mentor." in taking and "Reads slowly" not in taking
    result = mentor.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert f"/quizzes/{world['quiz']}/hires/{world['hire']}" in result  # from the result to the adjustments


def test_extra_time_for_an_attempt_already_over_goes_to_the_next(clean_app, world):
    from recruit.auth.models import User
    from recruit.extensions import db
    from recruit.quizzes import adjustments
    from recruit.quizzes.attempts import start_attempt
    from recruit.quizzes.errors import QuizError
    from recruit.quizzes.models import Quiz
    from recruit.utc import utcnow

    with clean_app.app_context():
        quiz, hire = db.session.get(Quiz, world["quiz"]), db.session.get(User, world["hire"])
        mentor, admin = db.session.get(User, world["mentor"]), db.session.get(User, world["admin"])
        start = utcnow() - timedelta(hours=1)
        attempt = start_attempt(quiz, hire, start)
        adjustments.grant(quiz, hire, admin, minutes=10, attempts=0, reason="Admin may too.")
        assert attempt.state == "graded" and attempt.closed_by_deadline  # over long ago: closed, not revived
        assert attempt.deadline == start + timedelta(minutes=20)
        with pytest.raises(QuizError, match="extra attempt"):
            adjustments.grant(quiz, hire, mentor, minutes=0, attempts=0, reason="Nothing.")
        with pytest.raises(QuizError, match="from 0 to"):
            adjustments.grant(quiz, hire, mentor, minutes=601, attempts=0, reason="Too much.")
        with pytest.raises(QuizError, match="new hire"):
            adjustments.grant(quiz, mentor, admin, minutes=5, attempts=0, reason="Not a hire.")
        with pytest.raises(PermissionError):
            adjustments.grant(quiz, hire, db.session.get(User, world["other_mentor"]), minutes=5, attempts=0,
                              reason="Not my mentee.")
