"""The secret key that signs sessions, CSRF tokens and candidates' links.

There is no built-in key: anyone who knows a key can sign a session cookie
that names the admin. The embedded set-up makes its own on first start and
keeps it in the instance folder; the scale-out shape (several processes and
hosts, which must share one key) refuses to start without a real one.
No Flask here, so the web app, the RQ worker and the scheduler share it."""

from __future__ import annotations

import logging
import os
import secrets
import stat
import time
from collections.abc import Mapping
from pathlib import Path

log = logging.getLogger(__name__)

MIN_LENGTH = 32
KEY_FILE = "secret_key"
# Values shipped in examples, docs or earlier releases: never a real secret.
PLACEHOLDERS = frozenset({
    "dev-only-change-me", "change-me-to-64-random-characters", "change-me", "changeme", "secret",
    "secret-key", "secret_key", "your-secret-key", "replace-me", "test-secret", "stack-secret", "e2e-secret",
})
HOW_TO_MAKE_ONE = ("Make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(48))' "
                   "and set it as SECRET_KEY in the environment of every web, worker and scheduler process "
                   "(the same value everywhere, e.g. in /etc/recruit/recruit.env).")


class SecretKeyError(RuntimeError):
    """The process must not start: its message says what to do."""


def is_scale_out(environ: Mapping[str, str]) -> bool:
    """A shared database or queue means several processes that must agree on one key."""
    return bool(environ.get("DATABASE_URL") or environ.get("REDIS_URL")
                or environ.get("RECRUIT_ENV", "").strip().lower() == "production")


def weakness(key: str | None) -> str | None:
    """Why a configured key is not fit to sign sessions, or None."""
    if not key or not key.strip():
        return "SECRET_KEY is not set."
    if key.strip().lower() in PLACEHOLDERS or "change-me" in key.lower():
        return "SECRET_KEY is a placeholder from the examples, known to anyone who read them."
    if len(key) < MIN_LENGTH:
        return f"SECRET_KEY is too short ({len(key)} characters; at least {MIN_LENGTH})."
    return None


def fallbacks(raw: str | None) -> list[str]:
    """Old keys still accepted for reading while sessions and links signed
    with them expire (SECRET_KEY_FALLBACKS, separated by commas or spaces)."""
    return [k for k in (raw or "").replace(",", " ").split() if k]


def signing_keys(config: Mapping) -> list[str]:
    """For itsdangerous serializers: old keys verify, the newest (last) signs."""
    return [*config.get("SECRET_KEY_FALLBACKS", []), config["SECRET_KEY"]]


def check_fallbacks(keys: list[str]) -> None:
    """An old key still verifies sessions: a placeholder or a short one there
    is as good as no key at all."""
    for key in keys:
        problem = weakness(key)
        if problem:
            raise SecretKeyError(f"SECRET_KEY_FALLBACKS holds a key unfit to verify sessions: "
                                 f"{problem.replace('SECRET_KEY is', 'it is')} Remove it; {HOW_TO_MAKE_ONE}")


def resolve(configured: str | None, *, scale_out: bool, instance_dir: Path) -> str:
    """The key this process signs with."""
    if scale_out:
        problem = weakness(configured)
        if problem:
            raise SecretKeyError(f"{problem} The production set-up (DATABASE_URL or REDIS_URL set, or "
                                 f"RECRUIT_ENV=production) refuses to start without a secret key. {HOW_TO_MAKE_ONE}")
        return configured  # type: ignore[return-value]
    if configured:
        problem = weakness(configured)
        if problem:
            log.warning("%s Sessions signed with it can be forged. %s", problem, HOW_TO_MAKE_ONE)
        return configured
    return _instance_key(Path(instance_dir))


def _instance_key(instance_dir: Path) -> str:
    """Generated once, kept with mode 0600; two processes starting at once
    on a fresh folder end up with the same key (O_EXCL decides who writes)."""
    instance_dir.mkdir(parents=True, exist_ok=True)
    path = instance_dir / KEY_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_key(path)
    key = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    log.info("generated a secret key in %s", path)
    return key


def _read_key(path: Path) -> str:
    for _ in range(50):  # the process that created the file may still be writing it
        key = path.read_text().strip()
        if key:
            break
        time.sleep(0.02)
    else:
        raise SecretKeyError(f"{path} is empty. Delete it to have a new key generated, or set SECRET_KEY.")
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        os.chmod(path, 0o600)
        log.warning("%s was readable by others (mode %o); it is now 0600", path, mode)
    if len(key) < MIN_LENGTH:
        raise SecretKeyError(f"The key in {path} is too short. Delete the file to have a new key generated.")
    return key
