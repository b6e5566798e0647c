"""Real servers on loopback for tests: an SMTP server (aiosmtpd) and Redis."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time

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
