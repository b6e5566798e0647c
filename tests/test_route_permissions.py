"""Every registered route, every role, and anonymous: the answer must be the
page, 403, or the way to sign in. A route missing from RULES fails this test,
so no endpoint ships without a decision about who reaches it."""

from __future__ import annotations

import pytest

from recruit.auth.models import ROLES

ANON = "anonymous"
STAFF = {"admin", "recruiter"}
VACANCY_READERS = {"admin", "recruiter", "hiring_manager"}
EVERYONE = set(ROLES)

# endpoint -> (method, url template, roles that get through). "public" endpoints let anonymous in too.
RULES: dict[str, tuple[str, str, set[str] | str]] = {
    "main.home": ("GET", "/", EVERYONE),
    "main.healthz": ("GET", "/healthz", "public"),
    "auth.login": ("GET", "/login", "public"),
    "auth.logout": ("POST", "/logout", EVERYONE),
    "auth.forgot_password": ("GET", "/password/forgot", "public"),
    "auth.set_password": ("GET", "/password/reset/not-a-token", "public"),
    "auth.account": ("GET", "/account", EVERYONE),
    "auth.create_token": ("POST", "/account/tokens", EVERYONE),
    "auth.account_language": ("POST", "/account/language", EVERYONE),
    "auth.revoke_token": ("POST", "/account/tokens/{token}/revoke", EVERYONE),
    "auth.two_factor_code": ("GET", "/login/two-factor", "public"),
    "auth.sign_out_everywhere": ("POST", "/account/sign-out-everywhere", EVERYONE),
    "auth.two_factor_setup": ("GET", "/account/two-factor", EVERYONE),
    "auth.two_factor_disable": ("POST", "/account/two-factor/disable", EVERYONE),
    "auth.recovery_codes": ("POST", "/account/two-factor/recovery-codes", EVERYONE),
    "admin.users": ("GET", "/admin/users", {"admin"}),
    "admin.user_new": ("GET", "/admin/users/new", {"admin"}),
    "admin.user_edit": ("GET", "/admin/users/{user}", {"admin"}),
    "admin.user_reset": ("POST", "/admin/users/{user}/reset", {"admin"}),
    "admin.settings": ("GET", "/admin/settings", {"admin"}),
    "admin.holiday_add": ("POST", "/admin/settings/holidays", {"admin"}),
    "admin.holidays_import": ("POST", "/admin/settings/holidays/import", {"admin"}),
    "admin.country_defaults": ("POST", "/admin/settings/country-defaults", {"admin"}),
    "admin.first_start": ("GET", "/admin/first-start", {"admin"}),
    "admin.holiday_remove": ("POST", "/admin/settings/holidays/999/remove", {"admin"}),
    "admin.review_step_add": ("POST", "/admin/settings/review-steps", {"admin"}),
    "admin.review_step_remove": ("POST", "/admin/settings/review-steps/999/remove", {"admin"}),
    "admin.outbox": ("GET", "/admin/outbox", {"admin"}),
    "admin.outbox_message": ("GET", "/admin/outbox/{message}", {"admin"}),
    "admin.outbox_send_again": ("POST", "/admin/outbox/{message}/send-again", {"admin"}),
    "admin.audit_log": ("GET", "/admin/audit", {"admin"}),
    "vacancies.templates": ("GET", "/templates", VACANCY_READERS),
    "vacancies.template_detail": ("GET", "/templates/{template}", VACANCY_READERS),
    "vacancies.template_edit": ("GET", "/templates/{template}/edit", {"admin"}),
    "vacancies.index": ("GET", "/vacancies", VACANCY_READERS),
    "vacancies.new": ("GET", "/vacancies/new", {"admin", "hiring_manager"}),
    "vacancies.detail": ("GET", "/vacancies/{vacancy}", VACANCY_READERS),
    "vacancies.edit": ("GET", "/vacancies/{vacancy}/edit", STAFF),
    "vacancies.transition": ("POST", "/vacancies/{vacancy}/transition", VACANCY_READERS),
    "vacancies.review": ("POST", "/vacancies/{vacancy}/reviews/999", VACANCY_READERS),
    "vacancies.amendment": ("POST", "/vacancies/{vacancy}/amendments/999", VACANCY_READERS),
    "vacancies.comment": ("POST", "/vacancies/{vacancy}/comments", VACANCY_READERS),
    "vacancies.pipeline": ("GET", "/vacancies/{vacancy}/pipeline", VACANCY_READERS),
    "vacancies.board": ("GET", "/vacancies/{vacancy}/board", VACANCY_READERS),
    "vacancies.move": ("POST", "/applications/{application}/move", STAFF),
    "vacancies.candidate_new": ("GET", "/vacancies/{vacancy}/candidates/new", STAFF),
    "vacancies.candidates": ("GET", "/candidates", STAFF),
    "channels.index": ("GET", "/channels", STAFF),
    "channels.add_alias": ("POST", "/channels/alias", STAFF),
    "channels.remove_alias": ("POST", "/channels/alias/999/remove", STAFF),
    "channels.rename": ("POST", "/channels/rename", STAFF),
    "channels.merge": ("POST", "/channels/merge", STAFF),
    "channels.set_cost": ("POST", "/channels/costs", {"admin"}),
    "channels.remove_cost": ("POST", "/channels/costs/999/remove", {"admin"}),
    "vacancies.candidate": ("GET", "/candidates/{candidate}", VACANCY_READERS),
    "vacancies.candidate_edit": ("GET", "/candidates/{candidate}/edit", STAFF),
    "vacancies.resume": ("GET", "/candidates/{candidate}/resume", VACANCY_READERS),
    "vacancies.resume_upload": ("POST", "/candidates/{candidate}/resume", STAFF),
    "vacancies.anonymise": ("POST", "/candidates/{candidate}/anonymise", STAFF),
    "vacancies.import_upload": ("GET", "/vacancies/{vacancy}/import", STAFF),
    "vacancies.import_detail": ("GET", "/imports/{batch}", STAFF),
    "vacancies.import_run": ("POST", "/imports/{batch}/run", STAFF),
    "vacancies.import_drop": ("POST", "/imports/{batch}/drop", STAFF),
    "vacancies.import_progress": ("GET", "/imports/{batch}/progress", STAFF),
    "vacancies.import_errors": ("GET", "/imports/{batch}/errors.csv", STAFF),
    "interviews.index": ("GET", "/interviews", STAFF | {"receptionist", "hiring_manager", "mentor"}),
    "interviews.new": ("GET", "/interviews/new", STAFF),
    "interviews.detail": ("GET", "/interviews/{session}", STAFF | {"receptionist", "hiring_manager"}),
    "interviews.plan": ("GET", "/interviews/{session}/plan?a={spare}", STAFF),
    "interviews.book": ("POST", "/interviews/{session}/book", STAFF),
    "interviews.schedule": ("GET", "/interviews/schedule?vacancy={vacancy}&a={spare}", STAFF),
    "interviews.interviewer_hours": ("POST", "/interviews/{session}/interviewers", STAFF),
    "interviews.cancel_session": ("POST", "/interviews/{other_session}/cancel", STAFF),
    "interviews.cancel_booking": ("POST", "/bookings/{booking}/cancel", STAFF),
    "interviews.call_list": ("GET", "/interviews/{session}/calls", STAFF),
    "interviews.record_call": ("POST", "/bookings/{booking}/calls", STAFF),
    "interviews.respond": ("GET", "/b/{booking_token}", "public"),
    "interviews.reception": ("GET", "/reception", STAFF | {"receptionist"}),
    "interviews.desk": ("GET", "/reception/{session}", STAFF | {"receptionist"}),
    "interviews.desk_state": ("GET", "/reception/{session}/state.json", STAFF | {"receptionist"}),
    "interviews.check_in": ("POST", "/bookings/{booking}/check-in", STAFF | {"receptionist"}),
    "interviews.undo_check_in": ("POST", "/bookings/{booking}/undo-check-in", STAFF | {"receptionist"}),
    "interviews.send_in": ("POST", "/bookings/{booking}/send-in", STAFF | {"receptionist"}),
    "interviews.mine": ("GET", "/my-interviews", STAFF | {"hiring_manager", "mentor"}),
    "interviews.scorecard": ("GET", "/bookings/{booking}/scorecard", {"admin", "hiring_manager"}),
    "vacancies.bulk_action": ("POST", "/vacancies/{vacancy}/bulk", STAFF),
    "interviews.interview_kit": ("GET", "/vacancies/{vacancy}/interview-kit", VACANCY_READERS),
    "interviews.day_decisions": ("GET", "/interviews/{session}/decisions", STAFF),
    "interviews.vacancy_decisions": ("GET", "/vacancies/{vacancy}/decisions", VACANCY_READERS),
    "interviews.show_rates": ("GET", "/interviews/show-rates", STAFF),
    "interviews.report": ("GET", "/interviews/reports", STAFF),
    "interviews.report_csv": ("GET", "/interviews/reports.csv", STAFF),
    "interviews.report_table": ("GET", "/interviews/reports/funnel.csv", STAFF),
    "interviews.send_scorecard_reminders": ("POST", "/interviews/reports/scorecard-reminders", STAFF),
    "training.overview": ("GET", "/plans", STAFF),
    "training.new": ("GET", "/plans/new?application={application}", STAFF),
    "training.plan": ("GET", "/plans/{plan}", STAFF | {"new_hire", "mentor", "hiring_manager"}),
    "training.mine": ("GET", "/my-plan", {"new_hire"}),
    "training.tick": ("POST", "/plan-tasks/{hr_task}/done", STAFF),
    "training.log_activity": ("POST", "/plans/{plan}/activity", {"admin", "new_hire", "mentor"}),
    "training.import_activity": ("POST", "/plans/{plan}/activity/import", {"admin", "new_hire", "mentor"}),
    "training.activity_import": ("GET", "/plans/{plan}/activity/import/{activity_import}",
                                 {"admin", "new_hire", "mentor"}),
    "training.apply_activity_import": ("POST", "/plans/{plan}/activity/import/{activity_import}",
                                       {"admin", "new_hire", "mentor"}),
    "training.role_play": ("POST", "/plans/{plan}/role-play", {"admin", "mentor"}),
    "training.decide": ("POST", "/plans/{plan}/decision", {"admin", "hiring_manager"}),
    "training.sign_off": ("POST", "/plan-stages/{plan_stage}/sign-off", {"admin", "mentor"}),
    "training.override": ("POST", "/plan-stages/{plan_stage}/override", {"admin", "hiring_manager"}),
    "training.summary": ("GET", "/plans/{plan}/summary", STAFF | {"new_hire", "mentor", "hiring_manager"}),
    "training.bonuses": ("GET", "/plans/bonuses", STAFF),
    "training.templates": ("GET", "/onboarding-templates", {"admin"}),
    "training.template": ("GET", "/onboarding-templates/{onboarding_template}", {"admin"}),
    "training.todo": ("GET", "/todo", STAFF | {"hiring_manager", "mentor"}),
    "training.mentees": ("GET", "/mentees", {"admin", "hiring_manager", "mentor"}),
    "quizzes.index": ("GET", "/quizzes", {"admin", "mentor", "trainer", "recruiter", "new_hire"}),
    "quizzes.bank": ("GET", "/quizzes/bank", {"admin", "mentor", "trainer"}),
    "quizzes.question": ("GET", "/quizzes/bank/{bank_question}", {"admin", "mentor", "trainer"}),
    "quizzes.new": ("GET", "/quizzes/new", {"admin", "mentor", "trainer"}),
    "quizzes.start": ("POST", "/quizzes/{quiz}/start", {"new_hire"}),
    "quizzes.attempt": ("GET", "/attempts/{attempt}", {"new_hire"}),  # nobody else sees a running attempt
    "quizzes.save": ("POST", "/attempts/{attempt}/answers/0", {"new_hire"}),
    "quizzes.statistics": ("GET", "/quizzes/{quiz}/statistics", {"admin", "mentor", "trainer", "recruiter"}),
    "quizzes.grading": ("GET", "/grading", {"admin", "mentor", "trainer"}),
    "quizzes.grade": ("POST", "/attempt-answers/{attempt_answer}/grade", {"admin", "mentor", "trainer"}),
    "quizzes.sign_off": ("POST", "/attempts/{attempt}/sign-off", {"admin", "mentor"}),
    "quizzes.request_retake": ("POST", "/attempts/{attempt}/retake", {"admin", "mentor"}),
    "quizzes.submit": ("POST", "/attempts/{attempt}/submit", {"new_hire"}),
    "quizzes.edit": ("GET", "/quizzes/{quiz}/edit", {"admin", "mentor", "trainer"}),
    "quizzes.hire": ("GET", "/quizzes/{quiz}/hires/{hire}", {"admin", "mentor"}),  # the hire's mentor
    "quizzes.adjust": ("POST", "/quizzes/{quiz}/hires/{hire}/adjust", {"admin", "mentor"}),
    "api.api_start_attempt": ("POST", "/api/v1/quizzes/{quiz}/attempts", {"new_hire"}),
    "api.api_my_attempts": ("GET", "/api/v1/attempts", {"new_hire"}),
    "api.api_attempt": ("GET", "/api/v1/attempts/{attempt}", {"new_hire"}),
    "api.api_save_answer": ("PUT", "/api/v1/attempts/{attempt}/answers/0", {"new_hire"}),
    "api.api_grading_queue": ("GET", "/api/v1/grading", {"admin", "mentor", "trainer"}),
    "api.api_grade": ("POST", "/api/v1/attempt-answers/{attempt_answer}/grade", {"admin", "mentor", "trainer"}),
    "api.api_submit": ("POST", "/api/v1/attempts/{attempt}/submit", {"new_hire"}),
    "api.openapi": ("GET", "/api/v1/openapi.json", "public"),
    "api.vacancies_list": ("GET", "/api/v1/vacancies", EVERYONE),
    "api.vacancies_create": ("POST", "/api/v1/vacancies", {"admin", "hiring_manager"}),
    "api.vacancies_read": ("GET", "/api/v1/vacancies/{vacancy}", VACANCY_READERS),
    "api.vacancies_update": ("PATCH", "/api/v1/vacancies/{vacancy}", VACANCY_READERS),
    "api.candidates_list": ("GET", "/api/v1/candidates?vacancy_id={vacancy}", VACANCY_READERS),
    "api.candidates_create": ("POST", "/api/v1/candidates", STAFF),
    "api.candidates_read": ("GET", "/api/v1/candidates/{candidate}", VACANCY_READERS),
    "api.candidates_import": ("POST", "/api/v1/vacancies/{vacancy}/candidates/import", STAFF),
}


