"""A request that wrote nothing ends its transaction with COMMIT, not ROLLBACK.

psycopg forgets its prepared statements whenever a connection rolls back
(the server's are deallocated: a rolled-back transaction may have dropped
what they name). Every request used to end with the session's rollback, so
no statement was ever executed five times on a connection without one in
between, none was prepared, and PostgreSQL planned every statement of every
page again: a third of a millisecond to a millisecond each on the busy pages
(docs/performance.md). Committing a transaction that read only is the same
to the database and keeps them. Anything else (an error, pending changes, a
statement that was not a plain SELECT) still rolls back."""

from __future__ import annotations

import contextlib
import re
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from recruit.extensions import commit_keeping_what_was_read, db

_READING = re.compile(r"\s*SELECT\b", re.IGNORECASE)
_WROTE = "recruit_wrote"  # Connection.info: a statement other than a SELECT ran in this transaction, or failed


@event.listens_for(Engine, "begin")
def _transaction_begins(connection, *_args: Any) -> None:
    connection.info.pop(_WROTE, None)  # the info lives as long as the pooled connection


@event.listens_for(Engine, "before_cursor_execute")
def _note_writes(connection, _cursor, statement: str, *_args: Any) -> None:
    if not _READING.match(statement):
        connection.info[_WROTE] = True


@event.listens_for(Engine, "handle_error")
def _note_errors(context) -> None:
    """A statement the database refused: the transaction may be aborted, and
    what follows is the rollback, as before."""
    if context.connection is not None:
        context.connection.info[_WROTE] = True


def _wrote_nothing(session) -> bool:
    if session.new or session.deleted or any(session.is_modified(obj) for obj in session.dirty):
        return False
    return not session.connection().info.get(_WROTE)


def end_read_only_requests(app: Flask) -> None:
    """Registered after Flask-SQLAlchemy's teardown, so it runs first (Flask
    runs them last registered first): the session is still there."""

    @app.teardown_appcontext
    def _commit_what_only_read(exc: BaseException | None) -> None:
        session = db.session()
        if exc is not None or not session.in_transaction():
            return
        try:
            if _wrote_nothing(session):
                commit_keeping_what_was_read()  # what was read stays as it was, as after the rollback it replaces
        except Exception:  # a database gone, or a failed statement answered: the rollback, as before
            _roll_back_quietly(session)


def _roll_back_quietly(session) -> None:
    """The error was answered already (a 503 while the database is down);
    what closes the session next rolls back, or drops a dead connection."""
    with contextlib.suppress(Exception):  # the session's close invalidates what cannot roll back
        session.rollback()
