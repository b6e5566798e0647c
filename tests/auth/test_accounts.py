import pytest
import sqlalchemy as sa

from recruit.audit import AppendOnlyError, AuditEntry
from recruit.auth import services
from recruit.auth.models import ApiToken, User
from recruit.mail import OutboxMessage

pytestmark = pytest.mark.pg


def test_passwords_are_scrypt_hashed_and_checked(ctx, app, monkeypatch):
    import config

    assert getattr(config.Config, "PASSWORD_HASH_METHOD", "scrypt") == "scrypt"
    monkeypatch.setitem(app.config, "PASSWORD_HASH_METHOD", "scrypt")  # the suite's own is cheap
    user = services.create_user("Ann@Example.com ", "Ann", ["recruiter"], password="long-enough-pw")
    ctx.session.commit()
    assert user.email == "ann@example.com"
    assert user.password_hash.startswith("scrypt:")
    assert "long-enough-pw" not in user.password_hash
    assert services.authenticate("ANN@example.com", "long-enough-pw") is user
    assert services.authenticate("ann@example.com", "wrong") is None


def test_bad_accounts_are_refused(ctx):
    services.create_user("a@example.com", "A", ["admin"], password="long-enough-pw")
    with pytest.raises(services.AccountError, match="already exists"):
        services.create_user("A@example.com", "A2", ["admin"])
    with pytest.raises(services.AccountError, match="Unknown role"):
        services.create_user("b@example.com", "B", ["wizard"])
    with pytest.raises(services.AccountError, match="at least one role"):
        services.create_user("c@example.com", "C", [])
    with pytest.raises(services.AccountError, match="10 characters"):
        services.create_user("d@example.com", "D", ["mentor"], password="short")


def test_inactive_user_cannot_sign_in(ctx):
    admin = services.create_user("root@example.com", "Root", ["admin"], password="long-enough-pw")
    user = services.create_user("u@example.com", "U", ["mentor"], password="long-enough-pw")
    services.update_user(user, full_name="U", roles=["mentor"], active=False, actor=admin)
    assert services.authenticate("u@example.com", "long-enough-pw") is None


def test_last_admin_keeps_the_role(ctx):
    admin = services.create_user("root@example.com", "Root", ["admin"], password="long-enough-pw")
    other = services.create_user("two@example.com", "Two", ["admin"], password="long-enough-pw")
    with pytest.raises(services.AccountError, match="own admin role"):
        services.update_user(admin, full_name="Root", roles=["recruiter"], active=True, actor=admin)
    services.update_user(other, full_name="Two", roles=["recruiter", "mentor"], active=True, actor=admin)
    assert other.roles == {"recruiter", "mentor"}
    third = services.create_user("three@example.com", "Three", ["recruiter"], password="long-enough-pw")
    services.update_user(third, full_name="Three", roles=["admin"], active=True, actor=admin)
    services.update_user(admin, full_name="Root", roles=["recruiter"], active=True, actor=third)
    with pytest.raises(services.AccountError, match="last active admin"):
        services.update_user(third, full_name="Three", roles=["recruiter"], active=True, actor=admin)


def test_reset_link_goes_through_the_outbox_and_works_once(clean_app):
    from recruit.extensions import db

    with clean_app.app_context():
        user = services.create_user("r@example.com", "R", ["recruiter"], password="first-password-1")
        services.request_password_reset("R@example.com")
        services.request_password_reset("nobody@example.com")
        db.session.commit()
        messages = db.session.scalars(sa.select(OutboxMessage)).all()
        assert [m.recipient for m in messages] == ["r@example.com"]
        assert messages[0].status == "kept"  # no mail server configured: kept for the admin
        link = next(line for line in messages[0].body.splitlines() if "/password/reset/" in line)
        assert link.startswith("http://recruit.test/password/reset/")  # EXTERNAL_URL, no request needed
        token = link.rsplit("/", 1)[1]
        assert services.user_for_password_token(token, "reset") is user
        assert services.user_for_password_token(token, "invite") is None  # purpose is part of the signature
        services.set_password(user, "second-password-2", reason="reset")
        db.session.commit()
        assert services.user_for_password_token(token, "reset") is None  # used once
        assert services.user_for_password_token(token + "x", "reset") is None


def test_reset_link_expires(clean_app, monkeypatch):
    with clean_app.app_context():
        user = services.create_user("e@example.com", "E", ["recruiter"], password="first-password-1")
        token = services.make_password_token(user)
        clean_app.config["PASSWORD_RESET_MAX_AGE"] = -1
        try:
            assert services.user_for_password_token(token) is None
        finally:
            clean_app.config["PASSWORD_RESET_MAX_AGE"] = 3600


