"""A request that only read ends its transaction with COMMIT, so the
driver keeps the statements it prepared (psycopg forgets them on every
ROLLBACK); anything that wrote, or failed, still rolls back and keeps
nothing of what it did."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from recruit.auth.models import User
from recruit.extensions import db
from recruit.organisation.services import get_settings
from tests.conftest import login
from tests.factories import PASSWORD


@pytest.fixture
def endings(clean_app):
    """'commit' or 'rollback' for every transaction the app's engine ends
    (in a database with its settings row, as every installation has)."""
    seen: list[str] = []
    with clean_app.app_context():
        get_settings()
        db.session.commit()
        engine = db.engine

    def commit(_conn):
        seen.append("commit")

    def rollback(_conn):
        seen.append("rollback")

    sa.event.listen(engine, "commit", commit)
    sa.event.listen(engine, "rollback", rollback)
    yield seen
    sa.event.remove(engine, "commit", commit)
    sa.event.remove(engine, "rollback", rollback)


def test_a_page_that_only_reads_ends_with_a_commit(clean_app, make, endings):
    make.user("recruiter", email="rita@x.test")
    client = clean_app.test_client()
    login(client, "rita@x.test", PASSWORD)
    endings.clear()
    assert client.get("/vacancies").status_code == 200
    assert endings == ["commit"]


def test_pending_changes_are_rolled_back_never_committed_at_the_end(clean_app, make, endings):
    user_id = make.user("recruiter", email="rita@x.test", name="Rita")
    endings.clear()
    with clean_app.test_request_context("/"):
        db.session.get(User, user_id).full_name = "Changed but never committed"
    with clean_app.test_request_context("/"):
        db.session.get(User, user_id).full_name = "Flushed but never committed"
        db.session.flush()
    with clean_app.test_request_context("/"):
        db.session.execute(sa.update(User).where(User.id == user_id).values(full_name="Updated, not committed"))
    assert endings == ["rollback"] * 3
    with clean_app.app_context():
        assert db.session.get(User, user_id).full_name == "Rita"


def test_a_request_that_fails_is_rolled_back_even_if_it_only_read(clean_app, make, endings):
    make.user("recruiter", email="rita@x.test")
    endings.clear()
    with pytest.raises(RuntimeError), clean_app.test_request_context("/"):
        db.session.scalar(sa.select(User.id))
        raise RuntimeError("the view failed")
    assert endings == ["rollback"]


@pytest.mark.pg
def test_on_postgresql_a_page_asked_again_runs_prepared_statements(clean_app, make, endings):
    """After a few requests of a page, its statements are prepared on the
    connection: PostgreSQL no longer plans them on every request."""
    if not clean_app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("prepared statements are PostgreSQL's")
    make.user("recruiter", email="rita@x.test")
    client = clean_app.test_client()
    login(client, "rita@x.test", PASSWORD)
    for _ in range(40):  # the pool hands its connections out in turn: each gets a few
        assert client.get("/vacancies").status_code == 200
    with clean_app.app_context():
        held = [db.engine.connect() for _ in range(db.engine.pool.size())]
        try:
            prepared = max(c.scalar(sa.text("SELECT count(*) FROM pg_prepared_statements")) for c in held)
        finally:
            for connection in held:
                connection.close()
    assert prepared >= 2  # the signed-in user's statement and the page's own


def test_a_request_whose_statement_failed_and_was_answered_ends_quietly(clean_app, make, endings):
    """A view that answered a database error (the 503 while the database is
    down, a refused statement) ends without an error of its own, and the
    next request works."""
    user_id = make.user("recruiter", email="rita@x.test")
    endings.clear()
    with clean_app.test_request_context("/"):
        db.session.get(User, user_id)
        with pytest.raises(sa.exc.DBAPIError):
            db.session.execute(sa.text("SELECT no_such_column FROM users"))
    assert endings == ["rollback"]
    with clean_app.test_request_context("/"):
        assert db.session.get(User, user_id).email == "rita@x.test"
