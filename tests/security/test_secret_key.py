"""No built-in secret key. The embedded set-up makes its own and keeps it;
the scale-out shape refuses to start without a real one, in every process
kind (web, RQ worker, scheduler); old keys can be kept for reading while a
new one takes over."""

from __future__ import annotations

import os
import re
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PASSWORD, login

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
OLD_CONSTANT = "dev-only-change-me"  # the key every earlier release started with


def _embedded_app(instance: Path, db_path: Path):
    import config
    from recruit.app import create_app

    class Embedded(config.Config):
        SECRET_KEY = None
        SCALE_OUT = False
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{db_path}"
        START_TICKER = False
        EMAIL_INTERNAL_DOMAINS = ("test",)

    old = os.environ.get("RECRUIT_INSTANCE_DIR")
    os.environ["RECRUIT_INSTANCE_DIR"] = str(instance)
    try:
        return create_app(Embedded)
    finally:
        if old is None:
            os.environ.pop("RECRUIT_INSTANCE_DIR")
        else:
            os.environ["RECRUIT_INSTANCE_DIR"] = old


def test_embedded_setup_generates_its_key_once_and_keeps_it_private(tmp_path):
    first = _embedded_app(tmp_path / "instance", tmp_path / "r.db")
    key_file = tmp_path / "instance" / "secret_key"
    assert key_file.exists()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = first.config["SECRET_KEY"]
    assert len(key) >= 32 and key != OLD_CONSTANT
    assert _embedded_app(tmp_path / "instance", tmp_path / "r.db").config["SECRET_KEY"] == key
    other = _embedded_app(tmp_path / "elsewhere", tmp_path / "r.db")
    assert other.config["SECRET_KEY"] != key


def test_a_key_file_left_readable_by_others_is_made_private(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "secret_key").write_text("k" * 64 + "\n")
    os.chmod(instance / "secret_key", 0o644)
    assert _embedded_app(instance, tmp_path / "r.db").config["SECRET_KEY"] == "k" * 64
    assert stat.S_IMODE((instance / "secret_key").stat().st_mode) == 0o600


def test_a_cookie_signed_with_the_old_constant_opens_nothing(tmp_path):
    """The attack from the issue: sign a session naming user 1 with the key
    every installation used to share, and open the admin's home page."""
    from flask import Flask
    from flask_migrate import upgrade

    from recruit.auth import services
    from recruit.extensions import db

    app = _embedded_app(tmp_path / "instance", tmp_path / "r.db")
    app.config.update(TESTING=True, WTF_CSRF_ENABLED=False)
    with app.app_context():
        upgrade()
        admin = services.create_user("admin@x.test", "Admin", ["admin"], password=PASSWORD)
        db.session.commit()
        assert admin.id == 1

    forger = Flask("forger")
    forger.secret_key = OLD_CONSTANT
    serializer = forger.session_interface.get_signing_serializer(forger)
    client = app.test_client()
    for user_id in ("1", f"1:{'0' * 8}"):
        client.set_cookie("session", serializer.dumps({"_user_id": user_id, "_fresh": True}))
        response = client.get("/admin/users")
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(tmp_path: Path, **values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "RECRUIT_ENV")}
    env.update(RECRUIT_INSTANCE_DIR=str(tmp_path / "instance"), RECRUIT_NO_TICKER="1", PYTHONPATH=str(ROOT))
    env.update(values)
    return env


PROCESSES = {
    "web": lambda: [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "--bind", f"127.0.0.1:{_free_port()}",
                    "--workers", "1", "wsgi:app"],
    "worker": lambda: [str(BIN / "flask"), "--app", "wsgi", "jobs", "worker", "--burst"],
    "scheduler": lambda: [str(BIN / "flask"), "--app", "wsgi", "jobs", "scheduler", "--every", "1"],
}


def _example_key() -> str:
    text = (ROOT / "deploy" / "recruit.env.example").read_text()
    return re.search(r"^SECRET_KEY=(.*)$", text, re.M).group(1).strip()


@pytest.mark.parametrize("process", sorted(PROCESSES))
def test_every_production_process_refuses_to_start_without_a_key(tmp_path, process):
    env = _env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'p.db'}", REDIS_URL="redis://127.0.0.1:1/0")
    done = subprocess.run(PROCESSES[process](), cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    output = done.stdout + done.stderr
    assert done.returncode != 0
    assert "SECRET_KEY is not set" in output and "secrets.token_urlsafe" in output
    assert not (tmp_path / "instance" / "secret_key").exists()


@pytest.mark.parametrize(("key", "says"), [
    (_example_key(), "placeholder"),
    (OLD_CONSTANT, "placeholder"),
    ("x" * 31, "too short"),
])
def test_a_placeholder_or_short_key_is_refused(tmp_path, key, says):
    env = _env(tmp_path, RECRUIT_ENV="production", SECRET_KEY=key)
    done = subprocess.run(PROCESSES["scheduler"](), cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "SECRET_KEY" in done.stderr + done.stdout and says in done.stderr + done.stdout


def test_a_real_key_starts_the_production_shape(tmp_path):
    env = _env(tmp_path, RECRUIT_ENV="production", SECRET_KEY="k" * 48, DATABASE_URL=f"sqlite:///{tmp_path / 'p.db'}")
    done = subprocess.run([str(BIN / "flask"), "--app", "wsgi", "routes"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "/login" in done.stdout


def test_old_keys_keep_sessions_and_links_readable_during_rotation(clean_app, client, make):
    from recruit.auth import services
    from recruit.auth.models import User
    from recruit.extensions import db

    make.user("recruiter", email="r@x.test")
    login(client, "r@x.test")
    old = clean_app.config["SECRET_KEY"]
    signed_with_old = client.get_cookie("session").value
    with clean_app.test_request_context():
        token = services.make_password_token(db.session.get(User, 1))
    try:
        clean_app.config.update(SECRET_KEY="n" * 48, SECRET_KEY_FALLBACKS=[old])
        assert client.get("/vacancies").status_code == 200
        with clean_app.test_request_context():
            assert services.user_for_password_token(token) is not None
        clean_app.config["SECRET_KEY_FALLBACKS"] = []
        client.set_cookie("session", signed_with_old)
        response = client.get("/vacancies")
        assert response.status_code == 302 and "/login" in response.headers["Location"]
        with clean_app.test_request_context():
            assert services.user_for_password_token(token) is None
    finally:
        clean_app.config.update(SECRET_KEY=old, SECRET_KEY_FALLBACKS=[])


@pytest.mark.parametrize("old_key", [OLD_CONSTANT, "short-old-key"])
def test_a_weak_old_key_is_refused_too(tmp_path, old_key):
    """A fallback still verifies sessions: the old constant there would let
    anyone sign a cookie naming the admin."""
    env = _env(tmp_path, RECRUIT_ENV="production", SECRET_KEY="k" * 48, SECRET_KEY_FALLBACKS=f"{'o' * 40},{old_key}")
    done = subprocess.run([str(BIN / "flask"), "--app", "wsgi", "routes"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode != 0 and "SECRET_KEY_FALLBACKS" in done.stderr

