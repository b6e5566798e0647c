"""What every request passes before a view sees it, and what every answer
carries: NUL characters turned away, the role and ownership check, the
language choice, and the browser's security headers."""

from __future__ import annotations

from flask import Flask, abort, request
from flask_babel import gettext as _

from recruit import i18n
from recruit.auth.permissions import check_request


def _contains_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(k) or _contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_contains_nul(v) for v in value)
    return False


def _refuse_nul_characters():
    """A NUL character is never text a person typed, and PostgreSQL refuses to
    store one: turn it away at the door with a clear 400, before any write."""
    values = [*request.args.values(), *request.args.keys()]
    if request.method in ("POST", "PUT", "PATCH"):
        values += [*request.form.values(), *request.form.keys(), *(f.filename for f in request.files.values())]
        if request.is_json:
            values.append(request.get_json(silent=True))
    if any(_contains_nul(v) for v in values):
        abort(400, description=_("Text cannot contain NUL characters."))


def register(app: Flask) -> None:
    app.before_request(_refuse_nul_characters)
    app.before_request(check_request)
    app.before_request(i18n.remember_choice)
    app.after_request(i18n.keep_cookie)

    @app.after_request
    def _headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'; base-uri 'self'",
        )
        if app.config.get("SESSION_COOKIE_SECURE"):  # served over HTTPS only: browsers must not try plain HTTP
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response
