"""Append-only audit trail: who did what to which object, and when.

Rows are never updated or deleted through the ORM; listeners refuse it so a
bug or a careless view cannot rewrite history. The one change allowed is
`redact`, for anonymisation: the entries stay (who, when, what), the
personal values in their details go, and the redaction is itself audited."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_login import current_user
from sqlalchemy.orm import Mapped, mapped_column

from recruit.extensions import db
from recruit.utc import UTCDateTime, utcnow


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"
    __table_args__ = (sa.Index("ix_audit_object", "object_type", "object_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(sa.String(80))
    object_type: Mapped[str] = mapped_column(sa.String(40))
    object_id: Mapped[int | None]
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)

    actor = db.relationship("User", lazy="joined")


class AppendOnlyError(RuntimeError):
    pass


@sa.event.listens_for(AuditEntry, "before_update")
@sa.event.listens_for(AuditEntry, "before_delete")
def _refuse_change(mapper, connection, target):
    raise AppendOnlyError("audit entries cannot be changed or deleted")


def _current_actor_id() -> int | None:
    try:
        if current_user and current_user.is_authenticated:
            return current_user.id
    except RuntimeError:
        return None
    return None


def record(action: str, obj: Any = None, *, object_type: str | None = None,
           object_id: int | None = None, actor_id: int | None = None, **data: Any) -> AuditEntry:
    """Add an entry in the caller's transaction, so it lands exactly when the change does."""
    if obj is not None:
        object_type = object_type or obj.__tablename__
        object_id = object_id if object_id is not None else obj.id
    entry = AuditEntry(
        action=action,
        object_type=object_type or "system",
        object_id=object_id,
        actor_id=actor_id if actor_id is not None else _current_actor_id(),
        data=json.loads(json.dumps(data, default=str)),
    )
    db.session.add(entry)
    return entry


# detail keys whose text is a state or a code, never free text about a person
STRUCTURAL_KEYS = frozenset({"from", "to", "state", "via", "type", "next_stage", "decision", "kind", "status",
                             "role", "method"})


def _scrubbed(value: Any, scrub: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {k: _scrubbed(v, scrub) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrubbed(v, scrub) for v in value]
    return value


def _erased_free_text(data: dict[str, Any], marker: str, scrub: Callable[[str], str]) -> dict[str, Any]:
    clean = {}
    for key, value in data.items():
        if isinstance(value, str) and value and key not in STRUCTURAL_KEYS:
            clean[key] = marker
        else:
            clean[key] = _scrubbed(value, scrub)
    return clean


def redact(objects: Iterable[tuple[str, int]], quoting: Callable[..., sa.ColumnElement[bool] | None],
           marker: str, scrub: Callable[[str], str]) -> int:
    """Anonymisation. Entries about the person's own objects (candidate,
    applications, bookings...) lose every free-text detail (reasons, notes);
    any other entry that quotes the person's name, e-mail or phone loses those
    values (`quoting(column, json=True)` picks the entries that may quote
    them, `scrub` decides). The rows are changed below the ORM, past the append-only guard:
    this is the one sanctioned change. Returns how many entries changed."""
    db.session.flush()
    table = AuditEntry.__table__
    by_type: dict[str, set[int]] = {}
    for object_type, object_id in objects:
        by_type.setdefault(object_type, set()).add(object_id)
    own = [sa.and_(table.c.object_type == t, table.c.object_id.in_(sorted(ids))) for t, ids in by_type.items()]
    # JSON is stored with non-ASCII escaped: `quoting` looks for the escaped form too
    quoted = quoting(sa.cast(table.c.data, sa.Text), json=True)
    clauses = own + ([quoted] if quoted is not None else [])
    if not clauses:
        return 0
    own_keys = {(t, i) for t, ids in by_type.items() for i in ids}
    changed = 0
    rows = db.session.execute(sa.select(table.c.id, table.c.object_type, table.c.object_id, table.c.data)
                              .where(sa.or_(*clauses))).all()
    for row in rows:
        data = row.data or {}
        if (row.object_type, row.object_id) in own_keys:
            clean = _erased_free_text(data, marker, scrub)
        else:
            clean = _scrubbed(data, scrub)
        if clean != data:
            db.session.execute(table.update().where(table.c.id == row.id).values(data=clean))
            changed += 1
    return changed


def history(object_type: str, object_id: int) -> list[AuditEntry]:
    stmt = (
        sa.select(AuditEntry)
        .where(AuditEntry.object_type == object_type, AuditEntry.object_id == object_id)
        .order_by(AuditEntry.id)
    )
    return list(db.session.scalars(stmt))


def trail(action: str = "", actors: sa.Select | None = None, *, system: bool = False, object_type: str = "",
          object_id: int | None = None) -> sa.Select:
    """The trail, newest first, narrowed by an action prefix ("vacancy."), the
    actors (a select of user ids, or `system` for the app's own jobs) and an
    object: what an auditor asks ("who touched candidate 42?"). Who the
    actors are is the caller's question: the trail sits below the accounts."""
    stmt = sa.select(AuditEntry).order_by(AuditEntry.id.desc())
    if action:
        stmt = stmt.where(AuditEntry.action.startswith(action, autoescape=True))
    if system:
        stmt = stmt.where(AuditEntry.actor_id.is_(None))
    elif actors is not None:
        stmt = stmt.where(AuditEntry.actor_id.in_(actors))
    if object_type:
        stmt = stmt.where(AuditEntry.object_type == object_type)
        if object_id is not None:
            stmt = stmt.where(AuditEntry.object_id == object_id)
    return stmt


def detail_items(data: dict[str, Any] | None) -> list[tuple[str, str | bool]]:
    """An entry's data as "key: value" pairs a person can read; nested values
    stay compact JSON, yes/no is left to the page (it is translated there)."""
    items: list[tuple[str, str | bool]] = []
    for key, value in (data or {}).items():
        if isinstance(value, bool):
            text: str | bool = value
        elif isinstance(value, dict | list):
            text = json.dumps(value, ensure_ascii=False)
        else:
            text = "—" if value is None or value == "" else str(value)
        items.append((_detail_name(key), text))
    return items


def _no_words(key: str) -> object | None:
    return None


_detail_words: Callable[[str], object | None] = _no_words


def name_details_with(words: Callable[[str], object | None]) -> None:
    """The app tells how a detail's key is written (i18n's "audit_detail"
    label map, registered by `templating.register`), so this module stays
    below i18n."""
    global _detail_words
    _detail_words = words


def _detail_name(key: str) -> str:
    """A detail's key in words ("vacancy_id" is "vacancy"), else the key with spaces."""
    found = _detail_words(key)
    return str(found) if found is not None else key.replace("_", " ")
