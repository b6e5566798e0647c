"""The one permission mechanism: every endpoint declares which roles reach it
(`@allow(...)`, `@public`), and object rules (`can`, `ensure`) decide
ownership. An endpoint without a declaration is refused, so a forgotten rule
fails closed, and the route-walk test names it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import abort, current_app, g, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from recruit.extensions import db

ANY_ROLE = "*"
T = TypeVar("T")


@dataclass(frozen=True)
class Access:
    roles: frozenset[str]
    public: bool = False


def allow(*roles: str):
    """Signed-in users holding one of `roles` (ANY_ROLE: any signed-in user)."""

    def decorator(view):
        view._access = Access(frozenset(roles))
        return view

    return decorator


def public(view):
    view._access = Access(frozenset(), public=True)
    return view


def access_of(endpoint: str) -> Access | None:
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "_access", None)


def _is_api() -> bool:
    return request.path.startswith("/api/")


def _deny(status: int, message: str):
    if _is_api():
        response = jsonify(error={"status": status, "message": message})
        response.status_code = status
        return response
    abort(status)


def check_request():
    """before_request hook: role check for the endpoint about to run."""
    endpoint = request.endpoint
    if endpoint is None or endpoint == "static":
        return None
    access = access_of(endpoint)
    if access is None:
        current_app.logger.error("endpoint %s has no access rule; refused", endpoint)
        return _deny(403, _("This page has no access rule."))
    if access.public:
        return None
    if not current_user.is_authenticated:
        if _is_api():
            return _deny(401, _("A valid API token is required (Authorization: Bearer <token>)."))
        return redirect(url_for("auth.login", next=request.full_path if request.query_string else request.path))
    if _is_api() and not g.get("token_auth"):
        return _deny(401, _("The API takes token authentication only."))
    if ANY_ROLE in access.roles or current_user.has_role(*access.roles):
        return None
    return _deny(403, _("Your role does not give access to this."))


_POLICIES: dict[str, Callable[[Any, Any], bool]] = {}


def policy(action: str):
    def decorator(fn):
        _POLICIES[action] = fn
        return fn

    return decorator


def can(action: str, obj: Any = None, user: Any = None) -> bool:
    user = user if user is not None else current_user
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(_POLICIES[action](user, obj))


def ensure(action: str, obj: Any = None) -> None:
    """Abort with 403 (JSON on the API) unless the current user may do `action` on `obj`."""
    if not can(action, obj):
        if _is_api():
            response = jsonify(error={"status": 403, "message": _("You may not do this with this object.")})
            response.status_code = 403
            abort(response)
        abort(403)


def load(model: type[T], object_id: int, action: str | None = None, *, not_found: str | None = None,
         options: tuple = ()) -> T:
    """The one way a view or an API endpoint gets the object its URL names:
    404 when there is none (JSON on the API, with `not_found` as its
    message), 403 unless the policy for `action` lets the current user at it.
    `options` load what the page shows of it in the same statement."""
    obj = db.session.get(model, object_id, options=options)
    if obj is None:
        if _is_api():
            response = jsonify(error={"status": 404, "message": not_found or _("Not found.")})
            response.status_code = 404
            abort(response)
        abort(404)
    if action is not None:
        ensure(action, obj)
    return obj
