"""Signing out really ends sessions: a copied session cookie or remember-me
cookie stops working after sign-out, a new password (changed or reset),
deactivation, a role taken away and "sign out everywhere"; and no sign-in,
remembered or replayed, lasts longer than REMEMBER_COOKIE_DURATION (30 days
at most)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD, login

pytestmark = pytest.mark.pg  # the sign-in tables and their UPDATE ... WHERE checks, on PostgreSQL too

ROOT = Path(__file__).resolve().parents[2]
COOKIES = ("session", "remember_token")


def _sign_in_remembered(client, email: str, password: str = PASSWORD) -> dict[str, str]:
    response = client.post("/login", data={"email": email, "password": password, "remember": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return {name: client.get_cookie(name).value for name in COOKIES}


def _signed_in_with(app, cookies: dict[str, str]) -> bool:
    """A new browser that holds only these cookies: does it get the account page?"""
    browser = app.test_client()
    for name, value in cookies.items():
        browser.set_cookie(name, value)
    response = browser.get("/account")
    if response.status_code == 302:
        assert "/login" in response.headers["Location"]
        return False
    assert response.status_code == 200
    return True


def _each_cookie_alone(app, cookies):
    return {name: _signed_in_with(app, {name: cookies[name]}) for name in COOKIES}


def _assert_replays_work(app, cookies):
    assert _each_cookie_alone(app, cookies) == {"session": True, "remember_token": True}


def _assert_replays_fail(app, cookies):
    assert _each_cookie_alone(app, cookies) == {"session": False, "remember_token": False}


def test_sign_out_ends_the_copied_session_and_remember_cookies(clean_app, make):
    make.user("recruiter", email="r@x.test")
    client = clean_app.test_client()
    cookies = _sign_in_remembered(client, "r@x.test")
    _assert_replays_work(clean_app, cookies)
    client.post("/logout")
    _assert_replays_fail(clean_app, cookies)
    assert client.get("/").status_code == 302


def test_sign_out_on_one_device_ends_the_others(clean_app, make):
    make.user("recruiter", email="r@x.test")
    laptop, phone = clean_app.test_client(), clean_app.test_client()
    login(laptop, "r@x.test")
    phone_cookies = _sign_in_remembered(phone, "r@x.test")
    laptop.post("/logout")
    assert phone.get("/account").status_code == 302
    _assert_replays_fail(clean_app, phone_cookies)


def test_changing_the_password_ends_other_sessions_and_keeps_this_one(clean_app, make):
    make.user("recruiter", email="r@x.test")
    client, other = clean_app.test_client(), clean_app.test_client()
    cookies = _sign_in_remembered(client, "r@x.test")
    login(other, "r@x.test")
    response = client.post("/account", data={"pw-current": PASSWORD, "pw-password": "another-password",
                                              "pw-confirm": "another-password"}, follow_redirects=True)
    assert "Password changed" in response.get_data(as_text=True)
    assert client.get("/account").status_code == 200  # still signed in here
    assert other.get("/account").status_code == 302
    _assert_replays_fail(clean_app, cookies)
    fresh = client.get_cookie("remember_token").value  # this browser had one: it gets a new one that works
    assert fresh != cookies["remember_token"] and _signed_in_with(clean_app, {"remember_token": fresh})


def test_a_password_reset_ends_every_session(clean_app, make):
    make.user("mentor", email="m@x.test")
    client = clean_app.test_client()
    cookies = _sign_in_remembered(client, "m@x.test")
    from recruit.auth import services
    from recruit.extensions import db

    with clean_app.app_context():
        token = services.make_password_token(services.user_by_email("m@x.test"), "reset")
    visitor = clean_app.test_client()
    response = visitor.post(f"/password/reset/{token}", data={"password": "brand-new-pass-1",
                                                               "confirm": "brand-new-pass-1"})
    assert response.status_code == 302
    assert client.get("/account").status_code == 302
    _assert_replays_fail(clean_app, cookies)
    login(visitor, "m@x.test", "brand-new-pass-1")
    with clean_app.app_context():
        db.session.remove()


def _admin_edits(clean_app, make, user_id, *, roles, active):
    make.user("admin", email="boss@x.test")
    admin = clean_app.test_client()
    login(admin, "boss@x.test")
    data = {"email": "ignored@x.test", "full_name": "Someone", "roles": roles}
    if active:
        data["active"] = "y"
    response = admin.post(f"/admin/users/{user_id}", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]


def test_deactivation_ends_every_session_even_after_reactivation(clean_app, make):
    user = make.user("recruiter", email="r@x.test")
    client = clean_app.test_client()
    cookies = _sign_in_remembered(client, "r@x.test")
    _admin_edits(clean_app, make, user, roles=["recruiter"], active=False)
    _assert_replays_fail(clean_app, cookies)
    admin = clean_app.test_client()
    login(admin, "boss@x.test")
    admin.post(f"/admin/users/{user}", data={"full_name": "R", "roles": ["recruiter"], "active": "y"})
    _assert_replays_fail(clean_app, cookies)  # coming back needs a new sign-in, not an old cookie
    login(clean_app.test_client(), "r@x.test")


def test_taking_a_role_away_ends_every_session(clean_app, make):
    user = make.user("recruiter", "mentor", email="r@x.test")
    client = clean_app.test_client()
    cookies = _sign_in_remembered(client, "r@x.test")
    _admin_edits(clean_app, make, user, roles=["mentor"], active=True)
    _assert_replays_fail(clean_app, cookies)
    assert client.get("/account").status_code == 302


def test_adding_a_role_or_renaming_keeps_the_session(clean_app, make):
    user = make.user("mentor", email="m@x.test")
    client = clean_app.test_client()
    cookies = _sign_in_remembered(client, "m@x.test")
    _admin_edits(clean_app, make, user, roles=["mentor", "recruiter"], active=True)
    _assert_replays_work(clean_app, cookies)
    assert client.get("/candidates").status_code == 200  # the new role counts at once


def test_sign_out_everywhere_else(clean_app, make):
    make.user("recruiter", email="r@x.test")
    here, elsewhere = clean_app.test_client(), clean_app.test_client()
    login(here, "r@x.test")
    cookies = _sign_in_remembered(elsewhere, "r@x.test")
    assert "Sign out everywhere else" in here.get("/account").get_data(as_text=True)
    response = here.post("/account/sign-out-everywhere", follow_redirects=True)
    assert "has ended" in response.get_data(as_text=True)
    assert here.get("/account").status_code == 200
    assert elsewhere.get("/account").status_code == 302
    _assert_replays_fail(clean_app, cookies)
    from recruit.audit import AuditEntry
    from recruit.extensions import db

    with clean_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))
                                 .where(AuditEntry.action == "user.sign_out_everywhere")) == 1


def test_the_session_version_is_checked_in_the_database_on_every_request(clean_app, make):
    """Another process (here: a direct database change) ending the sessions is seen
    by the next request: nothing about a session is kept in process memory."""
    user = make.user("recruiter", email="r@x.test")
    client = clean_app.test_client()
    cookies = _sign_in_remembered(client, "r@x.test")
    from recruit.auth import sessions
    from recruit.auth.models import User
    from recruit.extensions import db

    with clean_app.app_context():
        sessions.end_all_sessions(db.session.get(User, user))
        db.session.commit()
    assert client.get("/account").status_code == 302
    _assert_replays_fail(clean_app, cookies)


def _remember_cookie(app, user_id: int, signed_in_at: int) -> str:
    """A remember-me cookie as this server signs them, for a sign-in at `signed_in_at`."""
    from flask_login.utils import encode_cookie

    from recruit.auth.models import User
    from recruit.extensions import db

    with app.test_request_context():
        version = db.session.get(User, user_id).session_version
        return encode_cookie(f"{user_id}:{version}:{signed_in_at}")


def test_a_sign_in_lasts_at_most_the_remember_duration(clean_app, make):
    user = make.user("recruiter", email="r@x.test")
    now = int(time.time())
    assert _signed_in_with(clean_app, {"remember_token": _remember_cookie(clean_app, user, now - 29 * 86400)})
    assert not _signed_in_with(clean_app, {"remember_token": _remember_cookie(clean_app, user, now - 31 * 86400)})
    assert not _signed_in_with(clean_app, {"remember_token": _remember_cookie(clean_app, user, now + 86400)})
    clean_app.config["REMEMBER_COOKIE_DURATION"] = timedelta(days=7)
    try:
        assert not _signed_in_with(clean_app, {"remember_token": _remember_cookie(clean_app, user, now - 8 * 86400)})
        assert _signed_in_with(clean_app, {"remember_token": _remember_cookie(clean_app, user, now - 6 * 86400)})
        clean_app.config["REMEMBER_COOKIE_DURATION"] = timedelta(days=90)  # more than 30 is cut to 30
        assert not _signed_in_with(clean_app, {"remember_token": _remember_cookie(clean_app, user, now - 31 * 86400)})
    finally:
        clean_app.config["REMEMBER_COOKIE_DURATION"] = timedelta(days=30)


def test_an_old_style_cookie_without_a_version_signs_nobody_in(clean_app, make):
    user = make.user("admin", email="a@x.test")
    from flask_login.utils import encode_cookie

    with clean_app.test_request_context():
        old = encode_cookie(str(user))  # what the remember-me cookie held before session versions
    assert not _signed_in_with(clean_app, {"remember_token": old})


def test_the_remember_cookie_expires_within_the_setting(clean_app, make):
    make.user("recruiter", email="r@x.test")
    client = clean_app.test_client()
    response = client.post("/login", data={"email": "r@x.test", "password": PASSWORD, "remember": "y"})
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember_token="))
    expires = re.search(r"Expires=([^;]+)", header).group(1)
    expiry = datetime.strptime(expires, "%a, %d %b %Y %H:%M:%S GMT").replace(tzinfo=UTC)
    assert timedelta(days=29) < expiry - datetime.now(UTC) <= timedelta(days=30, seconds=5)
    assert "HttpOnly" in header and "SameSite=Lax" in header


@pytest.mark.parametrize(("env", "days"), [(None, 30), ("7", 7), ("90", 30), ("0", 1)])
def test_remember_days_setting(env, days):
    environ = {k: v for k, v in os.environ.items() if k != "REMEMBER_DAYS"}
    if env is not None:
        environ["REMEMBER_DAYS"] = env
    out = subprocess.run([sys.executable, "-c", "import config; print(config.Config.REMEMBER_COOKIE_DURATION.days)"],
                         cwd=ROOT, env=environ, capture_output=True, text=True, check=True).stdout
    assert int(out) == days


def test_a_signed_in_request_reads_its_user_roles_and_settings_in_one_statement(clean_app, make):
    """Every signed-in page starts by loading its user: one statement with the
    roles and the organisation's settings (every page reads them), not a
    second and a third one for them."""
    from recruit.auth.models import User
    from recruit.auth.sessions import load_user
    from recruit.extensions import db
    from recruit.organisation.services import get_settings
    from tests.statements import counting

    user_id = make.user("recruiter", "mentor")
    with clean_app.app_context():
        get_settings().timezone = "Europe/Sofia"
        db.session.commit()
    with clean_app.test_request_context("/"):
        cookie_id = db.session.get(User, user_id).get_id()
        db.session.expunge_all()
        with counting(clean_app) as statements:
            user = load_user(cookie_id)
            assert user is not None and user.roles == {"recruiter", "mentor"}
            assert get_settings().timezone == "Europe/Sofia"
    assert len(statements) == 1, statements


def test_an_api_request_reads_its_token_user_roles_and_settings_in_one_statement(clean_app, make):
    """Every API call starts by finding its token: one statement with the
    user, the roles and the settings; the last use is written once a minute."""
    from datetime import timedelta

    from recruit.auth import services
    from recruit.auth.models import ApiToken, User
    from recruit.extensions import db
    from recruit.organisation.services import get_settings
    from recruit.utc import utcnow
    from tests.statements import counting

    user_id = make.user("recruiter", "trainer")
    with clean_app.app_context():
        get_settings()
        token, raw = services.create_api_token(db.session.get(User, user_id), "CRM")
        token.last_used_at = utcnow() - timedelta(seconds=20)
        db.session.commit()
        token_id = token.id
    with clean_app.test_request_context("/api/v1/vacancies"):
        db.session.expunge_all()
        with counting(clean_app) as statements:
            user = services.user_for_api_token(raw)
            assert user is not None and user.roles == {"recruiter", "trainer"}
            assert get_settings().id is not None
            assert not db.session.dirty  # used 20 seconds ago: nothing to write
        assert len(statements) == 1, statements
    with clean_app.app_context():
        db.session.get(ApiToken, token_id).last_used_at = utcnow() - timedelta(minutes=2)
        db.session.commit()
    with clean_app.test_request_context("/api/v1/vacancies"):
        assert services.user_for_api_token(raw).id == user_id
        assert utcnow() - db.session.get(ApiToken, token_id).last_used_at < timedelta(seconds=5)
