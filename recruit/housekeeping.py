"""Planner statistics for the embedded database. PostgreSQL's autovacuum
keeps its own; SQLite gathers none unless asked, and without them a search
in a large pipeline walked every application in id order (50 ms at 100,000
candidates instead of 1 ms). They are refreshed after each candidate import,
the way the tables grow, and every six hours. And the health check's
question: does the database answer?"""

from __future__ import annotations

import sqlalchemy as sa

from recruit.extensions import db


def refresh_planner_statistics() -> bool:
    """True where the statistics were gathered (SQLite); PostgreSQL keeps them itself."""
    if db.session.get_bind().dialect.name != "sqlite":
        return False
    db.session.execute(sa.text("ANALYZE"))
    return True


def database_answers() -> None:
    """A round trip to the database (/healthz); an outage raises, which the
    error handler answers with a 503."""
    db.session.execute(sa.text("SELECT 1"))


def periodic_statistics() -> bool:
    return refresh_planner_statistics()
