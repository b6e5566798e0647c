"""Browser journeys against the app started the way the README starts it
(`make run`: migrations, demo data, the development server, in-process jobs,
SQLite), with its mail going to a real SMTP server on loopback so that a
candidate's e-mailed link can be followed. Debian's Chromium, headless,
driven by Playwright; never a downloaded browser."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path

import pytest

from tests.servers import IN_CI, SMTPRecorder, free_port

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS", ROOT / "test-artifacts" / "e2e"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PASSWORD = "demo-pass-2026"
PHONE = {"width": 390, "height": 844}

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def mailbox():
    from aiosmtpd.controller import Controller

    recorder = SMTPRecorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    recorder.port = port
    yield recorder
    controller.stop()


class Mailbox:
    """Reads what the app sent to the recorder."""

    def __init__(self, recorder: SMTPRecorder):
        self.recorder = recorder

    def messages_to(self, address: str) -> list:
        found = []
        for envelope in list(self.recorder.messages):
            if address in envelope.rcpt_tos:
                found.append(message_from_bytes(envelope.original_content, policy=default_policy))
        return found

    def wait_for(self, address: str, subject_part: str, timeout: float = 30.0):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for message in self.messages_to(address):
                if subject_part in message["subject"]:
                    return message
            time.sleep(0.2)
        raise AssertionError(f"no mail to {address} about {subject_part!r} within {timeout} s")

    @staticmethod
    def text(message) -> str:
        part = message.get_body(preferencelist=("plain",))
        return part.get_content()

    @staticmethod
    def links(message) -> list[str]:
        return re.findall(r"https?://\S+", Mailbox.text(message))


@pytest.fixture(scope="session")
def live_app(mailbox):
    """`make run` on a free port, in a throwaway instance folder."""
    instance = tempfile.mkdtemp(prefix="recruit-e2e-")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "RECRUIT_INSTANCE_DIR": instance, "PORT": str(port), "EXTERNAL_URL": base,
           "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(mailbox.port), "SECRET_KEY": "e2e-secret",
           "TICKER_SECONDS": "5", "LOGIN_RATE_LIMIT": "300 per minute"}  # a dozen people sign in from one address
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    log = open(Path(instance) / "server.log", "wb")  # noqa: SIM115  (closed below)
    server = subprocess.Popen(["make", "--no-print-directory", "run", f"PORT={port}"], cwd=ROOT, env=env,
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.time() + 180
    while True:
        try:
            with urllib.request.urlopen(base + "/login", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if server.poll() is not None or time.time() > deadline:
            log.close()
            output = (Path(instance) / "server.log").read_text(errors="replace")[-3000:]
            os.killpg(server.pid, 15)
            raise RuntimeError(f"`make run` did not come up:\n{output}")
        time.sleep(0.3)
    yield base
    os.killpg(server.pid, 15)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, 9)
    log.close()
    shutil.rmtree(instance, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if IN_CI:
            pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield chromium
        chromium.close()


@pytest.fixture
def mail(mailbox) -> Mailbox:
    return Mailbox(mailbox)


class Session:
    """One person's browser: signs in through the login form."""

    def __init__(self, browser, base: str, *, phone: bool = False):
        options = {"viewport": PHONE, "is_mobile": True, "has_touch": True} if phone else \
            {"viewport": {"width": 1280, "height": 900}}
        self.context = browser.new_context(base_url=base, timezone_id="Europe/Moscow", locale="en-GB", **options)
        self.context.set_default_timeout(15000)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", lambda dialog: dialog.accept())

    def login(self, email: str, password: str = PASSWORD):
        page = self.page
        page.goto("/login")
        page.fill("#email", email)
        page.fill("#password", password)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/login" not in url)
        return page

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def fits_the_screen(self) -> bool:
        """Nothing wider than the viewport: no sideways scrolling on a phone."""
        return self.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    def flash(self) -> str:
        """The page's messages once the page a click led to has loaded (a click
        only waits for the navigation to start; on a busy machine the old page
        could still be read)."""
        self.page.wait_for_load_state("load")
        try:
            self.page.locator(".flash").first.wait_for(state="attached", timeout=10000)
        except Exception:  # no message at all: the assertion says what was expected
            return ""
        return " ".join(self.page.locator(".flash").all_inner_texts())

    def close(self):
        assert not self.errors, f"JavaScript errors: {self.errors}"
        self.context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def as_user(request, browser, live_app):
    sessions: list[Session] = []

    def _open(email: str, *, phone: bool = False) -> Session:
        session = Session(browser, live_app, phone=phone)
        session.login(email)
        sessions.append(session)
        return session

    def _anonymous() -> Session:
        session = Session(browser, live_app, phone=True)
        sessions.append(session)
        return session

    _open.anonymous = _anonymous
    yield _open
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:
        for n, session in enumerate(sessions):
            session.screenshot(f"FAILED-{request.node.name}-{n}")
    for session in sessions:
        session.close()
