"""The outbox: every message is a row first and a delivery job second, so a
dead worker or a Redis restart delays a message and never loses or doubles it.

Without MAIL_SERVER the message is kept in the outbox, readable by admins."""

from __future__ import annotations

import base64
import re
import smtplib
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app, url_for
from markupsafe import Markup, escape
from sqlalchemy.orm import Mapped, mapped_column

from recruit import jobs
from recruit.extensions import db
from recruit.utc import UTCDateTime, utcnow

STALE_SENDING = timedelta(minutes=10)


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"
    __table_args__ = (sa.Index("ix_outbox_status_next", "status", "next_attempt_at"),
                      sa.Index("ix_outbox_related", "related_type", "related_id"))  # cancel_pending

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
    attachments: Mapped[list] = mapped_column(sa.JSON, default=list, server_default="[]")
    related_type: Mapped[str] = mapped_column(sa.String(40), default="", server_default="")
    related_id: Mapped[int | None]
    # set when the person it was for was anonymised: recipient, body and
    # attachments are gone, the event (kind, subject, status, dates) stays
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def masked_body(self) -> str:
        """The body as the admin outbox shows it: sign-in, reset and booking
        links keep their address but not their token, so reading the outbox
        never hands an admin someone else's live link."""
        return mask_tokens(self.body)


MASK = "•••"
_URL = re.compile(r"(https?://[^\s/?#]+)([^\s]*)")
# a path segment or query value that is a signed token: long, and made of the
# characters itsdangerous writes (URL-safe base64 and dots)
_TOKEN = re.compile(r"(?<=[/=])[A-Za-z0-9_\-.]{20,}")


def mask_tokens(text: str) -> str:
    return _URL.sub(lambda m: m.group(1) + _TOKEN.sub(MASK, m.group(2)), text or "")


def absolute_url(endpoint: str, **values) -> str:
    """A link for an e-mail: under EXTERNAL_URL, so it is right behind a proxy
    and from jobs or the command line, where there is no request."""
    app = current_app._get_current_object()
    with app.test_request_context(base_url=app.config["EXTERNAL_URL"]):
        return url_for(endpoint, _external=True, **values)


def attachment(filename: str, content_type: str, data: bytes) -> dict:
    return {"filename": filename, "content_type": content_type, "data": base64.b64encode(data).decode()}


def queue_mail(recipient: str, subject: str, body: str, *, kind: str = "", attachments: list[dict] | None = None,
               send_at: datetime | None = None, related: object | None = None) -> OutboxMessage:
    """A row now; delivery after the commit, or from `send_at` on (reminders)."""
    if len(subject) > 200:  # the column's width: a long position and company name shorten the subject
        subject = subject[:199] + "…"
    message = OutboxMessage(recipient=recipient, subject=subject, body=body, kind=kind,
                            attachments=attachments or [], next_attempt_at=send_at or utcnow())
    if related is not None:
        message.related_type, message.related_id = related.__tablename__, related.id
    db.session.add(message)
    db.session.flush()
    if send_at is None or send_at <= utcnow():
        jobs.enqueue("mail.deliver", message.id)
    return message


def cancel_pending(related: object, kind_prefix: str = "") -> int:
    """Drop messages not yet sent for an object (e.g. reminders of a cancelled booking)."""
    stmt = (sa.update(OutboxMessage)
            .where(OutboxMessage.related_type == related.__tablename__, OutboxMessage.related_id == related.id,
                   OutboxMessage.status == "queued", OutboxMessage.kind.startswith(kind_prefix))
            .values(status="dropped").execution_options(synchronize_session=False))
    return db.session.execute(stmt).rowcount


def send_copy(message: OutboxMessage) -> OutboxMessage:
    """The same message queued once more (a lost e-mail), for the same object."""
    copy = queue_mail(message.recipient, message.subject, message.body, kind=message.kind,
                      attachments=list(message.attachments or []))
    copy.related_type, copy.related_id = message.related_type, message.related_id
    db.session.flush()
    return copy


def erase_messages(where: sa.ColumnElement[bool], marker: str, scrub: Callable[[str], str]) -> tuple[int, int]:
    """Anonymisation: messages to an erased person lose their recipient, body
    and attachments (the event stays); those not yet sent are dropped. Returns
    (dropped, erased)."""
    now = utcnow()
    dropped = erased = 0
    for message in db.session.scalars(sa.select(OutboxMessage).where(where, OutboxMessage.erased_at.is_(None))):
        if message.status in ("queued", "sending"):
            message.status = "dropped"
            dropped += 1
        message.recipient = ""
        message.subject = scrub(message.subject)[:200]
        message.body = marker
        message.attachments = []
        message.last_error = scrub(message.last_error or "")
        message.erased_at = now
        erased += 1
    db.session.flush()
    return dropped, erased


