"""The production shape on loopback, as docs/deploy.md describes it: PostgreSQL,
Redis, an SMTP server, `flask db upgrade`, N gunicorn instances started with
deploy/gunicorn.conf.py, M RQ workers (`flask jobs worker`) and the scheduler. Used by
the scale-out and fault tests and by bench/http_load."""

from __future__ import annotations

import html
import http.cookiejar
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(check, timeout: float = 60.0, every: float = 0.2, what: str = "condition", logs=None):
    deadline = time.time() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}" + (f"\n{logs()}" if logs else ""))
        time.sleep(every)


@dataclass
class Stack:
    web_instances: int = 2
    web_workers: int = 2
    rq_workers: int = 2
    scheduler: bool = True
    tick_seconds: int = 2
    pg: object = None
    redis_proc: subprocess.Popen | None = None
    redis_url: str = ""
    redis_dir: str = ""
    redis_port: int = 0
    smtp: object = None
    smtp_controller: object = None
    webs: list[tuple[subprocess.Popen, str]] = field(default_factory=list)
    workers: list[subprocess.Popen] = field(default_factory=list)
    scheduler_proc: subprocess.Popen | None = None
    logdir: str = ""
    restarts: int = 0
    _stopping: threading.Event = field(default_factory=threading.Event)

    @property
    def db_url(self) -> str:
        return self.pg.url

    @property
    def urls(self) -> list[str]:
        return [url for _proc, url in self.webs]

    def env(self) -> dict[str, str]:
        return {**os.environ, "DATABASE_URL": self.pg.url, "REDIS_URL": self.redis_url,
                "SECRET_KEY": "stack-test-key-0123456789abcdefghijklmnop", "EMAIL_INTERNAL_DOMAINS": "local test",
                "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(self.smtp.port), "RECRUIT_NO_TICKER": "1",
                "EXTERNAL_URL": self.urls[0] if self.webs else "http://127.0.0.1", "PYTHONPATH": str(ROOT),
                "LOGIN_RATE_LIMIT": "1000 per minute", "TICKER_SECONDS": str(self.tick_seconds),
                "ACCESS_LOG": os.devnull, "LOG_LEVEL": "warning"}

    # --- lifecycle -------------------------------------------------------------------------

    def start_backing_services(self) -> None:
        import logging

        from aiosmtpd.controller import Controller

        from tests import pg
        from tests.servers import SMTPRecorder, start_redis

        logging.getLogger("mail.log").setLevel(logging.WARNING)
        self.logdir = tempfile.mkdtemp(prefix="recruit-stack-")
        self.pg = pg.start()
        self.redis_proc, self.redis_url, self.redis_dir = start_redis()
        self.redis_port = int(self.redis_url.rsplit(":", 1)[1].split("/")[0])
        self.smtp = SMTPRecorder()
        self.smtp.port = free_port()
        self.smtp_controller = Controller(self.smtp, hostname="127.0.0.1", port=self.smtp.port)
        self.smtp_controller.start()

    def migrate(self) -> subprocess.CompletedProcess:
        return subprocess.run([str(BIN / "flask"), "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=self.env(),
                              capture_output=True, text=True, timeout=180)

    def start_processes(self) -> None:
        ports = [free_port() for _ in range(self.web_instances)]
        base_env = self.env()
        base_env["EXTERNAL_URL"] = f"http://127.0.0.1:{ports[0]}"
        for port in ports:
            env = {**base_env, "PORT": str(port), "WEB_CONCURRENCY": str(self.web_workers)}
            proc = subprocess.Popen([str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "wsgi:app"], cwd=ROOT,
                                    env=env, stdout=self._log(f"web-{port}"), stderr=subprocess.STDOUT)
            self.webs.append((proc, f"http://127.0.0.1:{port}"))
        for n in range(self.rq_workers):
            self.start_worker(n)
        self._supervisor = threading.Thread(target=self._supervise, daemon=True)
        self._supervisor.start()
        if self.scheduler:
            self.scheduler_proc = subprocess.Popen(
                [str(BIN / "flask"), "--app", "wsgi", "jobs", "scheduler", "--every", str(self.tick_seconds)],
                cwd=ROOT, env=base_env, stdout=self._log("scheduler"), stderr=subprocess.STDOUT)
        for _proc, url in self.webs:
            wait_until(lambda u=url: self._up(u), 60, what=f"gunicorn at {url}")

    def _supervise(self) -> None:
        """What systemd's Restart=always does for the worker units: an RQ worker
        that exits (it does when Redis goes away) is started again."""
        while not self._stopping.wait(1.0):
            for n, proc in enumerate(list(self.workers)):
                if proc.poll() is not None and not self._stopping.is_set():
                    self.restarts += 1
                    self.workers[n] = self._spawn_worker(n)

    def start_worker(self, n: int) -> subprocess.Popen:
        proc = self._spawn_worker(n)
        self.workers.append(proc)
        return proc

    def _spawn_worker(self, n: int) -> subprocess.Popen:
        env = {**self.env(), "EXTERNAL_URL": self.urls[0]}
        name = f"stack-{n}-{time.time()}"
        proc = subprocess.Popen([str(BIN / "flask"), "--app", "wsgi", "jobs", "worker", "--name", name],
                                cwd=ROOT, env=env, stdout=self._log(f"worker-{n}"), stderr=subprocess.STDOUT)
        return proc

    def _log(self, name: str):
        return open(Path(self.logdir) / f"{name}.log", "ab")

    def logs(self) -> str:
        out = []
        for path in sorted(Path(self.logdir).glob("*.log")):
            out.append(f"--- {path.name}\n" + path.read_text(errors="replace")[-2000:])
        return "\n".join(out)

    @staticmethod
    def _up(url: str) -> bool:
        try:
            with urllib.request.urlopen(url + "/login", timeout=2) as response:
                return response.status == 200
        except (OSError, urllib.error.HTTPError):
            return False

    def stop_redis(self) -> None:
        self.redis_proc.send_signal(signal.SIGTERM)
        self.redis_proc.wait(15)

    def start_redis_again(self) -> None:
        import shutil

        binary = shutil.which("redis-server")
        self.redis_proc = subprocess.Popen([binary, "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "",
                                            "--appendonly", "no", "--dir", self.redis_dir],
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        from redis import Redis

        client = Redis(host="127.0.0.1", port=self.redis_port)
        wait_until(lambda: _ping(client), 15, what="redis back")

    def restart_postgres(self, down_seconds: float = 0.0) -> None:
        from tests import pg

        pg.stop_server(self.pg)
        time.sleep(down_seconds)
        pg.start_server(self.pg)

    def stop(self) -> None:
        self._stopping.set()
        procs = [p for p, _u in self.webs] + self.workers + ([self.scheduler_proc] if self.scheduler_proc else [])
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
        if self.smtp_controller is not None:
            self.smtp_controller.stop()
            self.smtp_controller = None
        if self.redis_proc is not None and self.redis_proc.poll() is None:
            self.redis_proc.kill()
        if self.pg is not None:
            self.pg.stop()


def _ping(client) -> bool:
    try:
        return bool(client.ping())
    except Exception:
        return False


class Browser:
    """A person's cookie jar against one or several web instances: the
    session cookie is signed, so any instance accepts it."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  _NoRedirect())
        self.csrf = ""

    def request(self, method: str, url: str, data: dict | list | None = None, headers: dict | None = None,
                timeout: float = 30.0) -> tuple[int, str, dict]:
        body = None
        headers = dict(headers or {})
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True).encode()
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        req = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with self.opener.open(req, timeout=timeout) as response:
                text = response.read().decode("utf-8", "replace")
                status, resp_headers = response.status, dict(response.headers)
        except urllib.error.HTTPError as error:
            text = error.read().decode("utf-8", "replace")
            status, resp_headers = error.code, dict(error.headers)
        found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', text)
        if found:
            self.csrf = html.unescape(found.group(1))
        return status, text, resp_headers

    def get(self, url: str, **kw):
        return self.request("GET", url, **kw)

    def post(self, url: str, data: dict | list, **kw):
        data = {"csrf_token": self.csrf, **data} if isinstance(data, dict) else [("csrf_token", self.csrf), *data]
        return self.request("POST", url, data, **kw)

    def login(self, base: str, email: str, password: str) -> None:
        self.get(base + "/login")
        status, text, _headers = self.post(base + "/login", {"email": email, "password": password})
        assert status == 302, (status, text[:300])

    def json(self, method: str, url: str, data: dict | None = None) -> tuple[int, object]:
        status, text, _h = self.post(url, data or {}, headers={"Accept": "application/json"}) if method == "POST" \
            else self.get(url, headers={"Accept": "application/json"})
        try:
            return status, json.loads(text)
        except ValueError:
            return status, text


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def started(*, migrations: int = 1, **settings):
    """A whole stack for a module's fixture: backing services, the migration
    step (`migrations` times, as a release may run it twice), the processes.
    Everything started is stopped again, even when starting fails half way;
    without PostgreSQL or Redis binaries the tests skip, except under CI."""
    import pytest

    from tests.servers import IN_CI

    stack = Stack(**settings)
    try:
        try:
            stack.start_backing_services()
        except (RuntimeError, FileNotFoundError) as exc:
            if IN_CI:
                raise
            pytest.skip(f"no PostgreSQL/Redis here: {exc}")
        for _ in range(migrations):
            migrated = stack.migrate()
            assert migrated.returncode == 0, migrated.stderr[-2000:]
        stack.start_processes()
        yield stack
    finally:
        stack.stop()


def seeding_app(url: str):
    """An app on the stack's database for seeding and reading what happened."""
    from config import Config
    from recruit.app import create_app

    class StackConfig(Config):
        SQLALCHEMY_DATABASE_URI = url
        JOBS_MODE = "sync"  # seeding sends nothing: the mail table is read, not a queue
        START_TICKER = False
        MAIL_SERVER = ""
        EMAIL_INTERNAL_DOMAINS = ("local", "test")  # the stack's people live at *.test

    return create_app(StackConfig)
