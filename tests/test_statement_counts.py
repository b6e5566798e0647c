"""The number of SQL statements a page runs does not grow with the rows it
lists: each main page is served once over a few rows and once over many,
and the statements the engine executes while each request runs are counted
(a `before_cursor_execute` listener on the engine). A count that grows is an
N+1 query (a lazy load per row, a policy check that asks the database per
row, a look-up per stage)."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from recruit.auth import services as accounts
from recruit.auth.models import User
from recruit.extensions import db
from recruit.interviews import bookings, calls, sessions
from recruit.mail import queue_mail
from recruit.organisation.services import local_now
from recruit.quizzes.attempts import save_answer, start_attempt, submit
from recruit.quizzes.models import Attempt, Quiz, QuizAssignment
from recruit.quizzes.types import Choice, Question
from recruit.training import activity_log
from recruit.training.models import OnboardingPlan
from recruit.utc import utcnow
from recruit.vacancies import candidates as candidate_services
from recruit.vacancies import services as vacancy_services
from recruit.vacancies.models import Application, Candidate, Vacancy
from tests.conftest import login
from tests.factories import PASSWORD
from tests.statements import counting

pytestmark = pytest.mark.pg

FEW, MANY = 5, 50


class Count(int):
    """A number of statements that remembers them, to say which one repeats."""

    statements: list[str]

    def __new__(cls, statements: list[str]):
        count = super().__new__(cls, len(statements))
        count.statements = statements
        return count


def repeated(count: int) -> str:
    statements = getattr(count, "statements", [])
    if not statements:
        return ""
    most = max(set(statements), key=statements.count)
    return f" (the most repeated, {statements.count(most)} times: {' '.join(most.split())[:300]})"


def statements_for(app, client, url: str, headers: dict | None = None) -> Count:
    """How many statements serving `url` once runs (the page must answer 200)."""
    with counting(app) as statements:
        response = client.get(url, headers=headers or {})
    assert response.status_code == 200, (url, response.status_code, response.get_data(as_text=True)[:300])
    return Count(statements)


def assert_flat(app, client, page: str, few_url: str, many_url: str, *, few: int = FEW, many: int = MANY,
                headers: dict | None = None) -> None:
    client.get(few_url, headers=headers or {})  # what a process does once (caches, the first connection)
    small = statements_for(app, client, few_url, headers)
    large = statements_for(app, client, many_url, headers)
    print(f"statements: {page}: {small} with {few} rows, {large} with {many}")
    assert small == large, f"{page}: {small} statements with {few} rows, {large} with {many}{repeated(large)}"


def _grow(app, before, after, page, measure, add):
    """A page that lists everything: counted, rows added, counted again."""
    small = measure()
    add()
    large = measure()
    print(f"statements: {page}: {small} with {before} rows, {large} with {after}")
    assert small == large, f"{page}: {small} statements with {before} rows, {large} with {after}{repeated(large)}"


def _sign_in(client, app, user_id: int) -> None:
    with app.app_context():
        email = db.session.get(User, user_id).email
    login(client, email)


# --- vacancies and candidates ---------------------------------------------------------

def _candidates(app, vacancy_id: int, n: int, start: int) -> list[int]:
    """`n` candidates added to the vacancy through the product's service, spread over stages and channels."""
    ids = []
    stages = ("screened", "invited", "interviewed")
    with app.app_context():
        vacancy = db.session.get(Vacancy, vacancy_id)
        for i in range(start, start + n):
            result = candidate_services.add_candidate(vacancy, {
                "full_name": f"Person {i}", "email": f"p{i}@example.test",
                "phone": f"+7 916 {i % 1000:03d} {i // 1000:02d} 00",
                "city": ("Moscow", "Perm", "Tver")[i % 3], "source": ("hh.ru", "Referral", "Avito")[i % 3]})
            if i % 4:
                candidate_services.move(result.application, stages[i % 3])
            ids.append(result.application.id)
        db.session.commit()
    return ids


