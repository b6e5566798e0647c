"""Issue 12: quiz statistics and the results CSV show the viewer's hires only
(a trainer or an admin sees every hire) (point 5); a second submit of an
attempt, even one racing the first, changes nothing (point 6)."""

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import login

pytestmark = pytest.mark.pg


@pytest.fixture
def results(clean_app, make):
    """Two hires with graded attempts: Anna is the mentor's mentee, Boris the
    other mentor's. A third mentor has no mentees."""
    from recruit.auth.models import User
    from recruit.extensions import db
    from recruit.organisation.services import local_now
    from recruit.quizzes.attempts import save_answer, start_attempt, submit
    from recruit.quizzes.bank import add_question
    from recruit.quizzes.models import Quiz, QuizAssignment, QuizQuestion
    from recruit.quizzes.types import Choice, Question
    from recruit.training import plans as ts
    from recruit.training.plan_templates import ensure_default_template

    ids = {role: make.user(role.split("_")[0], email=f"{role}@x.test", name=role.replace("_", " ").title())
           for role in ("mentor", "mentor_two", "mentor_none", "trainer", "admin", "recruiter")}
    ids["anna"] = make.user("new_hire", email="anna@x.test", name="Anna Annova")
    ids["boris"] = make.user("new_hire", email="boris@x.test", name="Boris Borisov")
    with clean_app.app_context():
        for hire, mentor in (("anna", "mentor"), ("boris", "mentor_two")):
            ts.start_plan(ts.PlanRequest(f"{hire}@x.test", hire, local_now().date(), ensure_default_template(),
                                         ids[mentor], ids[mentor]), db.session.get(User, ids[mentor]))
        question = add_question(Question("single", "Warranty?", name="Warranty",
                                            choices=[Choice("5 years", 1.0), Choice("2 years")]))
        quiz = Quiz(title="PK", key="pk", attempt_limit=2)
        quiz.fixed.append(QuizQuestion(question_id=question.id))
        db.session.add(quiz)
        db.session.flush()
        for hire, right in (("anna", True), ("boris", False)):
            user = db.session.get(User, ids[hire])
            db.session.add(QuizAssignment(quiz_id=quiz.id, user_id=user.id))
            db.session.flush()
            attempt = start_attempt(quiz, user)
            save_answer(attempt, 0, attempt.answers[0].choice_order.index(0 if right else 1))
            submit(attempt)
        ids["quiz"] = quiz.id
        db.session.commit()
    return ids


def _statistics(clean_app, email):
    client = clean_app.test_client()
    login(client, email)
    return client


@pytest.mark.parametrize(("who", "sees"), [("mentor_none", set()), ("recruiter", set()), ("mentor", {"anna"}),
                                           ("mentor_two", {"boris"}), ("trainer", {"anna", "boris"}),
                                           ("admin", {"anna", "boris"})])
def test_statistics_and_results_csv_are_scoped_to_the_viewers_hires(clean_app, results, who, sees):
    client = _statistics(clean_app, f"{who}@x.test")
    page = client.get(f"/quizzes/{results['quiz']}/statistics")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    csv_text = client.get(f"/quizzes/{results['quiz']}/statistics?format=csv").get_data().decode("utf-8-sig")
    rows = csv_text.strip().splitlines()
    assert rows[0].startswith("Name,E-mail,Attempt")
    assert {row.split(",")[1].split("@")[0] for row in rows[1:]} == sees
    for hire, name in (("anna", "Anna Annova"), ("boris", "Boris Borisov")):
        assert (name in html) == (hire in sees), (who, hire)
        link = f'/quizzes/{results["quiz"]}/hires/{results[hire]}"'
        assert (link in html) == (hire in sees and who in ("mentor", "mentor_two", "admin")), (who, hire)
    assert f"<b>{len(sees)}</b><span>attempts submitted" in html
    if not sees:
        assert "No submitted attempts yet." in html and "None of your hires has taken this quiz yet." in html
        assert "Only the attempts of the hires whose onboarding plan names you." in html