@pytest.fixture
def world(clean_app, make):
    """One user per role; the hiring manager owns an open vacancy with a
    candidate (with a résumé), an import upload and an outbox message."""
    from recruit.auth import services as accounts
    from recruit.auth.models import User
    from recruit.extensions import db
    from recruit.organisation import services as org
    from recruit.vacancies import candidates, imports
    from recruit.vacancies.models import Application, Vacancy

    users = {role: make.user(role, email=f"{role}@walk.test") for role in ROLES}
    with clean_app.app_context():
        org.update_settings(name="Walk", timezone="Europe/Moscow", working_days=[0, 1, 2, 3, 4],
                            reminder_offsets_hours=[24], retention_days=365, approver_id=users["admin"])
        db.session.commit()
    vacancy = make.vacancy("open", manager=users["hiring_manager"])
    application = make.candidate(vacancy)
    spare = make.candidate(vacancy)
    template = make.template()
    with clean_app.app_context():
        app_row = db.session.get(Application, application)
        candidates.attach_resume(app_row.candidate, "cv.pdf", b"%PDF-1.4\n%test\n")
        batch = imports.start(db.session.get(Vacancy, vacancy), "c.csv", b"full_name,email\nA B,a@b.test\n",
                              db.session.get(User, users["recruiter"]))
        accounts.request_password_reset("recruiter@walk.test")
        tokens = {role: accounts.create_api_token(db.session.get(User, uid), "walk")[1] for role, uid in users.items()}
        own_tokens = {role: accounts.create_api_token(db.session.get(User, uid), "spare")[0].id
                      for role, uid in users.items()}
        from datetime import time, timedelta

        from recruit.interviews import bookings, links, sessions
        from recruit.mail import OutboxMessage

        day = (org.local_now() + timedelta(days=2)).date()
        session = sessions.create_session(
            kind="stream", title="Walk day", vacancy=db.session.get(Vacancy, vacancy), day=day, start=time(10),
            end=time(12), place="Room 1", interviewers=[sessions.InterviewerHours(users["hiring_manager"])],
            created_by=db.session.get(User, users["recruiter"]))
        other = sessions.create_session(
            kind="group", title="Other day", vacancy=None, day=day, start=time(14), end=time(15), seats=5,
            place="Room 2", interviewers=[sessions.InterviewerHours(users["admin"])],
            created_by=db.session.get(User, users["recruiter"]))
        booking = bookings.book(session, [(application, 0)], None, db.session.get(User, users["recruiter"])).invited[0]
        from recruit.training import plans as ts
        from recruit.training.plan_templates import ensure_default_template

        plan = ts.start_plan(ts.PlanRequest(
            "new_hire@walk.test", "Hire", org.local_now().date(), ensure_default_template(),
            mentor_id=users["mentor"], curator_id=users["hiring_manager"], head_id=users["hiring_manager"],
            hr_id=users["recruiter"]), db.session.get(User, users["recruiter"]))
        hr_task = next(t for t in plan.stages[0].tasks if t.owner_role == "hr")
        from recruit.training.activity_log import upload_activity

        held = upload_activity(plan, f"Date;Calls\n{org.local_now().date()};3\nyesterday;1\n".encode(), "walk.csv",
                               plan.hire)  # a bad row: applying it with an empty form changes nothing
        from recruit.quizzes.attempts import start_attempt
        from recruit.quizzes.bank import add_question
        from recruit.quizzes.models import Quiz, QuizAssignment, QuizQuestion
        from recruit.quizzes.types import Choice, Question

        question = add_question(Question("single", "Which?", choices=[Choice("a", 1.0), Choice("b")]))
        quiz = Quiz(title="Walk quiz", key="walk")
        quiz.fixed.append(QuizQuestion(question_id=question.id))
        db.session.add(quiz)
        db.session.flush()
        db.session.add(QuizAssignment(quiz_id=quiz.id, user_id=users["new_hire"]))
        attempt = start_attempt(quiz, db.session.get(User, users["new_hire"]))
        message = db.session.scalar(db.select(OutboxMessage.id))
        ids = {"vacancy": vacancy, "application": application, "candidate": app_row.candidate_id,
               "template": template, "batch": batch.id, "message": message, "user": users["recruiter"],
               "session": session.id, "other_session": other.id, "booking": booking.id,
               "booking_token": links.booking_token(booking), "spare": spare,
               "plan": plan.id, "plan_stage": plan.stages[0].id, "hr_task": hr_task.id,
               "activity_import": held.id,
               "onboarding_template": plan.template_id, "quiz": quiz.id, "attempt": attempt.id,
               "attempt_answer": attempt.answers[0].id, "bank_question": question.id,
               "hire": users["new_hire"]}
        db.session.commit()
    return {"users": users, "ids": ids, "tokens": tokens, "own_tokens": own_tokens}