@pytest.fixture
def pipelines(clean_app, make):
    manager = make.user("hiring_manager")
    few, many = make.vacancy("open", manager=manager), make.vacancy("open", manager=manager)
    _candidates(clean_app, few, FEW, 0)
    _candidates(clean_app, many, MANY, 1000)
    return few, many


@pytest.mark.parametrize("view", ["pipeline", "board"])
def test_pipeline_list_and_board(clean_app, client, login_as, pipelines, view):
    login_as("recruiter")
    few, many = pipelines
    assert_flat(clean_app, client, f"/vacancies/<id>/{view}", f"/vacancies/{few}/{view}",
                f"/vacancies/{many}/{view}")


def test_pipeline_as_the_hiring_manager(clean_app, client, make, pipelines):
    few, many = pipelines
    with clean_app.app_context():
        manager = db.session.get(Vacancy, few).requested_by_id
    _sign_in(client, clean_app, manager)
    assert_flat(clean_app, client, "/vacancies/<id>/pipeline (manager)", f"/vacancies/{few}/pipeline",
                f"/vacancies/{many}/pipeline")


def test_candidate_page_with_its_history_and_applications(clean_app, client, make, login_as):
    login_as("recruiter")
    manager = make.user("hiring_manager")
    people = []
    for n_vacancies, n_moves in ((2, FEW), (6, MANY)):
        vacancies = [make.vacancy("open", manager=manager) for _ in range(n_vacancies)]
        email = f"who{len(people)}@example.test"
        with clean_app.app_context():
            first = None
            for vacancy_id in vacancies:
                result = candidate_services.add_candidate(db.session.get(Vacancy, vacancy_id),
                                                          {"full_name": "Who Ever", "email": email})
                first = first or result.application
            for i in range(n_moves):
                candidate_services.update_candidate(first.candidate, {"full_name": "Who Ever",
                                                                       "email": email, "city": f"City {i}"})
            db.session.commit()
            people.append(first.candidate_id)
    assert_flat(clean_app, client, "/candidates/<id>", f"/candidates/{people[0]}", f"/candidates/{people[1]}",
                few=FEW, many=MANY)


def test_candidate_search(clean_app, client, login_as, pipelines):
    login_as("recruiter")
    with clean_app.app_context():
        db.session.add(Candidate(full_name="Nobody Else", email="nobody@example.test"))
        db.session.commit()
    # "Person 1" matches Person 1, 10-19 (few) ... against "Person" matching every one of them
    assert_flat(clean_app, client, "/candidates?q=", "/candidates?q=Person 4", "/candidates?q=Person")


def test_vacancy_page_with_its_comments_and_history(clean_app, client, make, login_as):
    recruiter = login_as("recruiter")
    manager = make.user("hiring_manager")
    pages = []
    for n in (FEW, MANY):
        vacancy_id = make.vacancy("open", manager=manager)
        with clean_app.app_context():
            vacancy, by = db.session.get(Vacancy, vacancy_id), db.session.get(User, (recruiter, manager)[n % 2])
            for i in range(n):
                vacancy_services.add_comment(vacancy, f"Comment {i}", by)
                vacancy_services.update_vacancy(vacancy, {"city": f"City {i}"})
            db.session.commit()
        _candidates(clean_app, vacancy_id, n, 1000 * len(pages))
        pages.append(vacancy_id)
    assert_flat(clean_app, client, "/vacancies/<id>", f"/vacancies/{pages[0]}", f"/vacancies/{pages[1]}")


def test_channels_page(clean_app, client, make, login_as):
    login_as("recruiter")
    vacancy = make.vacancy("open")

    def sources(start, n):
        with clean_app.app_context():
            for i in range(start, start + n):
                candidate_services.add_candidate(db.session.get(Vacancy, vacancy), {
                    "full_name": f"Person {i}", "email": f"s{i}@example.test", "source": f"Board number {i}"})
            db.session.commit()

    sources(0, FEW)
    client.get("/channels")
    _grow(clean_app, FEW, MANY, "/channels", lambda: statements_for(clean_app, client, "/channels"),
          lambda: sources(FEW, MANY - FEW))


