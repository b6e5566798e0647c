"""Real servers on loopback for tests: an SMTP server (aiosmtpd), Redis, and
app server processes against the test's database, as gunicorn workers are
(with a browser-like client for them)."""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SMTPRecorder:
    """Accepts mail, or refuses the next `refuse` messages with a 451."""

    def __init__(self):
        self.messages: list = []
        self.refuse = 0

    async def handle_DATA(self, server, session, envelope):
        if self.refuse > 0:
            self.refuse -= 1
            return "451 4.3.0 Try again later"
        self.messages.append(envelope)
        return "250 Message accepted"


def start_redis():
    binary = shutil.which("redis-server")
    if binary is None:
        if IN_CI:
            pytest.fail("redis-server is not installed (apt-get install redis-server)")
        pytest.skip("redis-server not installed")
    port = free_port()
    workdir = tempfile.mkdtemp(prefix="recruit-redis-")
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", workdir], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    from redis import Redis

    client = Redis(host="127.0.0.1", port=port)
    deadline = time.time() + 15
    while True:
        try:
            client.ping()
            break
        except Exception:
            if time.time() > deadline:
                proc.kill()
                raise
            time.sleep(0.05)
    return proc, f"redis://127.0.0.1:{port}/0", workdir


ROOT = Path(__file__).resolve().parents[1]
APP_SERVER = """
import sys
from werkzeug.serving import run_simple
from config import TestConfig


class Config(TestConfig):
    SQLALCHEMY_DATABASE_URI = sys.argv[1]
    UPLOAD_DIR = sys.argv[3]


from recruit.app import create_app

run_simple("127.0.0.1", int(sys.argv[2]), create_app(Config), threaded=False, use_reloader=False)
"""


@contextlib.contextmanager
def app_servers(database_url: str, workdir: Path, count: int = 2):
    """`count` app server processes on loopback against one database, each
    with what it keeps of its own; yields their base URLs."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RECRUIT_INSTANCE_DIR": str(workdir)}
    servers = []
    try:
        for n in range(count):
            port = free_port()
            log = open(workdir / f"server-{n}.log", "w")  # noqa: SIM115 (closed below)
            proc = subprocess.Popen([sys.executable, "-c", APP_SERVER, database_url, str(port),
                                     str(workdir / "uploads")], cwd=ROOT, env=env, stdout=log,
                                    stderr=subprocess.STDOUT)
            servers.append((proc, f"http://127.0.0.1:{port}", log))
        for n, (proc, base, _log) in enumerate(servers):
            for _attempt in range(300):
                assert proc.poll() is None, (workdir / f"server-{n}.log").read_text()[-3000:]
                try:
                    with urllib.request.urlopen(base + "/healthz", timeout=2):
                        break
                except OSError:
                    time.sleep(0.1)
            else:
                pytest.fail(f"the server at {base} did not start")
        yield [base for _proc, base, _log in servers]
    finally:
        for proc, _base, log in servers:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
            log.close()


class Browser:
    """One person's cookies against one server."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def open(self, path: str, data: dict | None = None, headers: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def json(self, path: str, data: dict | None = None, headers: dict | None = None):
        status, text = self.open(path, data, {"Accept": "application/json", **(headers or {})})
        return status, json.loads(text)

    def login(self, email: str, password: str) -> None:
        status, text = self.open("/login", {"email": email, "password": password})
        assert status == 200 and 'name="password"' not in text, text[-2000:]  # followed to the home page
