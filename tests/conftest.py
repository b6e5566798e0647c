"""Fixtures. Every test starts from a freshly migrated database: a copy of a
migrated SQLite file, or (TEST_DB=postgres) a real PostgreSQL started on
loopback whose tables are emptied between tests. Views commit for real, so
what a test sees is what a user would see."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from config import TestConfig
from tests.factories import PASSWORD, Factory

pytest_plugins = ["tests.worlds.quizzes", "tests.worlds.interviews", "tests.worlds.training", "tests.worlds.hiring"]

TEST_DB = os.environ.get("TEST_DB", "sqlite")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
FIXTURES = Path(__file__).parent / "fixtures"


def pytest_configure(config):
    config.addinivalue_line("markers", "pg: service and API tests that run again on PostgreSQL")
    config.addinivalue_line("markers", "e2e: browser journeys against `make run` (Chromium)")
    config.addinivalue_line("markers", "commits: a ctx test that must commit for real (threads, other connections)")
    config.addinivalue_line("markers", "stack: the scale-out stack on loopback (gunicorn x2, RQ x2, PostgreSQL, Redis)")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    if TEST_DB == "postgres":
        from tests import pg

        try:
            server = pg.start()
        except Exception as exc:
            if IN_CI:
                pytest.fail(f"PostgreSQL could not be started: {exc}")
            pytest.skip(f"PostgreSQL not available: {exc}")
        yield server.url
        server.stop()
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    from flask_migrate import upgrade

    from recruit.app import create_app

    instance = tmp_path_factory.mktemp("instance")

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        UPLOAD_DIR = instance / "uploads"

    os.environ["RECRUIT_INSTANCE_DIR"] = str(instance)
    application = create_app(Config)
    with application.app_context():
        upgrade()
        from recruit.extensions import db

        db.session.remove()
        db.engine.dispose()
    if database_url.startswith("sqlite"):
        path = database_url.removeprefix("sqlite:///")
        shutil.copy(path, path + ".template")
    return application


def _reset(app) -> None:
    from recruit.extensions import db

    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with app.app_context():
        db.session.remove()
        if url.startswith("sqlite"):
            db.engine.dispose()
            path = url.removeprefix("sqlite:///")
            for suffix in ("-wal", "-shm"):
                Path(path + suffix).unlink(missing_ok=True)
            shutil.copy(path + ".template", path)
        else:
            tables = [t.name for t in db.metadata.sorted_tables]
            with db.engine.begin() as conn:
                conn.execute(sa.text("TRUNCATE " + ", ".join(tables) + " RESTART IDENTITY CASCADE"))


_state = {"dirty": False}  # a test committed to the database since the last reset


@pytest.fixture
def clean_app(app):
    _reset(app)
    _state["dirty"] = True
    _clear_process_state(app)
    yield app


def _clear_process_state(app) -> None:
    from recruit import jobs
    from recruit.extensions import limiter

    jobs._progress.clear()
    limiter.reset()
    shutil.rmtree(app.config["UPLOAD_DIR"], ignore_errors=True)


COMMITTING = {"client", "make", "clean_app", "login_as", "app"}


@pytest.fixture
def ctx(request, app):
    """An application context for service tests (no requests inside it).

    A test that asks for nothing else runs in one transaction rolled back at
    its end (its commits are savepoints): the database is reset only when a
    committing test has been there, instead of before every test. A test
    with requests, factories or threads (`@pytest.mark.commits`) commits for
    real on a freshly reset database."""
    from recruit.extensions import db

    if COMMITTING & set(request.fixturenames) or request.node.get_closest_marker("commits"):
        request.getfixturevalue("clean_app")
        with app.app_context():
            yield db
            db.session.rollback()
            db.session.remove()
        return
    if _state["dirty"]:
        _reset(app)
        _state["dirty"] = False
    _clear_process_state(app)
    with app.app_context(), _rolled_back(db):
        yield db


@contextlib.contextmanager
def _rolled_back(db):
    """db.session bound to one connection whose outer transaction is rolled
    back at the end (SQLAlchemy's "join an external transaction" recipe; on
    SQLite the driver's own transaction handling is switched off for that
    connection, so SAVEPOINT works)."""
    db.session.remove()
    connection = db.engine.connect()
    raw = connection.connection.dbapi_connection
    sqlite = type(raw).__module__.startswith("sqlite3")
    if sqlite:
        raw.isolation_level = None
    outer = connection.begin()
    if sqlite:
        connection.exec_driver_sql("BEGIN")
    original = db.session
    db.session = db._make_scoped_session({"bind": connection, "join_transaction_mode": "create_savepoint"})
    try:
        yield
    finally:
        db.session.remove()
        db.session = original
        outer.rollback()
        if sqlite:
            raw.isolation_level = ""
        connection.close()


@pytest.fixture
def client(clean_app):
    return clean_app.test_client()


@pytest.fixture
def make(clean_app):
    return Factory(clean_app)


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or \
        re.search(r'value="([^"]+)"[^>]*name="csrf_token"', html)
    return match.group(1) if match else ""


def login(client, email: str, password: str = PASSWORD):
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


@pytest.fixture
def login_as(client, make, clean_app):
    """login_as('recruiter') -> user id; signs the test client in with that role."""

    def _login(*roles: str) -> int:
        user_id = make.user(*roles)
        from recruit.auth.models import User
        from recruit.extensions import db

        with clean_app.app_context():
            email = db.session.get(User, user_id).email
        login(client, email)
        return user_id

    return _login


@pytest.fixture
def smtp(clean_app):
    """A real SMTP server on loopback for the test, recording what it is sent."""
    from aiosmtpd.controller import Controller

    from tests.servers import SMTPRecorder, free_port

    recorder = SMTPRecorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    clean_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    yield recorder
    clean_app.config.update(MAIL_SERVER="")
    controller.stop()
