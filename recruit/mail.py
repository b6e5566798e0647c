"""The outbox: every message is a row first and a delivery job second, so a
dead worker or a Redis restart delays a message and never loses or doubles it.

Without MAIL_SERVER the message is kept in the outbox, readable by admins."""

from __future__ import annotations

import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app, url_for
from sqlalchemy.orm import Mapped, mapped_column

from recruit import jobs
from recruit.extensions import db
from recruit.timeutil import UTCDateTime, utcnow

STALE_SENDING = timedelta(minutes=10)


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"
    __table_args__ = (sa.Index("ix_outbox_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40), default="")
    recipient: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(16), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=utcnow)
    sending_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


def absolute_url(endpoint: str, **values) -> str:
    """A link for an e-mail: under EXTERNAL_URL, so it is right behind a proxy
    and from jobs or the command line, where there is no request."""
    app = current_app._get_current_object()
    with app.test_request_context(base_url=app.config["EXTERNAL_URL"]):
        return url_for(endpoint, _external=True, **values)


def queue_mail(recipient: str, subject: str, body: str, *, kind: str = "") -> OutboxMessage:
    message = OutboxMessage(recipient=recipient, subject=subject, body=body, kind=kind)
    db.session.add(message)
    db.session.flush()
    jobs.enqueue("mail.deliver", message.id)
    return message


def _claim(message_id: int, now: datetime) -> bool:
    claimed = db.session.execute(
        sa.update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            sa.or_(
                OutboxMessage.status == "queued",
                sa.and_(OutboxMessage.status == "sending", OutboxMessage.sending_since < now - STALE_SENDING),
            ),
        )
        .values(status="sending", sending_since=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return bool(claimed)


def _send_smtp(message: OutboxMessage) -> None:
    cfg = current_app.config
    email = EmailMessage()
    email["From"] = cfg["MAIL_SENDER"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = f"<outbox-{message.id}@{cfg['MAIL_SENDER'].split('@')[-1]}>"
    email.set_content(message.body)
    with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=20) as smtp:
        if cfg["MAIL_USE_TLS"]:
            smtp.starttls()
        if cfg["MAIL_USERNAME"]:
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
        smtp.send_message(email)


@jobs.job("mail.deliver")
def deliver(message_id: int) -> None:
    now = utcnow()
    if not current_app.config["MAIL_SERVER"]:
        message = db.session.get(OutboxMessage, message_id)
        if message is not None and message.status == "queued":
            message.status = "kept"
        return
    if not _claim(message_id, now):
        return
    message = db.session.get(OutboxMessage, message_id)
    db.session.refresh(message)
    try:
        _send_smtp(message)
    except (OSError, smtplib.SMTPException) as exc:
        message.attempts += 1
        message.last_error = str(exc)[:1000]
        if message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
            message.status = "failed"
        else:
            message.status = "queued"
            message.next_attempt_at = now + timedelta(seconds=30 * 2 ** message.attempts)
        return
    message.attempts += 1
    message.status = "sent"
    message.sent_at = utcnow()


@jobs.job("mail.retry", every_seconds=60)
def retry_due() -> None:
    if not current_app.config["MAIL_SERVER"]:
        return
    now = utcnow()
    due = db.session.scalars(
        sa.select(OutboxMessage.id).where(OutboxMessage.status == "queued", OutboxMessage.next_attempt_at <= now)
    ).all()
    for message_id in due:
        deliver(message_id)
        db.session.commit()
