"""Sign-in sessions that end when they must.

Flask-Login keeps `User.get_id()` in the session cookie and, with "keep me
signed in", in the remember-me cookie. That id is "<id>:<session
version>:<signed in at>". The loader accepts it only while the user is active,
the version is still the user's (a database column, so the check holds across
gunicorn processes and hosts) and the sign-in is younger than
REMEMBER_COOKIE_DURATION. Raising the version (sign-out, a new password,
deactivation, a role taken away, "sign out everywhere", two-factor switched
on or off) ends every cookie of that person at once."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app, request
from flask_login import login_user
from sqlalchemy.orm import Session, joinedload, lazyload

from recruit.auth.models import User
from recruit.extensions import db
from recruit.organisation.models import OrgSettings
from recruit.organisation.services import settings_row, use_settings

MAX_REMEMBER = timedelta(days=30)
CLOCK_SKEW = 300  # seconds: a sign-in time this far ahead still counts (several hosts, several clocks)


def now() -> int:
    return int(time.time())


def remember_duration() -> timedelta:
    """How long a sign-in lasts at most, remembered or not: the setting, never past 30 days."""
    configured = current_app.config.get("REMEMBER_COOKIE_DURATION") or MAX_REMEMBER
    if isinstance(configured, int | float):
        configured = timedelta(seconds=configured)
    return min(configured, MAX_REMEMBER)


def parse(session_id: str) -> tuple[int, int, int] | None:
    parts = (session_id or "").split(":")
    if len(parts) != 3 or not all(p.isdigit() and len(p) <= 12 for p in parts):
        return None
    user_id, version, signed_in_at = (int(p) for p in parts)
    return user_id, version, signed_in_at


# Values features read on every signed-in request (the stamp of a cache each
# process keeps), registered at import by the feature that keeps them: read as
# columns of the sign-in's own statement instead of one statement each.
_WITH_USER: list[tuple[sa.ScalarSelect, Callable[[Session, Any], None]]] = []
_STATEMENT: dict[int, sa.Select] = {}


def read_with_user(column: sa.ScalarSelect, keep: Callable[[Session, Any], None]) -> None:
    """`column` is read with the signed-in user; `keep(session, value)` gets it."""
    _WITH_USER.append((column, keep))
    _STATEMENT.clear()


def _signed_in_user_statement() -> sa.Select:
    """Built once per set of registered columns: a statement built per call
    costs SQLAlchemy its cache key and the ORM's options again on every
    request (docs/performance.md)."""
    statement = _STATEMENT.get(len(_WITH_USER))
    if statement is None:
        statement = (sa.select(User, OrgSettings, *(column for column, _keep in _WITH_USER))
                     .options(joinedload(User.role_rows), lazyload(OrgSettings.approver))
                     .outerjoin(OrgSettings, OrgSettings.id == settings_row())
                     .where(User.id == sa.bindparam("user_id")))
        _STATEMENT[len(_WITH_USER)] = statement
    return statement


def signed_in_user(user_id: int) -> User | None:
    """The user with their roles, the organisation's settings and what the
    features read with them, in one statement: every signed-in request starts
    here and every page reads the settings (time zone, language, two-factor
    rule), which were a second one."""
    row = db.session.execute(_signed_in_user_statement(), {"user_id": user_id}).unique().one_or_none()
    if row is None:
        return None
    user, settings, *values = row
    use_settings(settings)
    for (_column, keep), value in zip(_WITH_USER, values, strict=True):
        keep(db.session, value)
    return user


def load_user(session_id: str) -> User | None:
    """Flask-Login's user_loader, for the session cookie and the remember-me cookie alike."""
    parsed = parse(session_id)
    if parsed is None:
        return None
    user_id, version, signed_in_at = parsed
    if user_id >= 2**31:
        return None
    age = now() - signed_in_at
    if age > remember_duration().total_seconds() or age < -CLOCK_SKEW:
        return None
    user = signed_in_user(user_id)
    if user is None or not user.active or user.session_version != version:
        return None
    user.signed_in_at = signed_in_at  # get_id() keeps naming this sign-in, not a new one
    return user


def _unproxied(user: User) -> User:
    """The user behind `current_user`: handing Flask-Login its own proxy makes it name itself."""
    return user._get_current_object() if hasattr(user, "_get_current_object") else user


def sign_in(user: User, *, remember: bool = False) -> None:
    user.signed_in_at = now()
    login_user(user, remember=remember, duration=remember_duration())


def end_all_sessions(user: User) -> None:
    """Every session and remember-me cookie of `user` stops working (flushes, never commits)."""
    user = _unproxied(user)
    user.session_version = User.session_version + 1
    db.session.flush()
    db.session.refresh(user, ["session_version"])


def stay_signed_in(user: User) -> None:
    """After `end_all_sessions` on the user's own request: this browser keeps a
    session under the new version, with its original sign-in time, and a new
    remember-me cookie if it had one."""
    cookie = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    login_user(_unproxied(user), remember=cookie in request.cookies, duration=remember_duration())