def test_api_tokens_are_stored_hashed_and_revocable(ctx):
    user = services.create_user("t@example.com", "T", ["recruiter"], password="long-enough-pw")
    token, raw = services.create_api_token(user, "CRM sync")
    ctx.session.commit()
    stored = ctx.session.scalars(sa.select(ApiToken.token_hash)).all()
    assert raw not in stored and token.prefix == raw[:10]
    assert services.user_for_api_token(raw) is user
    assert token.last_used_at is not None
    other = services.create_user("o@example.com", "O", ["recruiter"], password="long-enough-pw")
    with pytest.raises(services.AccountError):
        services.revoke_api_token(other, token.id)
    services.revoke_api_token(user, token.id)
    assert services.user_for_api_token(raw) is None


def test_audit_trail_cannot_be_rewritten(ctx):
    services.create_user("x@example.com", "X", ["recruiter"], password="long-enough-pw")
    ctx.session.commit()
    entry = ctx.session.scalar(sa.select(AuditEntry))
    assert entry.action == "user.create" and entry.data["roles"] == ["recruiter"]
    entry.action = "nothing.happened"
    with pytest.raises(AppendOnlyError):
        ctx.session.flush()
    ctx.session.rollback()
    ctx.session.delete(ctx.session.scalar(sa.select(AuditEntry)))
    with pytest.raises(AppendOnlyError):
        ctx.session.flush()
    ctx.session.rollback()
    assert ctx.session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_the_audit_page_answers_who_did_what_to_which_object(clean_app, make):
    """Filter by action prefix (a typed % is text), by who (e-mail or the
    system's own jobs) and by object from a row's link; details read as
    key: value."""
    import re

    from recruit import audit
    from recruit.extensions import db
    from tests.conftest import login

    make.user("admin", email="boss@x.test")
    make.user("recruiter", email="rec@x.test", name="Rita")
    with clean_app.app_context():
        rita = db.session.scalar(sa.select(User).where(User.email == "rec@x.test"))
        audit.record("candidate.note", object_type="candidates", object_id=42, actor_id=rita.id, urgent=True,
                     text="called back")
        audit.record("candidate.note", object_type="candidates", object_id=7, actor_id=rita.id)
        audit.record("candidates.retention", object_type="system", anonymised=3)
        db.session.commit()
    client = clean_app.test_client()
    login(client, "boss@x.test")

    def rows(**query):
        page = client.get("/admin/audit", query_string=query).get_data(as_text=True)
        return re.findall(r"<tr><td>.*?</td>\s*<td>.*?</td>\s*<td>[^<]*<code[^>]*>([^<]+)</code></td>\s*"
                          r"<td><a [^>]*>([^<]+)</a>", page, re.S)

    assert rows(action="candidate.") == [("candidate.note", "candidates 7"), ("candidate.note", "candidates 42")]
    assert rows(action="candidate%") == []
    assert rows(actor="rec@") == [("candidate.note", "candidates 7"), ("candidate.note", "candidates 42")]
    assert rows(actor="system", action="candidates.") == [("candidates.retention", "system")]
    assert "user.create" in {action for action, _ in rows(actor="system")}  # accounts made outside a request
    assert rows(object_type="candidates", object_id=42) == [("candidate.note", "candidates 42")]
    page = client.get("/admin/audit?object_type=candidates&object_id=42").get_data(as_text=True)
    assert "<dt>urgent</dt><dd" in page and ">yes</dd>" in page and ">called back</dd>" in page
    assert 'href="/admin/audit?object_type=candidates&amp;object_id=42"' in page
    assert "No entries match" in client.get("/admin/audit?action=nothing.").get_data(as_text=True)
    # junk in the filters is a filter that matches nothing or is ignored, never an error
    assert rows(object_type="candidates", object_id="42abc") == rows(object_type="candidates")
    assert rows(object_type="candidates", object_id=2**40) == rows(object_type="candidates")
    assert rows(object_type="no-such-table", actor="nobody@") == []
    assert client.get("/admin/audit?page=-3&actor=%25").status_code == 200


def test_the_outbox_says_when_a_scheduled_message_goes_out(clean_app, make):
    """A reminder is queued days ahead: the admin sees when it will leave, not
    a bare "queued" that looks stuck."""
    from datetime import timedelta

    from recruit.extensions import db
    from recruit.mail import queue_mail
    from recruit.organisation.services import zone
    from recruit.utc import utcnow
    from tests.conftest import login

    make.user("admin", email="boss@x.test")
    when = (utcnow() + timedelta(days=2)).replace(second=0, microsecond=0)
    with clean_app.app_context():
        queue_mail("c@x.test", "Reminder: your interview", "See you", kind="interview.reminder", send_at=when)
        db.session.commit()
        local = when.astimezone(zone())
    client = clean_app.test_client()
    login(client, "boss@x.test")
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert f"goes out {local.month}/{local.day}/{local:%y}, {local:%H:%M}" in page
