"""Accounts: sign-in, users and roles, password resets, API tokens."""

from __future__ import annotations

import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, g, request
from flask_babel import gettext as _
from flask_babel import ngettext
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import joinedload, lazyload, selectinload

from recruit import audit, emails
from recruit.auth import sessions
from recruit.auth.models import ROLES, ApiToken, User, verify_password
from recruit.extensions import commit_keeping_what_was_read, db, login_manager
from recruit.i18n import in_language, organisation_default, shipped
from recruit.keys import signing_keys
from recruit.mail import absolute_url, queue_mail
from recruit.organisation.models import OrgSettings
from recruit.organisation.services import settings_row, use_settings
from recruit.utc import utcnow

MIN_PASSWORD = 10


class AccountError(ValueError):
    pass


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """The password alone, with the same work for every address. The sign-in
    form goes through recruit.auth.signin, which also counts failures."""
    user = user_by_email(email)
    if not verify_password(user, password) or user is None or not user.active:
        return None
    user.last_login_at = utcnow()
    return user


def check_password_strength(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise AccountError(ngettext("A password needs at least %(num)d character.",
                                    "A password needs at least %(num)d characters.", MIN_PASSWORD))


def create_user(email: str, full_name: str, roles: list[str] | set[str], password: str | None = None) -> User:
    email = normalise_email(email)
    if not emails.is_valid(email):
        raise AccountError(_("Enter a valid e-mail address."))
    if user_by_email(email) is not None:
        raise AccountError(_("A user with the e-mail %(email)s already exists.", email=email))
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise AccountError(_("Unknown role: %(roles)s", roles=", ".join(sorted(unknown))))
    if not roles:
        raise AccountError(_("Give the user at least one role."))
    user = User(email=email, full_name=(full_name or email.split("@")[0]).strip())
    user.set_roles(roles)
    if password:
        check_password_strength(password)
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", user, email=email, roles=sorted(roles))
    return user


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(signing_keys(current_app.config), salt=f"recruit-{purpose}")


def make_password_token(user: User, purpose: str = "reset") -> str:
    return _serializer(purpose).dumps({"uid": user.id, "fp": user.password_fingerprint})


def user_for_password_token(token: str, purpose: str = "reset") -> User | None:
    max_age = current_app.config["INVITATION_MAX_AGE" if purpose == "invite" else "PASSWORD_RESET_MAX_AGE"]
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    user = db.session.get(User, data.get("uid"))
    if user is None or not user.active or user.password_fingerprint != data.get("fp"):
        return None
    return user


def invite_user(email: str, full_name: str, roles: list[str], *, locale: str | None = None) -> User:
    """`locale`: the language the person already has with us (a hired
    candidate's), so the invitation and what follows are in it."""
    user = create_user(email, full_name, roles)
    if locale:
        set_language(user, locale)
    token = make_password_token(user, "invite")
    link = absolute_url("auth.set_password", token=token, purpose="invite")
    with in_language(_users_language(user)):
        queue_mail(
            user.email,
            _("You are invited to Recruit"),
            _("Hello %(name)s,\n\nAn account was created for you. Choose your password here "
              "(the link works for 7 days):\n%(link)s\n", name=user.full_name, link=link),
            kind="invitation",
        )
    return user


def _users_language(user: User) -> str | None:
    """What a message to a user is written in: their own choice, else the organisation's."""
    return user.locale or organisation_default()


def request_password_reset(email: str) -> None:
    """Queues a reset link when the account exists; says nothing either way."""
    user = user_by_email(email)
    if user is None or not user.active:
        return
    token = make_password_token(user, "reset")
    link = absolute_url("auth.set_password", token=token, purpose="reset")
    with in_language(_users_language(user)):
        queue_mail(
            user.email,
            _("Reset your Recruit password"),
            _("Hello %(name)s,\n\nSomeone asked to reset your password. If it was you, open this link "
              "within an hour:\n%(link)s\n\nIf it was not, ignore this message.", name=user.full_name, link=link),
            kind="password_reset",
        )
    audit.record("user.password_reset_requested", user)


def set_language(user: User, code: str | None) -> None:
    """A person's own display language; None goes back to the organisation's."""
    user.locale = shipped(code)
    db.session.flush()


def set_password(user: User, password: str, *, reason: str) -> None:
    check_password_strength(password)
    user.set_password(password)
    db.session.flush()
    sessions.end_all_sessions(user)  # a new password ends every session and remember-me cookie
    audit.record("user.password_set", user, reason=reason)


def update_user(user: User, *, full_name: str, roles: list[str], active: bool, actor: User) -> User:
    if not roles:
        raise AccountError(_("Give the user at least one role."))
    if user.id == actor.id and (not active or "admin" not in roles):
        raise AccountError(_("You cannot remove your own admin role or deactivate yourself."))
    if user.has_role("admin") and ("admin" not in roles or not active):
        other_admins = db.session.scalar(
            sa.select(sa.func.count(User.id)).join(User.role_rows)
            .where(User.active.is_(True), User.id != user.id).where(sa.text("user_roles.role = 'admin'"))
        )
        if not other_admins:
            raise AccountError(_("The last active admin cannot lose the admin role."))
    before = {"roles": sorted(user.roles), "active": user.active, "full_name": user.full_name}
    try:
        user.set_roles(roles)
    except ValueError as exc:
        raise AccountError(str(exc)) from exc
    user.full_name = full_name.strip() or user.full_name
    user.active = active
    db.session.flush()
    if not active or set(before["roles"]) - set(roles):  # deactivated, or a role taken away: signed out now
        sessions.end_all_sessions(user)
    audit.record("user.update", user, before=before,
                 after={"roles": sorted(roles), "active": active, "full_name": user.full_name})
    return user


def person_with_role(user_id: int | None, *roles: str) -> User | None:
    """The active user with that id who holds one of the roles, or None: a
    form's choice list is only a suggestion, so services check the person
    they are given for the part they are picked for."""
    if not user_id:
        return None
    user = db.session.get(User, user_id)
    return user if user is not None and user.active and user.has_role(*roles) else None


def active_people() -> list[User]:
    """Everyone with an active account, by name, with their roles: what a form offers to pick from."""
    return list(db.session.scalars(sa.select(User).options(selectinload(User.role_rows))
                                   .where(User.active.is_(True)).order_by(User.full_name)))


def users_with_role(role: str, *, active_only: bool = True) -> list[User]:
    stmt = sa.select(User).join(User.role_rows).where(sa.text("user_roles.role = :role")).params(role=role)
    if active_only:
        stmt = stmt.where(User.active.is_(True))
    return list(db.session.scalars(stmt.order_by(User.full_name)))


def create_api_token(user: User, name: str) -> tuple[ApiToken, str]:
    name = (name or "").strip()
    if not name:
        raise AccountError(_("Name the token after what will use it."))
    raw = "rk_" + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name[:80], prefix=raw[:10], token_hash=ApiToken.hash(raw))
    db.session.add(token)
    db.session.flush()
    audit.record("api_token.create", token, name=token.name)
    return token, raw


