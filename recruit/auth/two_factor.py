"""Two-factor sign-in: a TOTP authenticator app (RFC 6238, through pyotp) and
one-time recovery codes. Optional for everyone; an admin can require it for
admins and recruiters (the organisation setting `require_two_factor`).
Services here change and flush; the request commits."""

from __future__ import annotations

import hashlib
import hmac
import secrets

import pyotp
import sqlalchemy as sa
from flask_babel import gettext as _

from recruit import audit
from recruit.auth import sessions
from recruit.auth.models import RecoveryCode, User
from recruit.auth.services import AccountError
from recruit.extensions import db
from recruit.organisation.models import OrgSettings
from recruit.organisation.services import get_settings
from recruit.utc import utcnow

ISSUER = "Recruit"
REQUIRED_FOR = ("admin", "recruiter")
RECOVERY_CODES = 10
PENDING_SECONDS = 300  # the password was right: this long to type the second factor
_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


def is_required(user: User) -> bool:
    return user.has_role(*REQUIRED_FOR) and bool(get_settings().require_two_factor)


def needs_setup(user: User) -> bool:
    """Signed in with a password alone although the organisation requires more."""
    return not user.two_factor_enabled and is_required(user)


def waiting_user(user_id: int, session_version: object) -> User | None:
    """The person a sign-in waits on for the second factor, while their
    account is still as it was when the password was right."""
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.session_version != session_version or not user.two_factor_enabled:
        return None
    return user


def set_requirement(settings: OrgSettings, required: bool) -> OrgSettings:
    """Whether admins and recruiters must use two-factor sign-in (on the organisation's settings)."""
    if bool(settings.require_two_factor) != bool(required):
        settings.require_two_factor = bool(required)
        audit.record("settings.require_two_factor", settings, required=bool(required))
    return settings


def start_setup(user: User) -> str:
    """A new secret waiting for its first code; the old one (if any) stays in force until then."""
    if user.two_factor_enabled:
        raise AccountError(_("Two-factor sign-in is already on."))
    user.totp_secret = pyotp.random_base32()
    db.session.flush()
    return user.totp_secret


def provisioning_uri(user: User) -> str:
    return pyotp.TOTP(user.totp_secret or "").provisioning_uri(name=user.email, issuer_name=ISSUER)


def _matching_step(secret: str, code: str) -> int | None:
    """The time step (this one, or one either side for clock drift) whose code is `code`."""
    totp = pyotp.TOTP(secret)
    now = utcnow()
    current = totp.timecode(now)
    for step in (current, current - 1, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _use_step(user: User, step: int) -> bool:
    """Marks the step used; False when this code (or a later one) was already used."""
    result = db.session.execute(
        sa.update(User).where(User.id == user.id,
                              sa.or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step).execution_options(synchronize_session=False))
    db.session.refresh(user, ["totp_last_step"])
    return result.rowcount == 1


def _digits(code: str) -> str:
    return "".join(c for c in (code or "") if not c.isspace())


def confirm_setup(user: User, code: str) -> list[str]:
    """The first code from the app switches two-factor on; returns the recovery codes (shown once)."""
    if user.two_factor_enabled or not user.totp_secret:
        raise AccountError(_("Start the set-up first."))
    step = _matching_step(user.totp_secret, _digits(code))
    if step is None or not _use_step(user, step):
        raise AccountError(_("That code is not right. Check the time on your phone and type the newest code."))
    user.totp_enabled_at = utcnow()
    codes = _new_recovery_codes(user)
    sessions.end_all_sessions(user)  # sessions opened with a password alone end
    audit.record("user.two_factor_on", user)
    return codes


def disable(user: User) -> None:
    if is_required(user):
        raise AccountError(_("Your organisation requires two-factor sign-in for your role."))
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    sessions.end_all_sessions(user)
    audit.record("user.two_factor_off", user)


def _hash(code: str) -> str:
    normalised = "".join(c for c in (code or "").lower() if c.isalnum())
    return hashlib.sha256(normalised.encode()).hexdigest()


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _n in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_CODE_ALPHABET) for _i in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(c)) for c in codes)
    db.session.flush()
    return codes


def regenerate_recovery_codes(user: User) -> list[str]:
    if not user.two_factor_enabled:
        raise AccountError(_("Switch two-factor sign-in on first."))
    codes = _new_recovery_codes(user)
    audit.record("user.recovery_codes_new", user)
    return codes


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(sa.select(sa.func.count(RecoveryCode.id)).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0


def verify(user: User, code: str) -> bool:
    """A code from the app (each works once) or an unused recovery code (used up by this)."""
    if not user.two_factor_enabled:
        return False
    digits = _digits(code)
    if digits.isdigit() and len(digits) == 6:
        step = _matching_step(user.totp_secret or "", digits)
        return step is not None and _use_step(user, step)
    result = db.session.execute(
        sa.update(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash(code),
                                      RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow()).execution_options(synchronize_session=False))
    if result.rowcount == 1:
        audit.record("user.recovery_code_used", user, left=recovery_codes_left(user))
        return True
    return False

