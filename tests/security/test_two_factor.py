"""Two-factor sign-in: set up with an authenticator app (TOTP), sign in with
a code or a one-time recovery code, and the organisation's requirement for
admins and recruiters."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pyotp
import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD, login

pytestmark = pytest.mark.pg  # the sign-in tables and their UPDATE ... WHERE checks, on PostgreSQL too


def _text(response) -> str:
    return response.get_data(as_text=True)


def _switch_on(client) -> tuple[str, list[str]]:
    """Through the pages: start, read the key off the page, confirm with a code. -> (key, recovery codes)"""
    client.post("/account/two-factor", data={"action": "start"})
    page = _text(client.get("/account/two-factor"))
    secret = re.search(r'<code class="token">([A-Z2-7]{32})</code>', page).group(1)
    assert "otpauth://totp/Recruit:" in page and f"secret={secret}" in page
    response = client.post("/account/two-factor", data={"action": "confirm", "tf-code": pyotp.TOTP(secret).now()})
    codes = re.findall(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", _text(response))
    assert len(codes) == 10 and "shown only once" in _text(response)
    return secret, codes


def _code_for_next_step(secret: str) -> str:
    """A valid code that has not been used yet (the one for the next 30 s step; drift of one step is allowed)."""
    totp = pyotp.TOTP(secret)
    return totp.generate_otp(totp.timecode(datetime.now(UTC)) + 1)


def _password_step(client, email="r@x.test", **query):
    response = client.post("/login", query_string=query, data={"email": email, "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/login/two-factor"
    return response


def test_set_up_and_sign_in_with_a_code(clean_app, make):
    make.user("recruiter", email="r@x.test")
    client = clean_app.test_client()
    login(client, "r@x.test")
    assert "Off: your password alone signs you in." in _text(client.get("/account"))
    secret, _codes = _switch_on(client)
    assert "On: signing in asks for a code" in _text(client.get("/account"))
    client.post("/logout")

    _password_step(client, next="/vacancies")
    assert client.get("/account").status_code == 302  # the password alone does not sign in
    wrong = client.post("/login/two-factor", data={"code": "000000"})
    assert "not right" in _text(wrong)
    response = client.post("/login/two-factor", data={"code": _code_for_next_step(secret)})
    assert response.status_code == 302 and response.headers["Location"] == "/vacancies"
    assert client.get("/account").status_code == 200


def test_a_code_works_once(clean_app, make):
    make.user("recruiter", email="r@x.test")
    client = clean_app.test_client()
    login(client, "r@x.test")
    secret, _codes = _switch_on(client)
    client.post("/logout")
    code = _code_for_next_step(secret)
    _password_step(client)
    assert client.post("/login/two-factor", data={"code": code}).status_code == 302
    client.post("/logout")
    other = clean_app.test_client()
    _password_step(other)
    assert "not right, or it was already used" in _text(other.post("/login/two-factor", data={"code": code}))
    assert other.get("/account").status_code == 302


def test_recovery_codes_work_once_and_are_kept_hashed(clean_app, make):
    make.user("recruiter", email="r@x.test")
    client = clean_app.test_client()
    login(client, "r@x.test")
    _secret, codes = _switch_on(client)
    from recruit.auth.models import RecoveryCode
    from recruit.extensions import db

    with clean_app.app_context():
        stored = [r.code_hash for r in db.session.scalars(sa.select(RecoveryCode))]
    assert len(stored) == 10 and not set(stored) & {c for code in codes for c in (code, code.replace("-", ""))}
    client.post("/logout")
    _password_step(client)
    assert client.post("/login/two-factor", data={"code": codes[3].upper()}).status_code == 302
    assert "9 unused recovery codes left." in _text(client.get("/account/two-factor"))
    client.post("/logout")
    _password_step(client)
    assert "not right" in _text(client.post("/login/two-factor", data={"code": codes[3]}))
    assert client.get("/account").status_code == 302


def test_new_recovery_codes_replace_the_old_ones(clean_app, make):
    make.user("recruiter", email="r@x.test")
    client = clean_app.test_client()
    login(client, "r@x.test")
    _secret, old = _switch_on(client)
    assert "not right" in _text(client.post("/account/two-factor/recovery-codes", data={"pw-password": "nope"},
                                            follow_redirects=True))
    response = client.post("/account/two-factor/recovery-codes", data={"pw-password": PASSWORD})
    new = re.findall(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", _text(response))
    assert len(new) == 10 and not set(new) & set(old)
    client.post("/logout")
    _password_step(client)
    assert "not right" in _text(client.post("/login/two-factor", data={"code": old[0]}))
    assert client.post("/login/two-factor", data={"code": new[0]}).status_code == 302


def test_switching_it_on_ends_sessions_opened_with_a_password_alone(clean_app, make):
    make.user("recruiter", email="r@x.test")
    here, elsewhere = clean_app.test_client(), clean_app.test_client()
    login(here, "r@x.test")
    login(elsewhere, "r@x.test")
    _switch_on(here)
    assert here.get("/account").status_code == 200
    assert elsewhere.get("/account").status_code == 302


def test_switching_it_off_needs_the_password(clean_app, make):
    make.user("recruiter", email="r@x.test")
    client = clean_app.test_client()
    login(client, "r@x.test")
    _switch_on(client)
    client.post("/account/two-factor/disable", data={"pw-password": "wrong"})
    assert "Two-factor sign-in is on" in _text(client.get("/account/two-factor"))
    response = client.post("/account/two-factor/disable", data={"pw-password": PASSWORD}, follow_redirects=True)
    assert "Two-factor sign-in is off" in _text(response)
    client.post("/logout")
    login(client, "r@x.test")  # the password alone again
    from recruit.auth.models import RecoveryCode
    from recruit.extensions import db

    with clean_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(RecoveryCode.id))) == 0


def test_the_code_step_expires_and_cannot_be_skipped(clean_app, make):
    make.user("recruiter", email="r@x.test")
    client = clean_app.test_client()
    login(client, "r@x.test")
    secret, _codes = _switch_on(client)
    client.post("/logout")
    _password_step(client)
    with client.session_transaction() as session:
        pending = dict(session["two_factor_pending"])
        session["two_factor_pending"] = {**pending, "at": pending["at"] - 301}  # five minutes and a second ago
    response = client.post("/login/two-factor", data={"code": _code_for_next_step(secret)})
    assert "This sign-in has expired" in _text(response)
    assert client.get("/account").status_code == 302
    assert "This sign-in has expired" in _text(clean_app.test_client().get("/login/two-factor"))


def test_wrong_codes_lock_the_account(clean_app, make):
    make.user("recruiter", email="r@x.test")
    client = clean_app.test_client()
    login(client, "r@x.test")
    secret, _codes = _switch_on(client)
    client.post("/logout")
    _password_step(client)
    for _ in range(4):
        assert "not right" in _text(client.post("/login/two-factor", data={"code": "123456"}))
    assert "Try again in 15 minutes" in _text(client.post("/login/two-factor", data={"code": "654321"}))
    locked = client.post("/login/two-factor", data={"code": _code_for_next_step(secret)})
    assert "Try again in 15 minutes" in _text(locked) and client.get("/account").status_code == 302


def test_typing_the_password_again_does_not_reset_the_count_of_wrong_codes(clean_app, make):
    """The password is only half a sign-in: it must not wipe the wrong codes
    counted so far, or a guesser gets four tries per password entry forever."""
    make.user("recruiter", email="r@x.test")
    client = clean_app.test_client()
    login(client, "r@x.test")
    secret, _codes = _switch_on(client)
    client.post("/logout")
    _password_step(client)
    for _ in range(4):
        assert "not right" in _text(client.post("/login/two-factor", data={"code": "123456"}))
    _password_step(client)
    assert "Try again in 15 minutes" in _text(client.post("/login/two-factor", data={"code": "654321"}))
    again = client.post("/login", data={"email": "r@x.test", "password": PASSWORD})
    assert "Try again in 15 minutes" in _text(again)  # locked: even the right password waits
    assert "not right" not in _text(client.post("/login/two-factor", data={"code": _code_for_next_step(secret)}))
    assert client.get("/account").status_code == 302


def _require(clean_app, make, required: bool):
    make.user("admin", email="boss@x.test")
    admin = clean_app.test_client()
    login(admin, "boss@x.test")
    data = {"name": "Org", "timezone": "Europe/Moscow", "working_days": [0, 1, 2, 3, 4], "reminder_offsets": "24",
            "retention_days": 365, "approver_id": 0, "planning_preference": "2",
            "show_rate_half_life_days": 60, "no_show_grace_minutes": 30}
    if required:
        data["require_two_factor"] = "y"
    assert admin.post("/admin/settings", data=data).status_code == 302
    return admin


def test_an_admin_can_require_it_for_admins_and_recruiters(clean_app, make):
    make.user("recruiter", email="r@x.test")
    make.user("mentor", email="m@x.test")
    admin = _require(clean_app, make, True)
    from recruit.extensions import db
    from recruit.organisation.services import get_settings

    with clean_app.app_context():
        assert get_settings().require_two_factor is True
        db.session.remove()
    # the admin who switched it on, without it themselves, is sent to set it up on the next page
    assert admin.get("/admin/users").headers["Location"] == "/account/two-factor"

    recruiter = clean_app.test_client()
    response = recruiter.post("/login", data={"email": "r@x.test", "password": PASSWORD})
    assert response.headers["Location"] == "/account/two-factor"
    for url in ("/", "/candidates", "/account"):
        assert recruiter.get(url).headers.get("Location") == "/account/two-factor", url
    page = _text(recruiter.get("/account/two-factor"))
    assert "Your organisation requires two-factor sign-in for your role" in page
    _switch_on(recruiter)
    assert recruiter.get("/candidates").status_code == 200
    assert "cannot be switched off" in _text(recruiter.get("/account/two-factor"))
    recruiter.post("/account/two-factor/disable", data={"pw-password": PASSWORD})
    assert "Two-factor sign-in is on" in _text(recruiter.get("/account/two-factor"))

    mentor = clean_app.test_client()
    login(mentor, "m@x.test")
    assert mentor.get("/").status_code == 200  # other roles are not asked

    _switch_on(admin)
    settings_page = _text(admin.get("/admin/settings"))
    assert "checked" in re.search(r"<input[^>]*require_two_factor[^>]*>", settings_page).group(0)


def test_without_the_requirement_nobody_is_sent_to_set_it_up(clean_app, make):
    make.user("recruiter", email="r@x.test")
    admin = _require(clean_app, make, False)
    assert admin.get("/admin/users").status_code == 200
    recruiter = clean_app.test_client()
    login(recruiter, "r@x.test")
    assert recruiter.get("/candidates").status_code == 200
    from recruit.audit import AuditEntry
    from recruit.extensions import db

    with clean_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))
                                 .where(AuditEntry.action == "settings.require_two_factor")) == 0