def revoke_api_token(user: User, token_id: int) -> None:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise AccountError(_("No such token."))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record("api_token.revoke", token, name=token.name)


LAST_USED_STEP = timedelta(minutes=1)  # a token's "last used" is kept to the minute


def user_for_api_token(raw: str) -> User | None:
    """The token's user, read with their roles and the organisation's settings
    in one statement (every API request starts here); the token's last use is
    written when a minute has passed since the one recorded, not on every call."""
    row = db.session.execute(
        sa.select(ApiToken, OrgSettings).options(joinedload(ApiToken.user).joinedload(User.role_rows),
                                                 lazyload(OrgSettings.approver))
        .outerjoin(OrgSettings, OrgSettings.id == settings_row())
        .where(ApiToken.token_hash == ApiToken.hash(raw))).unique().one_or_none()
    if row is None:
        return None
    token, settings = row
    if token.revoked_at is not None or not token.user.active:
        return None
    use_settings(settings)
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_STEP:
        token.last_used_at = now
    return token.user


def tokens_of(user: User) -> list[ApiToken]:
    return list(db.session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc())
    ))


def authenticate_api_request() -> None:
    """The API authenticates by bearer token only; a browser's session
    cookie never counts there, so the API needs no CSRF protection."""
    if not request.path.startswith("/api/"):
        return
    header = request.headers.get("Authorization", "")
    user = None
    if header.lower().startswith("bearer "):
        user = user_for_api_token(header[7:].strip())
        if user is not None and db.session.dirty:  # the token's last use, kept even if the request fails
            commit_keeping_what_was_read()
    g.token_auth = user is not None
    login_manager._update_request_context_with_user(user)
