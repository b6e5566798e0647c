"""Checking a password at the sign-in form.

The same work whatever the address: an unknown or inactive account still has
a password checked (against a dummy scrypt hash), and failed sign-ins are
counted per typed address, account or not, so neither the time an answer
takes nor a lockout tells anyone which addresses have accounts. After
LOGIN_LOCKOUT_FAILURES failures within LOGIN_LOCKOUT_WINDOW_MINUTES the
address is refused for LOGIN_LOCKOUT_MINUTES, even with the right password;
the per-address (IP) rate limit on the view comes on top."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import ngettext
from sqlalchemy.exc import IntegrityError

from recruit.auth.models import SignInThrottle, User, verify_password
from recruit.auth.services import normalise_email, user_by_email
from recruit.extensions import db
from recruit.utc import utcnow


@dataclass(frozen=True)
class Outcome:
    user: User | None = None
    locked_seconds: int = 0  # > 0: refused because of the lockout, for this much longer


def _setting(name: str, default: int) -> int:
    return int(current_app.config.get(name, default))


def lockout_failures() -> int:
    return _setting("LOGIN_LOCKOUT_FAILURES", 5)


def lockout_window() -> timedelta:
    return timedelta(minutes=_setting("LOGIN_LOCKOUT_WINDOW_MINUTES", 15))


def lockout_duration() -> timedelta:
    return timedelta(minutes=_setting("LOGIN_LOCKOUT_MINUTES", 15))


def throttle_key(email: str) -> str:
    return hashlib.sha256(normalise_email(email).encode()).hexdigest()


def _seconds_left(until: datetime | None, now: datetime) -> int:
    if until is None or until <= now:
        return 0
    return math.ceil((until - now).total_seconds())


def locked_seconds(email: str) -> int:
    row = db.session.get(SignInThrottle, throttle_key(email))
    return _seconds_left(row.locked_until, utcnow()) if row is not None else 0


def record_failure(email: str) -> int:
    """Counts one failed sign-in for the address; the lock's length when this one set it, else 0."""
    key, now = throttle_key(email), utcnow()
    window_start = now - lockout_window()
    db.session.execute(sa.delete(SignInThrottle).where(  # old rows go: the table holds recent failures only
        SignInThrottle.window_started_at < window_start,
        sa.or_(SignInThrottle.locked_until.is_(None), SignInThrottle.locked_until < now)))
    row = db.session.get(SignInThrottle, key)
    if row is None:
        try:
            with db.session.begin_nested():
                row = SignInThrottle(key=key, failures=0, window_started_at=now)
                db.session.add(row)
        except IntegrityError:  # another process counted this address's first failure a moment ago
            row = db.session.get(SignInThrottle, key)
    if row.window_started_at < window_start:
        row.failures, row.window_started_at = 1, now
    else:
        row.failures = SignInThrottle.failures + 1  # in SQL: two processes failing at once both count
    db.session.flush()
    db.session.refresh(row)
    if row.failures >= lockout_failures():
        row.failures, row.window_started_at, row.locked_until = 0, now, now + lockout_duration()
        db.session.flush()
        return _seconds_left(row.locked_until, now)
    return 0


def clear_failures(email: str) -> None:
    db.session.execute(sa.delete(SignInThrottle).where(SignInThrottle.key == throttle_key(email)))


def authenticate(email: str, password: str) -> Outcome:
    """Changes and flushes (the failure count, the last sign-in time); the view commits."""
    user = user_by_email(email)
    matches = verify_password(user, password)  # first, and always: the same work for every address
    waiting = locked_seconds(email)
    if waiting:
        return Outcome(locked_seconds=waiting)
    if user is None or not user.active or not matches:
        return Outcome(locked_seconds=record_failure(email))
    if user.two_factor_enabled:
        # Half way: the count of wrong codes must survive typing the password again.
        return Outcome(user=user)
    clear_failures(email)
    user.last_login_at = utcnow()
    return Outcome(user=user)


def wait_message(seconds: int) -> str:
    """'Try again in ...', with the real remaining time, rounded up."""
    if seconds < 90:
        return ngettext("Try again in %(num)d second.", "Try again in %(num)d seconds.", max(seconds, 1))
    minutes = math.ceil(seconds / 60)
    return ngettext("Try again in %(num)d minute.", "Try again in %(num)d minutes.", minutes)
