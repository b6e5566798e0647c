"""The admin outbox (issue 12, point 5): bodies are shown with their tokens
masked, so reading the outbox never hands out a live reset, invitation or
booking link; "Send again" makes a fresh reset or invitation (a new link) and
re-queues any other message as it was, audited; erased messages stay erased."""

from __future__ import annotations

import re
import time

import pytest
import sqlalchemy as sa

from recruit.audit import AuditEntry
from recruit.mail import OutboxMessage, mask_tokens
from tests.conftest import login

LINK = re.compile(r"/password/(reset|invite)/([A-Za-z0-9_\-.]+)")


@pytest.fixture
def admin_client(clean_app, make):
    make.user("admin", email="admin@x.test")
    client = clean_app.test_client()
    login(client, "admin@x.test")
    return client


def _db(app):
    from recruit.extensions import db

    return db


def _two_hours_ago(app, monkeypatch, action):
    """Run the service `action` as if two hours ago: the link it signs has expired (resets last one hour)."""
    real = time.time
    with app.app_context(), monkeypatch.context() as m:
        m.setattr(time, "time", lambda: real() - 7200)
        action()
        _db(app).session.commit()


def _messages(app, kind):
    with app.app_context():
        return [(m.id, m.recipient, m.body, m.status) for m in _db(app).session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id))]


def test_tokens_are_masked_and_only_tokens():
    body = ("Open http://recruit.test/password/reset/eyJ1aWQiOjF9.Z0xyzQ.abcdefghijklmnopqrst within an hour.\n"
            "Your booking: https://recruit.test/b/eyJiIjo1LCJ2IjoxfQ.Z0x.sig-nature_12345678\n"
            "Video call: https://zoom.us/j/123456789 and https://example.com/jobs/client-manager")
    masked = mask_tokens(body)
    assert "eyJ" not in masked and masked.count("•••") == 2
    assert "http://recruit.test/password/reset/•••" in masked and "https://recruit.test/b/•••" in masked
    assert "https://zoom.us/j/123456789" in masked and "https://example.com/jobs/client-manager" in masked


def test_the_outbox_shows_no_live_link_and_a_reset_is_sent_again_fresh(clean_app, make, admin_client,
                                                                       monkeypatch):
    from recruit.auth import services as accounts

    make.user("recruiter", email="rita@x.test")
    _two_hours_ago(clean_app, monkeypatch, lambda: accounts.request_password_reset("rita@x.test"))
    ((first_id, recipient, body, status),) = _messages(clean_app, "password_reset")
    assert recipient == "rita@x.test" and status == "kept"
    old_token = LINK.search(body).group(2)
    page = admin_client.get(f"/admin/outbox/{first_id}").get_data(as_text=True)
    assert old_token not in page and "/password/reset/•••" in page
    assert "Send again" in page
    listing = admin_client.get("/admin/outbox").get_data(as_text=True)
    assert old_token not in listing

    response = admin_client.post(f"/admin/outbox/{first_id}/send-again")
    assert response.status_code == 302
    (_, _, _, _), (second_id, recipient, fresh_body, _) = _messages(clean_app, "password_reset")
    assert response.headers["Location"].endswith(f"/admin/outbox/{second_id}")
    new_token = LINK.search(fresh_body).group(2)
    assert recipient == "rita@x.test" and new_token != old_token
    with clean_app.app_context():
        assert accounts.user_for_password_token(old_token, "reset") is None  # expired
        assert accounts.user_for_password_token(new_token, "reset").email == "rita@x.test"
        entry = _db(clean_app).session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "outbox.send_again"))
        assert (entry.object_id, entry.data["new_message"], entry.data["fresh_link"]) == (first_id, second_id, True)
        assert entry.actor.email == "admin@x.test"
    assert new_token not in admin_client.get(f"/admin/outbox/{second_id}").get_data(as_text=True)