def _vacancies(app, make, n: int, manager: int) -> None:
    for i in range(n):
        make.vacancy(("open", "draft", "in_review", "approved")[i % 4], manager=manager, city=f"City {i}")


def test_vacancy_list(clean_app, client, make, login_as):
    login_as("recruiter")
    manager = make.user("hiring_manager")
    _vacancies(clean_app, make, FEW, manager)
    _grow(clean_app, FEW, MANY, "/vacancies",
          lambda: statements_for(clean_app, client, "/vacancies"),
          lambda: _vacancies(clean_app, make, MANY - FEW, manager))


def test_home_of_a_recruiter(clean_app, client, make, login_as):
    login_as("recruiter")
    manager = make.user("hiring_manager")
    _vacancies(clean_app, make, FEW, manager)
    client.get("/")
    _grow(clean_app, FEW, MANY, "/ (recruiter)",
          lambda: statements_for(clean_app, client, "/"),
          lambda: _vacancies(clean_app, make, MANY - FEW, manager))


# --- training -------------------------------------------------------------------------

def _activity(app, plan_id: int, days: int) -> None:
    with app.app_context():
        plan = db.session.get(OnboardingPlan, plan_id)
        today = local_now().date()
        for n in range(days):
            activity_log.log_activity(plan, today - timedelta(days=n), {"calls": 10 + n % 7, "meetings": n % 3},
                                    plan.hire)
        db.session.commit()


def test_new_hires_home(clean_app, client, make):
    mentor = make.user("mentor")
    plans = [make.plan(mentor, hire_email=f"hire{n}@x.test", hire_name=f"Hire {n}", days_ago=MANY + 5)
             for n in range(2)]
    _activity(clean_app, plans[0], FEW)
    _activity(clean_app, plans[1], MANY)
    counts = []
    for plan_id in plans:
        with clean_app.app_context():
            hire = db.session.get(OnboardingPlan, plan_id).hire
            accounts.set_password(hire, PASSWORD, reason="test")
            email = hire.email
            db.session.commit()
        client.post("/logout")
        login(client, email)
        client.get("/my-plan")
        counts.append(statements_for(clean_app, client, "/my-plan"))
    print(f"statements: /my-plan: {counts[0]} with {FEW} activity days, {counts[1]} with {MANY}")
    assert counts[0] == counts[1], f"/my-plan: {counts[0]} statements with {FEW} activity days, " \
                                   f"{counts[1]} with {MANY}{repeated(counts[1])}"


def _mentees(make, mentor: int, n: int, tag: str, **people) -> list[int]:
    with make.app.app_context():
        db.session.get(User, mentor).max_mentees = 50  # room for them all (a mentor takes 3 by default)
        db.session.commit()
    return [make.plan(mentor, hire_email=f"{tag}{i}@x.test", hire_name=f"{tag} {i}", days_ago=i, **people)
            for i in range(n)]


FEW_PLANS, MANY_PLANS = 2, 10  # a plan is a whole template of stages and tasks: 2 against 10 plans


@pytest.fixture
def mentors(clean_app, make):
    few, many = make.user("mentor"), make.user("mentor")
    _mentees(make, few, FEW_PLANS, "few")
    _mentees(make, many, MANY_PLANS, "many")
    return few, many


def test_mentees_page(clean_app, client, mentors):
    counts = []
    for mentor in mentors:
        client.post("/logout")
        _sign_in(client, clean_app, mentor)
        client.get("/mentees")
        counts.append(statements_for(clean_app, client, "/mentees"))
    print(f"statements: /mentees: {counts[0]} with {FEW_PLANS} mentees, {counts[1]} with {MANY_PLANS}")
    assert counts[0] == counts[1], f"/mentees: {counts[0]} statements with {FEW_PLANS} mentees, " \
                                   f"{counts[1]} with {MANY_PLANS}{repeated(counts[1])}"


