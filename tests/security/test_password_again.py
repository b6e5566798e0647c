"""A signed-in person who types their password again (to change it, or to
turn two-factor sign-in off) gets the sign-in's lockout: a stolen session
cannot be used to guess the password."""

from __future__ import annotations

from tests.conftest import PASSWORD, login


def _change(client, current: str):
    return client.post("/account", data={"pw-current": current, "pw-password": "a-brand-new-password",
                                         "pw-confirm": "a-brand-new-password"}).get_data(as_text=True)


def test_wrong_current_passwords_lock_the_account(clean_app, make):
    make.user("recruiter", email="r@x.test")
    client = clean_app.test_client()
    login(client, "r@x.test")
    for _ in range(4):
        assert "Your current password is not right." in _change(client, "guess")
    assert "Too many failed sign-ins for this account. Try again in 15 minutes." in _change(client, "guess")
    page = _change(client, PASSWORD)  # even the right one waits now
    assert "Try again in 15 minutes" in page and "Password changed" not in page
    other = clean_app.test_client()
    refused = other.post("/login", data={"email": "r@x.test", "password": PASSWORD})
    assert refused.status_code == 200 and "Try again in 15 minutes" in refused.get_data(as_text=True)


def test_turning_two_factor_off_counts_wrong_passwords_too(clean_app, make):
    make.user("recruiter", email="r@x.test")
    client = clean_app.test_client()
    login(client, "r@x.test")
    for _ in range(5):
        client.post("/account/two-factor/disable", data={"pw-password": "guess"})
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert "Too many failed sign-ins for this account" in page
