"""The admin outbox's one action: send a message again. A password reset or
an invitation is never re-sent as it was (its link may be spent, expired, or
seen in the outbox): a fresh one is made with a new link. Any other message is
queued again as it was. Either way the admin's action is in the audit trail."""

from __future__ import annotations

from flask_babel import gettext as _

from recruit import audit
from recruit.auth import services as accounts
from recruit.auth.models import User
from recruit.extensions import db
from recruit.i18n import label
from recruit.mail import OutboxMessage, absolute_url, queue_mail, send_copy

RESENDABLE = ("sent", "kept", "failed")
PAGE_SIZE = 50


class OutboxError(ValueError):
    pass


def messages_page(page: int):
    """One page of the outbox, the newest message first."""
    return db.paginate(db.select(OutboxMessage).order_by(OutboxMessage.id.desc()), page=page, per_page=PAGE_SIZE,
                       error_out=False)


def _account(message: OutboxMessage) -> User:
    user = accounts.user_by_email(message.recipient)
    if user is None or not user.active:
        raise OutboxError(_("%(email)s has no active account any more; nothing was sent.", email=message.recipient))
    return user


def _fresh_invitation(user: User) -> OutboxMessage:
    token = accounts.make_password_token(user, "invite")
    link = absolute_url("auth.set_password", token=token, purpose="invite")
    return queue_mail(
        user.email, _("You are invited to Recruit"),
        _("Hello %(name)s,\n\nAn account was created for you. Choose your password here "
          "(the link works for 7 days):\n%(link)s\n", name=user.full_name, link=link),
        kind="invitation")


def send_again(message: OutboxMessage, by: User) -> OutboxMessage:
    """The new message (queued); OutboxError says why there is none."""
    if message.erased_at is not None:
        raise OutboxError(_("This message was erased with the personal data of the person it was for; "
                            "there is nothing to send again."))
    if message.status not in RESENDABLE:
        raise OutboxError(_("Only a message that went out, was kept or failed can be sent again; "
                            "this one is %(status)s.", status=label(message.status, "outbox_status").lower()))
    if message.kind == "password_reset":
        user = _account(message)
        accounts.request_password_reset(user.email)
        fresh = db.session.scalar(db.select(OutboxMessage).where(
            OutboxMessage.kind == "password_reset", OutboxMessage.recipient == user.email,
            OutboxMessage.id > message.id).order_by(OutboxMessage.id.desc()).limit(1))
        if fresh is None:
            raise OutboxError(_("No reset link could be made for %(email)s.", email=user.email))
    elif message.kind == "invitation":
        user = _account(message)
        if user.password_hash:
            raise OutboxError(_("%(email)s has already chosen a password; send a password reset instead.",
                                email=user.email))
        fresh = _fresh_invitation(user)
    else:
        fresh = send_copy(message)
    audit.record("outbox.send_again", message, actor_id=by.id, kind=message.kind, new_message=fresh.id,
                 fresh_link=message.kind in ("password_reset", "invitation"))
    return fresh