@pytest.mark.parametrize("url", ["/plans", "/plans?state=all", "/plans/bonuses", "/todo"])
def test_training_lists(clean_app, client, make, login_as, url):
    if url == "/todo":
        mentor = login_as("mentor")
    else:
        login_as("recruiter")
        mentor = make.user("mentor")
    _mentees(make, mentor, FEW_PLANS, "few")
    _grow(clean_app, FEW_PLANS, MANY_PLANS, url,
          lambda: statements_for(clean_app, client, url),
          lambda: _mentees(make, mentor, MANY_PLANS - FEW_PLANS, "more"))


# --- quizzes --------------------------------------------------------------------------

def _questions(n: int) -> list[Question]:
    kinds = [
        lambda i: Question("single", f"Question {i}?", name=f"Q{i}",
                           choices=[Choice("yes", 1.0, "Right."), Choice("no", 0.0, "No.")]),
        lambda i: Question("true_false", f"Statement {i}.", name=f"T{i}", correct=True),
        lambda i: Question("short", f"Name {i}?", name=f"S{i}", choices=[Choice("desk", 1.0)]),
        lambda i: Question("essay", f"Explain {i}.", name=f"E{i}"),
    ]
    return [kinds[i % len(kinds)](i) for i in range(n)]


def _attempt(app, quiz_id: int, user_id: int, *, finish: bool) -> int:
    with app.app_context():
        quiz, user = db.session.get(Quiz, quiz_id), db.session.get(User, user_id)
        now = utcnow()
        attempt = start_attempt(quiz, user, now)
        if finish:
            save_answer(attempt, 0, "1" if attempt.answers[0].version.kind != "essay" else "Because.", now)
            submit(attempt, now + timedelta(seconds=30))
        db.session.commit()
        return attempt.id


def test_quiz_attempt_and_its_result(clean_app, client, make):
    hire = make.user("new_hire")
    few = make.quiz(*_questions(FEW), assign_to=(hire,), title="Few", key="few", shuffle_questions=False)
    many = make.quiz(*_questions(MANY), assign_to=(hire,), title="Many", key="many", shuffle_questions=False)
    running = [_attempt(clean_app, quiz, hire, finish=False) for quiz in (few, many)]
    _sign_in(client, clean_app, hire)
    assert_flat(clean_app, client, "/attempts/<id> (taking)", f"/attempts/{running[0]}", f"/attempts/{running[1]}")
    saves = []
    for attempt_id in (running[0], running[1], running[0], running[1]):  # the first of each is the process's first
        with counting(clean_app) as statements:
            response = client.post(f"/attempts/{attempt_id}/answers/0", data={"answer": "0"})
        assert response.status_code == 200 and response.get_json()["saved"] is True, response.get_data(as_text=True)
        saves.append(len(statements))
    print(f"statements: answer save: {saves[2]} with {FEW} questions, {saves[3]} with {MANY}")
    assert saves[2] == saves[3], f"an answer save: {saves[2]} statements with {FEW} questions, {saves[3]} with {MANY}"
    done = []
    for attempt_id in running:
        with clean_app.app_context():
            submit(db.session.get(Attempt, attempt_id), utcnow())
            db.session.commit()
        done.append(attempt_id)
    assert_flat(clean_app, client, "/attempts/<id> (result)", f"/attempts/{done[0]}", f"/attempts/{done[1]}")


def _graded_world(app, make, n: int, quiz_id: int, mentor: int, tag: str) -> None:
    with app.app_context():
        db.session.get(User, mentor).max_mentees = 50
        db.session.commit()
    for i in range(n):
        hire = make.user("new_hire", email=f"{tag}{i}@x.test", name=f"{tag} {i}")
        with app.app_context():
            db.session.add(QuizAssignment(quiz_id=quiz_id, user_id=hire))
            db.session.commit()
        make.plan(mentor, hire_email=f"{tag}{i}@x.test", hire_name=f"{tag} {i}")
        _attempt(app, quiz_id, hire, finish=True)


