"""The SQL statements a piece of work runs: what the statement-count tests
(a page with 5 rows and with 50 runs as many) read."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import sqlalchemy as sa


@contextlib.contextmanager
def counting(app) -> Iterator[list[str]]:
    """Every statement sent to the app's database inside the block, in order."""
    from recruit.extensions import db

    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