def test_a_second_submit_keeps_the_first_and_writes_one_audit_row(clean_app, results):
    """The page's second click: nothing changes, and it says so."""
    from recruit.audit import AuditEntry
    from recruit.auth.models import User
    from recruit.extensions import db
    from recruit.quizzes.attempts import start_attempt
    from recruit.quizzes.models import Attempt, Quiz

    with clean_app.app_context():
        attempt = start_attempt(db.session.get(Quiz, results["quiz"]), db.session.get(User, results["anna"]))
        db.session.commit()
        attempt_id = attempt.id
    client = _statistics(clean_app, "anna@x.test")
    client.post(f"/attempts/{attempt_id}/submit", data={"q0-present": "1", "q0-answer": "0"})
    with clean_app.app_context():
        first = db.session.get(Attempt, attempt_id)
        submitted_at, answer = first.submitted_at, first.answers[0].answer
    again = client.post(f"/attempts/{attempt_id}/submit", data={"q0-present": "1", "q0-answer": "1"},
                        follow_redirects=True)
    assert "already submitted" in again.get_data(as_text=True)
    with clean_app.app_context():
        token = _token(results)
    api = client.post(f"/api/v1/attempts/{attempt_id}/submit", headers={"Authorization": f"Bearer {token}"})
    assert api.get_json()["submitted_at"] == submitted_at.isoformat()
    with clean_app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.submitted_at == submitted_at and attempt.answers[0].answer == answer
        assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(
            AuditEntry.action == "attempt.submit", AuditEntry.object_id == attempt_id)) == 1


def _token(results):
    from recruit.auth import services as accounts
    from recruit.auth.models import User
    from recruit.extensions import db

    token = accounts.create_api_token(db.session.get(User, results["anna"]), "t")[1]
    db.session.commit()
    return token


def test_a_submit_racing_the_first_changes_nothing(clean_app, results):
    """Two requests load the running attempt; the first submits and commits;
    the second, with its stale copy, then submits and autosaves: the first
    submit time, the graded answers and the one audit row stay."""
    from recruit.audit import AuditEntry
    from recruit.auth.models import User
    from recruit.extensions import db
    from recruit.quizzes.attempts import save_answer, start_attempt, submit
    from recruit.quizzes.errors import QuizError
    from recruit.quizzes.models import Attempt, Quiz
    from recruit.utc import utcnow

    with clean_app.app_context():
        attempt = start_attempt(db.session.get(Quiz, results["quiz"]), db.session.get(User, results["anna"]))
        db.session.commit()
        attempt_id, right = attempt.id, attempt.answers[0].choice_order.index(0)
    start = utcnow()
    loaded, first_done = threading.Event(), threading.Event()
    outcome = {}

    def first():
        with clean_app.app_context():
            loaded.wait(10)
            attempt = db.session.get(Attempt, attempt_id)
            save_answer(attempt, 0, right, start + timedelta(minutes=1))
            submit(attempt, start + timedelta(minutes=2))
            db.session.commit()
            db.session.remove()
            first_done.set()

    def second():
        with clean_app.app_context():
            attempt = db.session.get(Attempt, attempt_id)
            assert attempt.state == "in_progress" and attempt.answers[0].answer is None  # the stale copy
            loaded.set()
            first_done.wait(10)
            try:
                save_answer(attempt, 0, 1 - right, start + timedelta(minutes=3))
            except QuizError as exc:
                outcome["save"] = str(exc)
            submit(attempt, start + timedelta(minutes=4))
            outcome["state"] = attempt.state
            db.session.commit()
            db.session.remove()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert outcome == {"save": "This attempt is closed.", "state": "graded"}
    with clean_app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.submitted_at == start + timedelta(minutes=2) and attempt.score == 1.0
        assert attempt.answers[0].answer == 0  # the bank's index of the right choice, as first saved
        assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(
            AuditEntry.action == "attempt.submit", AuditEntry.object_id == attempt_id)) == 1