@pytest.mark.parametrize("role", ["trainer", "mentor", "admin"])
def test_grading_queue(clean_app, client, make, role):
    grader = make.user(role)
    mentor = grader if role == "mentor" else make.user("mentor")
    quiz = make.quiz(*_questions(4), title="Essays", key="essays", shuffle_questions=False)
    _graded_world(clean_app, make, FEW_PLANS, quiz, mentor, "few")
    _sign_in(client, clean_app, grader)
    client.get("/grading")
    _grow(clean_app, FEW_PLANS, MANY_PLANS, f"/grading ({role})",
          lambda: statements_for(clean_app, client, "/grading"),
          lambda: _graded_world(clean_app, make, MANY_PLANS - FEW_PLANS, quiz, mentor, "more"))


@pytest.mark.parametrize("page", ["statistics", "index", "bank"])
def test_quiz_reports_and_lists(clean_app, client, make, page):
    admin = make.user("admin")
    mentor = make.user("mentor")
    quiz = make.quiz(*_questions(8), title="Essays", key="essays", shuffle_questions=False)
    _graded_world(clean_app, make, FEW_PLANS, quiz, mentor, "few")
    _sign_in(client, clean_app, admin)
    url = {"statistics": f"/quizzes/{quiz}/statistics", "index": "/quizzes", "bank": "/quizzes/bank"}[page]
    client.get(url)

    def more():
        if page == "statistics":
            _graded_world(clean_app, make, MANY_PLANS - FEW_PLANS, quiz, mentor, "more")
        else:
            for i in range(MANY_PLANS - FEW_PLANS):
                make.quiz(*_questions(3), title=f"Quiz {i}", key=f"quiz-{i}")

    _grow(clean_app, FEW_PLANS, MANY_PLANS, url, lambda: statements_for(clean_app, client, url), more)


# --- interviews -------------------------------------------------------------------------

def _call_round(app, vacancy_id: int, applications: list[int], callers: list[int], start: time) -> int:
    """Tomorrow's group day with these candidates booked, each called once or
    twice by different recruiters: the call list's rows, their calls and callers."""
    with app.app_context():
        people = [db.session.get(User, c) for c in callers]
        session = sessions.create_session(
            kind="group", title="Calls", vacancy=db.session.get(Vacancy, vacancy_id),
            day=(local_now() + timedelta(days=1)).date(), start=start, end=time(start.hour + 1), seats=3, place="Hall",
            interviewers=[sessions.InterviewerHours(callers[0])], created_by=people[0])
        booked = bookings.book(session, [(a, 0) for a in applications], None, people[0]).invited
        for n, booking in enumerate(booked):
            first = calls.record_call(booking, "no_answer", people[n % 3], tap=f"statements-tap-{n:06d}-a", seen=0)
            if n % 2:
                calls.record_call(booking, ("confirmed", "call_back", "declined")[n % 3], people[(n + 1) % 3],
                                  tap=f"statements-tap-{n:06d}-b", seen=first.id, note=f"note {n}",
                                  call_back_at=utcnow() + timedelta(hours=2))
        db.session.commit()
        return session.id


def test_call_list(clean_app, client, make, pipelines):
    few, many = pipelines
    callers = [make.user("recruiter", name=f"Caller {n}") for n in range(3)]
    _sign_in(client, clean_app, callers[0])
    with clean_app.app_context():
        apps = {v: list(db.session.scalars(sa.select(Application.id).where(Application.vacancy_id == v)))
                for v in (few, many)}
    few_day = _call_round(clean_app, few, apps[few], callers, time(10))
    many_day = _call_round(clean_app, many, apps[many], callers, time(12))
    assert_flat(clean_app, client, "/interviews/<id>/calls", f"/interviews/{few_day}/calls",
                f"/interviews/{many_day}/calls")


