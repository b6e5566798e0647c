"""The sign-in form against guessing: a lockout per account beside the limit
per address, each saying truly how long to wait; the same work whether or
not an account exists; `next` only to a path of this site; HSTS with secure
cookies."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD, login

pytestmark = pytest.mark.pg  # the sign-in tables and their UPDATE ... WHERE checks, on PostgreSQL too


def _post(client, email, password="wrong-guess", **query):
    return client.post("/login", query_string=query, data={"email": email, "password": password})


def _text(response) -> str:
    return response.get_data(as_text=True)


def _later(monkeypatch, minutes: float):
    """Moves the sign-in clock forward."""
    from recruit.auth import signin
    from recruit.utc import utcnow

    monkeypatch.setattr(signin, "utcnow", lambda: utcnow() + timedelta(minutes=minutes))


def test_an_account_is_locked_after_five_failures_and_says_for_how_long(client, make, monkeypatch):
    make.user("recruiter", email="r@x.test")
    for _ in range(4):
        assert "do not match" in _text(_post(client, "r@x.test"))
    fifth = _text(_post(client, "R@x.test "))  # the same account, however it is typed
    assert "Too many failed sign-ins for this account. Try again in 15 minutes." in fifth
    refused = _post(client, "r@x.test", PASSWORD)  # even the right password waits
    assert refused.status_code == 200 and "Try again in 15 minutes." in _text(refused)
    assert client.get("/").status_code == 302
    _later(monkeypatch, 10)
    assert "Try again in 5 minutes." in _text(_post(client, "r@x.test", PASSWORD))
    _later(monkeypatch, 14.5)
    assert "Try again in 30 seconds." in _text(_post(client, "r@x.test", PASSWORD))
    _later(monkeypatch, 15.1)
    assert _post(client, "r@x.test", PASSWORD).status_code == 302


def test_the_lockout_is_per_account_not_per_browser(clean_app, make):
    make.user("recruiter", email="r@x.test")
    make.user("mentor", email="m@x.test")
    for _ in range(5):
        _post(clean_app.test_client(), "r@x.test")  # five different browsers
    assert "Try again in 15 minutes" in _text(_post(clean_app.test_client(), "r@x.test", PASSWORD))
    login(clean_app.test_client(), "m@x.test")  # another account is not affected


def test_failures_outside_the_window_do_not_add_up(client, make, monkeypatch):
    make.user("recruiter", email="r@x.test")
    for _ in range(4):
        _post(client, "r@x.test")
    _later(monkeypatch, 16)
    for _ in range(4):
        assert "do not match" in _text(_post(client, "r@x.test"))
    assert _post(client, "r@x.test", PASSWORD).status_code == 302


def test_a_successful_sign_in_clears_the_count(client, make):
    make.user("recruiter", email="r@x.test")
    for _ in range(4):
        _post(client, "r@x.test")
    login(client, "r@x.test")
    client.post("/logout")
    for _ in range(4):
        assert "do not match" in _text(_post(client, "r@x.test"))


def test_unknown_and_known_addresses_answer_alike(client, make):
    """Nobody learns which addresses have accounts from the answers or the lockout."""
    make.user("recruiter", email="known@x.test")

    def answers(email):
        return [re.sub(r"\s+", " ", re.search(r'class="flash[^"]*"[^>]*>(.*?)<', _text(_post(client, email)), re.S)
                       .group(1)).strip() for _ in range(5)]  # 10 in all: the per-address limit

    assert answers("known@x.test") == answers("nobody@x.test")


def test_the_same_password_work_for_every_address(client, make, monkeypatch):
    """One scrypt check per attempt, known account or not, active or not, locked or not."""
    from werkzeug import security

    monkeypatch.setitem(client.application.config, "PASSWORD_HASH_METHOD", "scrypt")

    make.user("recruiter", email="known@x.test")
    invited = make.user("mentor", email="invited@x.test", password=None)
    gone = make.user("recruiter", email="gone@x.test")
    from recruit.auth.models import User
    from recruit.extensions import db

    with client.application.app_context():
        db.session.get(User, gone).active = False
        db.session.commit()
    assert invited
    checked: list[str] = []
    real = security.check_password_hash

    def counting(stored, password):
        checked.append(stored.split(":")[0])
        return real(stored, password)

    monkeypatch.setattr(security, "check_password_hash", counting)
    for email in ("known@x.test", "nobody@x.test", "invited@x.test", "gone@x.test"):
        checked.clear()
        _post(client, email)
        assert checked == ["scrypt"], email
    for _ in range(5):
        _post(client, "nobody@x.test")
    checked.clear()
    _post(client, "nobody@x.test")  # locked: still the same work
    assert checked == ["scrypt"]


def test_the_lockout_keeps_no_typed_addresses(client, make):
    for _ in range(3):
        _post(client, "someone.private@x.test")
    from recruit.auth.models import SignInThrottle
    from recruit.extensions import db

    with client.application.app_context():
        rows = list(db.session.scalars(sa.select(SignInThrottle)))
        assert len(rows) == 1 and rows[0].failures == 3 and "private" not in rows[0].key


def test_the_address_limit_says_how_long_to_wait(client, make):
    """Ten attempts a minute from one address, whatever accounts it tries."""
    responses = [_post(client, f"user{n}@x.test") for n in range(11)]
    assert [r.status_code for r in responses[:10]] == [200] * 10
    limited = responses[10]
    assert limited.status_code == 429
    wait = int(limited.headers["Retry-After"])
    assert 1 <= wait <= 60
    text = _text(limited)
    assert "Too many attempts" in text
    said = int(re.search(r"Try again in (\d+) seconds?\.", text).group(1))
    assert abs(said - wait) <= 1  # the header and the page, each rounded on its own


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/x", "javascript:alert(1)", "/\\evil.example", "\\\\evil.example",
    "/\\/evil.example", "/\t/evil.example", "/\n/evil.example", "/\r\n//evil.example", "/x\x7f", "/\u200b/x",
    "evil.example", "http:/evil.example",
])
def test_next_goes_only_to_a_path_of_this_site(client, make, target):
    make.user("recruiter", email="r@x.test")
    response = _post(client, "r@x.test", PASSWORD, next=target)
    assert response.status_code == 302 and response.headers["Location"] == "/"


@pytest.mark.parametrize("target", ["/vacancies", "/candidates?q=anna&page=2", "/plans/3#stage-2"])
def test_next_keeps_a_path_of_this_site(client, make, target):
    make.user("recruiter", email="r@x.test")
    response = _post(client, "r@x.test", PASSWORD, next=target)
    assert response.headers["Location"] == target


def test_hsts_only_with_secure_cookies(clean_app):
    assert "Strict-Transport-Security" not in clean_app.test_client().get("/login").headers
    from config import TestConfig
    from recruit.app import create_app
    from recruit.extensions import db

    class Secure(TestConfig):
        SQLALCHEMY_DATABASE_URI = clean_app.config["SQLALCHEMY_DATABASE_URI"]
        SESSION_COOKIE_SECURE = True

    app = create_app(Secure)
    header = app.test_client().get("/login").headers.get("Strict-Transport-Security", "")
    assert re.fullmatch(r"max-age=(\d+).*", header) and int(header.split("=")[1].split(";")[0]) >= 180 * 86400
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_a_password_reset_lifts_the_lockout(client, make):
    """Someone else's guesses lock the account; the owner resets the password and is back in."""
    make.user("recruiter", email="r@x.test")
    for _ in range(5):
        _post(client, "r@x.test")
    from recruit.auth import services

    with client.application.app_context():
        token = services.make_password_token(services.user_by_email("r@x.test"), "reset")
    client.post(f"/password/reset/{token}", data={"password": "brand-new-pass-1", "confirm": "brand-new-pass-1"})
    login(client, "r@x.test", "brand-new-pass-1")