def test_an_invitation_is_sent_again_with_a_new_link_until_a_password_is_chosen(clean_app, admin_client,
                                                                                monkeypatch):
    from recruit.auth import services as accounts

    clean_app.config["INVITATION_MAX_AGE"], max_age = 3600, clean_app.config["INVITATION_MAX_AGE"]
    _two_hours_ago(clean_app, monkeypatch, lambda: accounts.invite_user("newbie@x.test", "New Bie", ["recruiter"]))
    ((first_id, _, body, _),) = _messages(clean_app, "invitation")
    admin_client.post(f"/admin/outbox/{first_id}/send-again")
    (_, (second_id, recipient, fresh, _)) = _messages(clean_app, "invitation")
    assert recipient == "newbie@x.test" and LINK.search(fresh).group(2) != LINK.search(body).group(2)
    with clean_app.app_context():
        assert accounts.user_for_password_token(LINK.search(body).group(2), "invite") is None
        user = accounts.user_for_password_token(LINK.search(fresh).group(2), "invite")
        clean_app.config["INVITATION_MAX_AGE"] = max_age
        accounts.set_password(user, "a-long-enough-password", reason="invite")
        _db(clean_app).session.commit()
    page = admin_client.post(f"/admin/outbox/{second_id}/send-again", follow_redirects=True).get_data(as_text=True)
    assert "already chosen a password" in page
    assert len(_messages(clean_app, "invitation")) == 2


def test_other_messages_are_queued_again_as_they_were(clean_app, admin_client):
    from recruit.mail import attachment, queue_mail

    with clean_app.app_context():
        original = queue_mail("someone@x.test", "Your interview", "See you at 10.", kind="interview.invitation",
                              attachments=[attachment("invite.ics", "text/calendar; method=REQUEST", b"BEGIN")])
        original.related_type, original.related_id = "bookings", 7
        queued = queue_mail("later@x.test", "Reminder", "Tomorrow.", kind="interview.reminder.24h",
                            send_at=original.created_at.replace(year=original.created_at.year + 1))
        _db(clean_app).session.commit()
        original_id, queued_id = original.id, queued.id
    admin_client.post(f"/admin/outbox/{original_id}/send-again")
    copies = _messages(clean_app, "interview.invitation")
    assert [(r, b) for _, r, b, _ in copies] == [("someone@x.test", "See you at 10.")] * 2
    with clean_app.app_context():
        copy = _db(clean_app).session.get(OutboxMessage, copies[1][0])
        assert (copy.related_type, copy.related_id, copy.attachments[0]["filename"]) == ("bookings", 7, "invite.ics")
    # a message still waiting to go out is not doubled
    page = admin_client.post(f"/admin/outbox/{queued_id}/send-again", follow_redirects=True).get_data(as_text=True)
    assert "this one is queued" in page
    assert len(_messages(clean_app, "interview.reminder.24h")) == 1


def test_an_erased_message_shows_nothing_and_cannot_be_sent_again(clean_app, admin_client):
    from recruit.mail import erase_messages, queue_mail

    with clean_app.app_context():
        message = queue_mail("gone@x.test", "Your interview", "Hello Gone Person", kind="interview.invitation")
        _db(clean_app).session.flush()
        erase_messages(OutboxMessage.id == message.id, "[erased]", lambda text: text)
        _db(clean_app).session.commit()
        message_id = message.id
    page = admin_client.get(f"/admin/outbox/{message_id}").get_data(as_text=True)
    assert "gone@x.test" not in page and "Hello Gone Person" not in page and "(erased)" in page
    assert "Send again" not in page
    listing = admin_client.get("/admin/outbox").get_data(as_text=True)
    assert "gone@x.test" not in listing and "(erased)" in listing
    page = admin_client.post(f"/admin/outbox/{message_id}/send-again", follow_redirects=True).get_data(as_text=True)
    assert "nothing to send again" in page
    assert len(_messages(clean_app, "interview.invitation")) == 1