# --- admin ----------------------------------------------------------------------------

def test_admin_users(clean_app, client, make, login_as):
    login_as("admin")
    roles = ("recruiter", "mentor", "new_hire", "trainer", "hiring_manager")
    for i in range(FEW):
        make.user(roles[i % len(roles)])
    client.get("/admin/users")
    _grow(clean_app, FEW, MANY, "/admin/users", lambda: statements_for(clean_app, client, "/admin/users"),
          lambda: [make.user(roles[i % len(roles)], roles[(i + 1) % len(roles)]) for i in range(MANY - FEW)])


def test_admin_outbox(clean_app, client, make, login_as):
    login_as("admin")

    def messages(start, n):
        with clean_app.app_context():
            for i in range(start, start + n):
                queue_mail(f"m{i}@example.test", f"Subject {i}", f"Body {i}", kind="test")
            db.session.commit()

    messages(0, FEW)
    client.get("/admin/outbox")
    _grow(clean_app, FEW, MANY, "/admin/outbox", lambda: statements_for(clean_app, client, "/admin/outbox"),
          lambda: messages(FEW, MANY - FEW))


def test_admin_audit(clean_app, client, make, login_as):
    login_as("admin")
    manager = make.user("hiring_manager")
    _vacancies(clean_app, make, 1, manager)
    client.get("/admin/audit")

    def entries(n):
        from recruit import audit

        people = [make.user("recruiter") for _ in range(3)]
        with clean_app.app_context():
            for i in range(n):
                audit.record("candidate.update", object_type="candidates", object_id=i, actor_id=people[i % 3],
                             city=f"City {i}", flag=bool(i % 2))
            db.session.commit()

    entries(FEW)
    _grow(clean_app, FEW, MANY, "/admin/audit", lambda: statements_for(clean_app, client, "/admin/audit"),
          lambda: entries(MANY - FEW))


# --- the JSON API ---------------------------------------------------------------------

def _token(app, make, *roles) -> str:
    user_id = make.user(*roles)
    with app.app_context():
        _, raw = accounts.create_api_token(db.session.get(User, user_id), "statements")
        db.session.commit()
    return raw


def test_api_candidate_lists(clean_app, make, pipelines):
    few, many = pipelines
    client = clean_app.test_client()
    headers = {"Authorization": f"Bearer {_token(clean_app, make, 'recruiter')}"}
    assert_flat(clean_app, client, "/api/v1/candidates?vacancy_id=", f"/api/v1/candidates?vacancy_id={few}",
                f"/api/v1/candidates?vacancy_id={many}", headers=headers)


@pytest.mark.parametrize("role", ["recruiter", "hiring_manager"])
def test_api_vacancy_list(clean_app, make, role):
    client = clean_app.test_client()
    token = _token(clean_app, make, role)
    headers = {"Authorization": f"Bearer {token}"}
    with clean_app.app_context():
        manager = db.session.scalar(sa.select(User.id).order_by(User.id.desc())) if role == "hiring_manager" \
            else make.user("hiring_manager")
    _vacancies(clean_app, make, FEW, manager)
    client.get("/api/v1/vacancies", headers=headers)
    _grow(clean_app, FEW, MANY, f"/api/v1/vacancies ({role})",
          lambda: statements_for(clean_app, client, "/api/v1/vacancies", headers),
          lambda: _vacancies(clean_app, make, MANY - FEW, manager))


def test_counts_see_each_statement(clean_app, client, login_as, pipelines):
    """The listener counts what the engine runs: a page that lists rows runs some."""
    login_as("recruiter")
    few, _many = pipelines
    assert statements_for(clean_app, client, f"/vacancies/{few}/pipeline") > 0
    with clean_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Application)) == FEW + MANY
