"""Users, their roles and their API tokens."""

from __future__ import annotations

import hashlib
import time
from datetime import datetime
from functools import cache

import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from werkzeug import security
from werkzeug.security import check_password_hash, generate_password_hash

from recruit.extensions import db, one_of
from recruit.search import search_key
from recruit.utc import UTCDateTime, utcnow

ROLES: tuple[str, ...] = ("admin", "hiring_manager", "recruiter", "receptionist", "mentor", "trainer", "new_hire")


class UserRole(db.Model):
    __tablename__ = "user_roles"
    __table_args__ = (sa.CheckConstraint(one_of("role", ROLES), name="valid_role"),)

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(sa.String(20), primary_key=True)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(120))
    name_norm: Mapped[str] = mapped_column(sa.String(120), default="", server_default="")
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    max_mentees: Mapped[int] = mapped_column(default=3, server_default="3")
    locale: Mapped[str | None] = mapped_column(sa.String(16))  # None: the organisation's default
    # Part of every session's and remember-me cookie's id (get_id): raising it
    # ends them all, in every process and on every host (recruit/auth/sessions.py).
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)  # a code works once

    # Loaded when asked for: the signed-in user comes with them (sessions.signed_in_user), lists
    # that show or filter by roles ask for them (selectinload); the users a page names do not.
    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        """"<id>:<session version>:<signed in at>", what the session and the
        remember-me cookie carry; the loader refuses it once the version moved
        on or the sign-in is older than REMEMBER_COOKIE_DURATION."""
        signed_in_at = self.__dict__.get("signed_in_at") or int(time.time())
        return f"{self.id}:{self.session_version}:{signed_in_at}"

    @property
    def two_factor_enabled(self) -> bool:
        return self.totp_enabled_at is not None and bool(self.totp_secret)

    @property
    def roles(self) -> set[str]:
        return {r.role for r in self.role_rows}

    def set_roles(self, roles: set[str] | list[str]) -> None:
        wanted = set(roles)
        unknown = wanted - set(ROLES)
        if unknown:
            raise ValueError(f"unknown roles: {', '.join(sorted(unknown))}")
        self.role_rows = [r for r in self.role_rows if r.role in wanted] + [
            UserRole(role=r) for r in sorted(wanted - self.roles)
        ]

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @validates("full_name")
    def _keep_search_key(self, _key: str, value: str) -> str:
        self.name_norm = search_key(value)[:120]
        return value

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=hash_method())

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    @property
    def password_fingerprint(self) -> str:
        """Changes whenever the password does, so reset links work once."""
        return hashlib.sha256((self.password_hash or "unset").encode()).hexdigest()[:16]

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class RecoveryCode(db.Model):
    """A one-time code that stands in for the authenticator app; only its hash is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SignInThrottle(db.Model):
    """Failed sign-ins per account, keyed by a hash of the typed e-mail, so an
    address without an account is counted (and locked) exactly like one with."""

    __tablename__ = "sign_in_throttle"

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    prefix: Mapped[str] = mapped_column(sa.String(12))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(lazy="joined")

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()


def hash_method() -> str:
    """scrypt, unless the configuration names another: the test configuration
    takes a cheap one, since the suite signs in thousands of times."""
    return current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"


@cache
def _dummy_hash(method: str) -> str:
    """A hash made exactly like real ones, so checking it costs what theirs does."""
    return generate_password_hash("not-anyones-password", method=method)


def verify_password(user: User | None, password: str) -> bool:
    """One scrypt check, whether or not `user` exists or has a password: the
    answer takes as long for an unknown address as for a known one."""
    stored = user.password_hash if user is not None and user.password_hash else None
    matches = security.check_password_hash(stored or _dummy_hash(hash_method()), password or "")
    return bool(stored) and matches
