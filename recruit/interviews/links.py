"""The candidate's signed self-service link, and whose language each message
is written in."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from recruit.auth.models import User
from recruit.extensions import db
from recruit.i18n import candidate_language, organisation_default, shipped
from recruit.interviews.models import Booking
from recruit.keys import signing_keys
from recruit.mail import absolute_url
from recruit.utc import utcnow

LINK_MAX_AGE = 60 * 24 * 3600


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(signing_keys(current_app.config), salt="recruit-booking")


def booking_token(booking: Booking) -> str:
    return _serializer().dumps({"b": booking.id, "v": booking.token_version})


def booking_from_token(token: str) -> Booking | None:
    """The booking a signed link is for; None when forged, expired, replaced by
    a newer link, or for a day that is over."""
    try:
        data = _serializer().loads(token, max_age=LINK_MAX_AGE)
    except (BadSignature, SignatureExpired):
        return None
    booking = db.session.get(Booking, data.get("b")) if isinstance(data, dict) else None
    if booking is None or booking.token_version != data.get("v"):
        return None
    if booking.session.ends_at < utcnow() - timedelta(hours=1):
        return None
    return booking


def booking_link(booking: Booking) -> str:
    return absolute_url("interviews.respond", token=booking_token(booking))


# --- whose language ------------------------------------------------------------------

def candidate_language_of(booking: Booking) -> str:
    """What everything sent to this booking's candidate is written in."""
    vacancy = booking.application.vacancy if booking.application else None
    return candidate_language(booking.candidate.language, vacancy.language if vacancy else None)


def user_language(user: User) -> str:
    """A user's own choice, else the organisation's default."""
    return shipped(user.locale) or organisation_language()


def organisation_language() -> str:
    return shipped(organisation_default()) or "en"


def language_of_token(token: str) -> str | None:
    """The candidate's language for a link that no longer works but that this
    server signed (expired, replaced, or for a day that is over), so the
    "link expired" page speaks to them in their language."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    booking = db.session.get(Booking, data.get("b")) if isinstance(data, dict) else None
    return candidate_language_of(booking) if booking is not None else None