def scrub_messages(quoting: Callable[[sa.ColumnElement[str]], sa.ColumnElement[bool] | None],
                   scrub: Callable[[str], str]) -> int:
    """Other people's messages that mention an erased person (by name, e-mail
    or phone) keep everything but those values, attachments included.
    `quoting(column)` picks the rows that may mention them; `scrub` decides."""
    clauses = [clause for column in (OutboxMessage.body, OutboxMessage.subject, OutboxMessage.last_error)
               if (clause := quoting(column)) is not None]
    if not clauses:
        return 0
    changed = 0
    for message in db.session.scalars(sa.select(OutboxMessage).where(sa.or_(*clauses))):
        before = (message.subject, message.body, message.last_error, message.attachments)
        message.subject = scrub(message.subject)[:200]
        message.body = scrub(message.body)
        message.last_error = scrub(message.last_error or "")
        attachments = []
        for item in message.attachments or []:
            data = base64.b64decode(item["data"])
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                attachments.append(item)
                continue
            attachments.append({**item, "data": base64.b64encode(scrub(_unfold(text)).encode()).decode()})
        if attachments != (message.attachments or []):
            message.attachments = attachments
        if (message.subject, message.body, message.last_error, message.attachments) != before:
            changed += 1
    db.session.flush()
    return changed


def _unfold(text: str) -> str:
    """iCalendar folds long lines; a name must be whole to be found."""
    return text.replace("\r\n ", "").replace("\r\n\t", "")


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


def _content_type(value: str) -> tuple[str, str, dict[str, str]]:
    """"text/calendar; method=REQUEST; charset=UTF-8" -> ("text", "calendar", {"method": ..., "charset": ...})."""
    kind, *pairs = [part.strip() for part in value.split(";")]
    maintype, _, subtype = kind.partition("/")
    params = {}
    for pair in pairs:
        key, _, item = pair.partition("=")
        if key:
            params[key.strip().lower()] = item.strip().strip('"')
    return maintype, subtype, params


_LINK = re.compile(r"https?://[^\s<>\"]+")


def html_of(text: str) -> str:
    """The plain body as HTML for the alternative part: the same words,
    paragraphs and line breaks kept, links clickable."""
    def paragraph(block: str) -> str:
        lines = []
        for line in block.split("\n"):
            parts, last = [], 0
            for found in _LINK.finditer(line):
                parts.append(escape(line[last:found.start()]))
                url = escape(found.group(0))
                parts.append(Markup('<a href="{0}">{0}</a>').format(url))
                last = found.end()
            parts.append(escape(line[last:]))
            lines.append(Markup("").join(parts))
        return Markup("<p>{}</p>").format(Markup("<br>\n").join(lines))

    blocks = [b for b in re.split(r"\n\s*\n", (text or "").strip()) if b.strip()]
    return str(Markup('<!DOCTYPE html><html><body style="font-family:sans-serif;line-height:1.5">{}</body></html>')
               .format(Markup("\n").join(paragraph(b) for b in blocks)))


def _send_smtp(message: OutboxMessage) -> None:
    """A calendar file goes twice, as RFC 6047 wants it for mail clients to
    show an invitation: inline, as the third alternative beside the text and
    its HTML, and as the .ics attachment for those that only import files."""
    cfg = current_app.config
    email = EmailMessage()
    email["From"] = cfg["MAIL_SENDER"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = f"<outbox-{message.id}@{cfg['MAIL_SENDER'].split('@')[-1]}>"
    email.set_content(message.body)
    items = [(item, *_content_type(item["content_type"])) for item in message.attachments or []]
    calendars = [(item, params) for item, maintype, subtype, params in items
                 if (maintype, subtype) == ("text", "calendar")]
    if calendars:
        email.add_alternative(html_of(message.body), subtype="html")
        for item, params in calendars[:1]:
            email.add_alternative(base64.b64decode(item["data"]), maintype="text", subtype="calendar",
                                  params={**params, "charset": params.get("charset", "UTF-8")})
    for item, maintype, subtype, params in items:
        email.add_attachment(base64.b64decode(item["data"]), maintype=maintype, subtype=subtype,
                             filename=item["filename"], params=params)
    with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=20) as smtp:
        if cfg["MAIL_USE_TLS"]:
            smtp.starttls()
        if cfg["MAIL_USERNAME"]:
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
        smtp.send_message(email)


def deliver(message_id: int) -> None:
    now = utcnow()
    if not current_app.config["MAIL_SERVER"]:
        message = db.session.get(OutboxMessage, message_id)
        if message is not None and message.status == "queued" and message.next_attempt_at <= now:
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


def retry_due() -> None:
    """Sends what is due: retries after back-off, and scheduled reminders."""
    now = utcnow()
    due = db.session.scalars(
        sa.select(OutboxMessage.id).where(sa.or_(
            sa.and_(OutboxMessage.status == "queued", OutboxMessage.next_attempt_at <= now),
            # a worker died while sending: try again once the claim is stale
            sa.and_(OutboxMessage.status == "sending", OutboxMessage.sending_since < now - STALE_SENDING)))
    ).all()
    for message_id in due:
        deliver(message_id)
        db.session.commit()