def test_every_route_has_a_rule(clean_app):
    endpoints = {rule.endpoint for rule in clean_app.url_map.iter_rules() if rule.endpoint != "static"}
    assert endpoints - set(RULES) == set(), "routes without an expected-access rule in this test"
    assert set(RULES) - endpoints == set(), "rules for routes that no longer exist"
    from recruit.auth.permissions import access_of

    with clean_app.test_request_context():
        missing = [e for e in endpoints if access_of(e) is None]
    assert missing == [], "endpoints without @allow/@public are refused to everyone"


def _request(client, method, url, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    kwargs = {"headers": headers}
    if method in ("POST", "PATCH") and url.startswith("/api/"):
        kwargs["json"] = {}
    elif method == "POST":
        kwargs["data"] = {}
    return client.open(url, method=method, **kwargs)


@pytest.mark.parametrize("who", [ANON, *ROLES])
def test_route_walk(clean_app, world, who):
    client = clean_app.test_client()
    if who != ANON:
        from tests.conftest import login

        login(client, f"{who}@walk.test")
    failures = []
    ordered = sorted(RULES.items(), key=lambda item: item[0] == "auth.logout")
    for endpoint, (method, template, allowed) in ordered:
        ids = {**world["ids"], "token": world["own_tokens"].get(who, 0)}
        url = template.format(**ids)
        is_api = url.startswith("/api/")
        token = world["tokens"].get(who) if is_api and who != ANON else None
        response = _request(client, method, url, token)
        status = response.status_code
        to_login = status == 302 and "/login" in response.headers.get("Location", "")
        if allowed == "public":
            ok = status < 500 and not to_login and status not in (401, 403)
            expected = "through"
        elif who == ANON:
            ok = (status == 401 and response.is_json) if is_api else to_login
            expected = "401 JSON" if is_api else "redirect to login"
        elif who in allowed:
            ok = status < 500 and status not in (401, 403) and (not to_login or endpoint == "auth.logout")
            if method == "GET" and not is_api:
                ok = ok and status == 200
            expected = "through"
        else:
            ok = status == 403 and (response.is_json if is_api else True)
            expected = "403"
        if not ok:
            failures.append(f"{who} {method} {url}: {status}, expected {expected}")
    assert failures == []


def test_api_refuses_session_cookie(clean_app, world):
    """A signed-in browser cannot call the API without a token (no CSRF hole)."""
    client = clean_app.test_client()
    from tests.conftest import login

    login(client, "admin@walk.test")
    response = client.get("/api/v1/vacancies")
    assert response.status_code == 401
    assert response.get_json()["error"]["status"] == 401


def test_other_managers_vacancy_is_hidden(clean_app, world, make):
    """Ownership, not just role: a second hiring manager sees neither the
    first one's vacancy nor its candidates, in pages or the API."""
    from tests.conftest import login

    other = make.user("hiring_manager", email="other@walk.test")
    assert other
    client = clean_app.test_client()
    login(client, "other@walk.test")
    vacancy, candidate = world["ids"]["vacancy"], world["ids"]["candidate"]
    for url in (f"/vacancies/{vacancy}", f"/vacancies/{vacancy}/pipeline", f"/candidates/{candidate}",
                f"/candidates/{candidate}/resume"):
        assert client.get(url).status_code == 403, url
    listing = client.get("/vacancies").get_data(as_text=True)
    assert f"/vacancies/{vacancy}\"" not in listing
    from recruit.auth import services as accounts
    from recruit.auth.models import User
    from recruit.extensions import db

    with clean_app.app_context():
        _, raw = accounts.create_api_token(db.session.get(User, other), "t")
        db.session.commit()
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get(f"/api/v1/vacancies/{vacancy}", headers=headers).status_code == 403
    assert client.get(f"/api/v1/candidates/{candidate}", headers=headers).status_code == 403
    assert client.get("/api/v1/vacancies", headers=headers).get_json()["items"] == []


def test_token_of_another_user_cannot_be_revoked(clean_app, world):
    from tests.conftest import login

    client = clean_app.test_client()
    login(client, "mentor@walk.test")
    response = client.post(f"/account/tokens/{world['own_tokens']['admin']}/revoke")
    assert response.status_code == 404
    admin_token = world["tokens"]["admin"]
    assert client.get("/api/v1/vacancies", headers={"Authorization": f"Bearer {admin_token}"}).status_code == 200


JUNK_FORM = {"target": "x" * 300, "reason": "\u0000", "points": "nan", "index": "-5", "slot_id": "abc",
             "day": "2026-13-45", "start": "25:99", "end": "-1", "user_id": "zz", "interviewer_id": "-3",
             "application": ["a", "-1"], "decision": "maybe", "action": "explode", "name": "", "passed": "2",
             "tried_on": "yesterday", "calls": "-7", "answer": ["x", "y"], "base": "a,b", "hire_email": "@",
             "template_id": "0", "mentor_id": "x", "comment": "y" * 6000, "decision_": "", "skip": "1",
             "picture": "eyJzIjoxfQ.forged.x", "override_reason": "z" * 900, "extra_minutes": "-3",
             "extra_attempts": "1e9", "code": "abc", "tf-code": "x" * 50, "pw-password": "", "pw-current": "x",
             "review_open": "everything", "review_closed": "nothing", "head_id": "x", "sysadmin_id": "-1",
             "receptionist_id": "y", "next": "//evil.example"}
# The same junk without the NUL, so that it reaches the handlers instead of the NUL check at the door.
JUNK_FORM_NO_NUL = {**JUNK_FORM, "reason": "r" * 900}
JUNK_QUERY = "page=-3&stage=bogus&state=zzz&q=%27%22%3Cx%3E&vacancy=abc&format=nope&a=x&a=-1"
HUGE = "9" * 30  # past any integer column: must be "not found", never an overflow in the driver
JUNK_FORM_HUGE = {key: HUGE for key in ("index", "slot_id", "user_id", "interviewer_id", "application", "points",
                                         "calls", "template_id", "mentor_id", "headcount", "answer", "position")}
JUNK_QUERY_HUGE = f"page={HUGE}&vacancy={HUGE}&a={HUGE}&application={HUGE}&template={HUGE}"
JUNK_JSON = [None, [], "text", {"answer": {"nested": [1, 2]}, "points": "many", "position": True, "headcount": -1,
                                "state": "exploded", "vacancy_id": "1"},
             {"vacancy_id": int(HUGE), "points": 1e308, "position": int(HUGE), "headcount": int(HUGE),
              "answer": int(HUGE), "quiz_id": int(HUGE)}]


@pytest.mark.pg  # PostgreSQL refuses more than SQLite (NUL, integer range): the junk goes there too
@pytest.mark.parametrize("who", [role for role in ROLES])
def test_bad_input_on_every_route_never_breaks(clean_app, world, who):
    """Every route, as a role allowed through it, fed junk: a clear 4xx or a page
    with a message, never a server error; the API always answers in JSON."""
    from tests.conftest import login

    client = clean_app.test_client()
    login(client, f"{who}@walk.test")
    failures = []
    for endpoint, (method, template, allowed) in RULES.items():
        if endpoint == "auth.logout" or (allowed != "public" and who not in allowed):
            continue
        ids = {**world["ids"], "token": world["own_tokens"].get(who, 0)}
        url = template.format(**ids)
        is_api = url.startswith("/api/")
        headers = {"Authorization": f"Bearer {world['tokens'][who]}"} if is_api else {}
        if method == "GET":
            sep = "&" if "?" in url else "?"
            responses = [client.get(url + sep + junk, headers=headers) for junk in (JUNK_QUERY, JUNK_QUERY_HUGE)]
        elif is_api:
            responses = [client.open(url, method=method, headers=headers, json=body) for body in JUNK_JSON]
            responses.append(client.open(url, method=method, headers=headers, data=b"{not json",
                                         content_type="application/json"))
        else:
            responses = [client.open(url, method=method, data=junk)
                         for junk in (JUNK_FORM, JUNK_FORM_NO_NUL, JUNK_FORM_HUGE)]
        for response in responses:
            if response.status_code >= 500:
                failures.append(f"{who} {method} {url}: {response.status_code}")
            elif is_api and response.status_code >= 400 and not response.is_json:
                failures.append(f"{who} {method} {url}: {response.status_code} without a JSON body")
    assert failures == []


@pytest.mark.pg
def test_ownership_of_other_peoples_things(clean_app, world, make):
    """IDOR: a second mentor, a second new hire and a second hiring manager
    reach the same URLs as the owners and get nothing."""
    from tests.conftest import login

    ids = world["ids"]
    make.user("mentor", email="mentor2@walk.test")
    make.user("new_hire", email="hire2@walk.test")
    make.user("hiring_manager", email="manager2@walk.test")

    mentor = clean_app.test_client()
    login(mentor, "mentor2@walk.test")
    assert mentor.get(f"/plans/{ids['plan']}").status_code == 403
    assert mentor.post(f"/plan-stages/{ids['plan_stage']}/sign-off").status_code == 403
    assert mentor.post(f"/plans/{ids['plan']}/activity", data={"day": "2026-01-05", "calls": "5"}).status_code == 403
    assert "Hire" not in mentor.get("/mentees").get_data(as_text=True)

    hire = clean_app.test_client()
    login(hire, "hire2@walk.test")
    assert hire.get(f"/attempts/{ids['attempt']}").status_code == 403
    assert hire.post(f"/attempts/{ids['attempt']}/answers/0", data={"answer": "0"}).status_code in (403, 404)
    assert hire.post(f"/attempts/{ids['attempt']}/submit").status_code in (403, 404)
    assert hire.get(f"/plans/{ids['plan']}").status_code == 403
    with clean_app.app_context():
        from recruit.auth import services as accounts
        from recruit.auth.models import User
        from recruit.extensions import db

        other = db.session.scalar(db.select(User).where(User.email == "hire2@walk.test"))
        token = accounts.create_api_token(other, "idor")[1]
        db.session.commit()
    api = clean_app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    response = api.get(f"/api/v1/attempts/{ids['attempt']}", headers=headers)
    assert response.status_code in (403, 404) and response.is_json
    response = api.put(f"/api/v1/attempts/{ids['attempt']}/answers/0", headers=headers, json={"answer": 0})
    assert response.status_code in (403, 404) and response.is_json

    manager = clean_app.test_client()
    login(manager, "manager2@walk.test")
    assert manager.get(f"/vacancies/{ids['vacancy']}/pipeline").status_code in (403, 404)
    assert manager.get(f"/candidates/{ids['candidate']}").status_code in (403, 404)
    assert manager.get(f"/candidates/{ids['candidate']}/resume").status_code in (403, 404)
    assert manager.get(f"/bookings/{ids['booking']}/scorecard").status_code in (403, 404)


def test_every_form_post_needs_the_csrf_token(clean_app, world):
    """CSRF on every state change: each non-API POST route, as a role allowed
    through it, refuses a request without the token (and changes nothing)."""
    from config import TestConfig
    from recruit.app import create_app

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = clean_app.config["SQLALCHEMY_DATABASE_URI"]
        WTF_CSRF_ENABLED = True

    app = create_app(Config)
    try:
        _walk_without_tokens(app, world)
    finally:
        from recruit.extensions import db

        with app.app_context():
            db.engine.dispose()  # the next test replaces the database file under this app's pool


def _walk_without_tokens(app, world) -> None:
    from tests.conftest import PASSWORD, csrf_token

    audit_count = _audit_count(app)
    failures = []
    for endpoint, (_method, template, allowed) in RULES.items():
        url = template.format(**{**world["ids"], "token": 0})
        if url.startswith("/api/"):
            continue  # bearer tokens only: a browser's cookie never authenticates there
        methods = {rule.endpoint: rule.methods for rule in app.url_map.iter_rules()}[endpoint]
        if "POST" not in methods:
            continue
        client = app.test_client()
        if allowed != "public":
            who = sorted(allowed)[0]
            token = csrf_token(client.get("/login").get_data(as_text=True))
            client.post("/login", data={"email": f"{who}@walk.test", "password": PASSWORD,
                                        "csrf_token": token})
        response = client.post(url, data={"x": "1"})
        if response.status_code != 400:
            failures.append(f"{endpoint} POST {url}: {response.status_code}")
    assert failures == []
    assert _audit_count(app) == audit_count  # nothing was written by any of them


def _audit_count(app) -> int:
    from recruit.audit import AuditEntry
    from recruit.extensions import db

    with app.app_context():
        count = db.session.scalar(db.select(db.func.count(AuditEntry.id)))
        db.session.remove()
        return count
