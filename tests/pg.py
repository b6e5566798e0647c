"""A throwaway PostgreSQL on loopback for the test run (initdb/pg_ctl from the
machine). As root, the server runs as the `postgres` user, since initdb refuses root."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PostgresServer:
    url: str
    data_dir: str
    pg_ctl: str
    as_postgres: bool
    root: str
    options: str = ""

    def stop(self) -> None:
        cmd = [self.pg_ctl, "-D", self.data_dir, "-m", "immediate", "stop"]
        subprocess.run(_as_user(cmd, self.as_postgres), capture_output=True, timeout=60)
        shutil.rmtree(self.root, ignore_errors=True)


def _as_user(cmd: list[str], as_postgres: bool) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if as_postgres else cmd


def start() -> PostgresServer:
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    if not initdb or not pg_ctl:
        raise RuntimeError("initdb/pg_ctl not found: install PostgreSQL server binaries")
    as_postgres = os.geteuid() == 0
    root = tempfile.mkdtemp(prefix="recruit-pg-")
    data_dir, sock_dir = os.path.join(root, "data"), os.path.join(root, "sock")
    os.makedirs(sock_dir)
    if as_postgres:
        shutil.chown(root, "postgres")
        shutil.chown(sock_dir, "postgres")
        os.chmod(root, 0o755)
    subprocess.run(_as_user([initdb, "-D", data_dir, "-A", "trust", "-U", "postgres", "-E", "UTF8",
                             "--no-sync", "--locale=C"], as_postgres), check=True, capture_output=True, timeout=180)
    port = _free_port()
    options = f"-p {port} -k {sock_dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off " \
              f"-c full_page_writes=off -c max_connections=200"
    subprocess.run(_as_user([pg_ctl, "-D", data_dir, "-o", options, "-l", os.path.join(root, "log"), "-w",
                             "-t", "60", "start"], as_postgres), check=True, capture_output=True, timeout=120)
    import psycopg

    deadline = time.time() + 30
    while True:
        try:
            with psycopg.connect(f"host=127.0.0.1 port={port} user=postgres dbname=postgres", autocommit=True) as conn:
                conn.execute("CREATE DATABASE recruit_test")
            break
        except psycopg.OperationalError:
            if time.time() > deadline:
                raise
            time.sleep(0.3)
    return PostgresServer(f"postgresql+psycopg://postgres@127.0.0.1:{port}/recruit_test", data_dir, pg_ctl,
                          as_postgres, root, options)


def stop_server(server: PostgresServer) -> None:
    """Stop the server but keep its data: a restart, or an outage, in a fault test."""
    subprocess.run(_as_user([server.pg_ctl, "-D", server.data_dir, "-m", "fast", "-w", "stop"], server.as_postgres),
                   check=True, capture_output=True, timeout=60)


def start_server(server: PostgresServer) -> None:
    subprocess.run(_as_user([server.pg_ctl, "-D", server.data_dir, "-o", server.options, "-l",
                             os.path.join(server.root, "log"), "-w", "-t", "60", "start"], server.as_postgres),
                   check=True, capture_output=True, timeout=120)
