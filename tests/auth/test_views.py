"""Signing in and out, password resets, invitations, tokens, CSRF, cookies,
rate limits, headers: what a user and an attacker meet in the browser."""

import re

import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD, csrf_token, login


def _outbox_link(app, kind):
    from recruit.extensions import db
    from recruit.mail import OutboxMessage

    with app.app_context():
        message = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == kind)
                                     .order_by(OutboxMessage.id.desc())).first()
        return re.search(r"http://\S+", message.body).group(0).replace("http://recruit.test", "")


def test_sign_in_and_out(client, make):
    make.user("recruiter", email="r@x.test")
    assert client.get("/").headers["Location"].startswith("/login")
    response = client.post("/login", data={"email": "r@x.test", "password": "wrong"})
    assert response.status_code == 200 and "do not match" in response.get_data(as_text=True)
    response = client.post("/login?next=/vacancies", data={"email": "R@x.test", "password": PASSWORD})
    assert response.headers["Location"] == "/vacancies"
    assert client.get("/").status_code == 200
    client.post("/logout")
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_no_open_redirect_after_sign_in(client, make, target):
    make.user("recruiter", email="r@x.test")
    response = client.post("/login", query_string={"next": target}, data={"email": "r@x.test",
                                                                          "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_sign_in_attempts_are_rate_limited(client, make):
    make.user("recruiter", email="r@x.test")
    statuses = [client.post("/login", data={"email": "r@x.test", "password": "guess"}).status_code
                for _ in range(11)]
    assert statuses[:10] == [200] * 10 and statuses[10] == 429
    response = client.post("/login", data={"email": "r@x.test", "password": PASSWORD})
    assert response.status_code == 429 and "Too many attempts" in response.get_data(as_text=True)


def test_forgotten_password_round_trip(client, make, clean_app):
    make.user("mentor", email="m@x.test")
    response = client.post("/password/forgot", data={"email": "m@x.test"})
    assert response.status_code == 302
    link = _outbox_link(clean_app, "password_reset")
    assert link.startswith("/password/reset/")
    page = client.get(link)
    assert page.status_code == 200 and "m@x.test" in page.get_data(as_text=True)
    response = client.post(link, data={"password": "brand-new-pass-1", "confirm": "different-pass-11"})
    assert "Choose a new password" in response.get_data(as_text=True)
    client.post(link, data={"password": "brand-new-pass-1", "confirm": "brand-new-pass-1"})
    login(client, "m@x.test", "brand-new-pass-1")
    client.post("/logout")
    again = client.get(link)
    assert again.status_code == 302 and "forgot" in again.headers["Location"]  # works once


def test_admin_invites_a_user_who_sets_a_password(client, login_as, clean_app):
    login_as("admin")
    response = client.post("/admin/users/new", data={"email": "New.Hire@X.test", "full_name": "New Hire",
                                                      "roles": ["new_hire"], "active": "y"})
    assert response.status_code == 302
    link = _outbox_link(clean_app, "invitation")
    client.post("/logout")
    client.post(link, data={"password": "my-own-password", "confirm": "my-own-password"})
    login(client, "new.hire@x.test", "my-own-password")
    assert client.get("/admin/users").status_code == 403


def test_admin_form_errors_are_shown_and_nothing_is_written(client, login_as, clean_app):
    login_as("admin")
    response = client.post("/admin/users/new", data={"email": "not-an-email", "full_name": "X"})
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "Choose at least one role" in text and "Invalid email" in text
    from recruit.auth.models import User
    from recruit.extensions import db

    with clean_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_deactivated_user_is_signed_out(client, make, clean_app):
    admin = make.user("admin", email="a@x.test")
    user = make.user("recruiter", email="r@x.test")
    login(client, "r@x.test")
    from recruit.auth import services
    from recruit.auth.models import User
    from recruit.extensions import db

    with clean_app.app_context():
        services.update_user(db.session.get(User, user), full_name="R", roles=["recruiter"], active=False,
                             actor=db.session.get(User, admin))
        db.session.commit()
    assert client.get("/").status_code == 302
    response = client.post("/login", data={"email": "r@x.test", "password": PASSWORD})
    assert "do not match" in response.get_data(as_text=True)


def test_api_token_is_shown_once(client, login_as):
    login_as("recruiter")
    response = client.post("/account/tokens", data={"tok-name": "CRM"})
    raw = re.search(r"rk_[\w-]+", response.get_data(as_text=True)).group(0)
    assert client.get("/api/v1/vacancies", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    assert raw not in client.get("/account").get_data(as_text=True)


def test_change_password_needs_the_current_one(client, make):
    make.user("recruiter", email="r@x.test")
    login(client, "r@x.test")
    response = client.post("/account", data={"pw-current": "wrong", "pw-password": "another-password",
                                              "pw-confirm": "another-password"})
    assert "not right" in response.get_data(as_text=True)
    client.post("/account", data={"pw-current": PASSWORD, "pw-password": "another-password",
                                  "pw-confirm": "another-password"})
    client.post("/logout")
    login(client, "r@x.test", "another-password")


@pytest.fixture
def csrf_app(clean_app):
    """The same app with CSRF protection on, as in production."""
    from config import TestConfig
    from recruit.app import create_app

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = clean_app.config["SQLALCHEMY_DATABASE_URI"]
        WTF_CSRF_ENABLED = True
        SESSION_COOKIE_SECURE = True

    application = create_app(Config)
    yield application
    from recruit.extensions import db

    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def test_forms_need_the_csrf_token(csrf_app, make):
    make.user("admin", email="a@x.test")
    client = csrf_app.test_client()
    assert client.post("/login", data={"email": "a@x.test", "password": PASSWORD}).status_code == 400
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": "a@x.test", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    assert client.post("/admin/settings/holidays", data={"day": "2027-01-01"}).status_code == 400
    assert client.post("/logout").status_code == 400


def test_session_cookie_flags(csrf_app, make):
    make.user("admin", email="a@x.test")
    client = csrf_app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": "a@x.test", "password": PASSWORD, "csrf_token": token})
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie


def test_security_headers(client):
    response = client.get("/login")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "<script>" not in response.get_data(as_text=True)


def test_friendly_error_pages(client, login_as):
    login_as("recruiter")
    response = client.get("/vacancies/424242")
    assert response.status_code == 404 and "Nothing here" in response.get_data(as_text=True)
    response = client.get("/admin/users")
    assert response.status_code == 403 and "Not for your role" in response.get_data(as_text=True)


def test_cli_creates_users(clean_app):
    runner = clean_app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "cli@x.test", "--role", "mentor", "--role", "recruiter",
                                 "--name", "Cli User", "--password", "cli-password-1"])
    assert result.exit_code == 0, result.output
    assert "mentor, recruiter" in result.output
    result = runner.invoke(args=["users", "create", "cli@x.test", "--role", "mentor"])
    assert result.exit_code != 0 and "already exists" in result.output
    result = runner.invoke(args=["users", "create", "x@x.test", "--role", "boss"])
    assert result.exit_code != 0 and "Unknown role" in result.output
    result = runner.invoke(args=["users", "create", "inv@x.test", "--role", "new_hire"])
    assert result.exit_code == 0 and "invited" in result.output


def test_demo_data_loads_once(clean_app):
    from babel.messages.pofile import read_po

    from recruit.auth.models import User
    from recruit.extensions import db
    from recruit.vacancies.models import Candidate, Vacancy

    def said(msgid: str) -> str:
        """The CLI speaks the organisation's language: the demo's country (Ukraine) makes it Ukrainian."""
        with open("translations/uk/LC_MESSAGES/messages.po", "rb") as fh:
            return read_po(fh, locale="uk").get(msgid).string

    runner = clean_app.test_cli_runner()
    assert said("Demo data loaded.") in runner.invoke(args=["demo", "load"]).output

    def counts():
        with clean_app.app_context():
            return [db.session.scalar(sa.select(sa.func.count(m.id))) for m in (User, Vacancy, Candidate)]

    first = counts()
    assert first[:2] == [7 + 4, 4] and first[2] > 29 + 300  # demo roles + four more hires; export and history
    from recruit.interviews import planning, sessions

    with clean_app.app_context():
        model = planning.current_model()
        kinds = sorted(s.kind for s in sessions.upcoming_sessions())
    assert model.overall.outcomes > 300 and kinds == ["group", "stream", "stream"]  # today, tomorrow, the group day
    from recruit.vacancies.services import stage_counts

    with clean_app.app_context():
        filled = db.session.scalar(sa.select(Vacancy).where(Vacancy.state == "filled"))
        assert stage_counts(filled).get("hired") == filled.headcount == 3  # filled means its hires are there
    from recruit.training.models import OnboardingPlan

    with clean_app.app_context():
        states = sorted(p.state for p in db.session.scalars(sa.select(OnboardingPlan)))
        stages = sorted(len([s for s in p.stages if s.sign_off]) for p in db.session.scalars(sa.select(OnboardingPlan)))
    assert states == ["active"] * 4 + ["ready"] and stages == [0, 1, 2, 3, 4]  # a hire in every stage
    from recruit.quizzes.models import Attempt, BankQuestion

    with clean_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(BankQuestion.id))) == 13
        attempts = {a.user.email: a for a in db.session.scalars(sa.select(Attempt)).unique()}
        assert attempts["roman.belov@demo.local"].state == "submitted"  # waits for the mentor's grading
        for done in ("sofia.markova@demo.local", "timur.zaitsev@demo.local"):  # earlier hires' results
            assert attempts[done].state == "graded" and attempts[done].passed and attempts[done].signed_off_at
    assert said("Demo data already present; nothing changed.") in runner.invoke(args=["demo", "load"]).output
    assert counts() == first
    client = clean_app.test_client()
    for role in ("admin", "manager", "recruiter", "reception", "mentor", "hire"):
        login(client, f"{role}@demo.local", "demo-pass-2026")
        assert client.get("/").status_code == 200
        client.post("/logout")
