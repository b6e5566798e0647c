"""What every API module shares: the blueprint, `ApiError` and its JSON
answer, reading a JSON body and its ids, loading the object a URL names,
paging a listing."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from recruit.auth import permissions
from recruit.extensions import db
from recruit.web import db_int, non_finite_fields

bp = Blueprint("api", __name__)
T = TypeVar("T")


class ApiError(Exception):
    def __init__(self, status: int, message: str, details: Any = None):
        super().__init__(message)
        self.status, self.message, self.details = status, message, details


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError):
    db.session.rollback()
    body: dict[str, Any] = {"status": exc.status, "message": exc.message}
    if exc.details is not None:
        body["details"] = exc.details
    return jsonify(error=body), exc.status


def not_valid() -> str:
    return _("Some fields are not valid.")


def one_of(codes: tuple[str, ...]) -> str:
    return _("one of %(codes)s", codes=", ".join(codes))


# What a field of a JSON body must be, by the Python types it may have.
EXPECTED = {
    (str,): _l("must be a string"),
    (int,): _l("must be an integer"),
    (int, float): _l("must be a number"),
    (str, type(None)): _l("must be a string or null"),
}


def json_object() -> dict[str, Any]:
    """The request's body, a JSON object with finite numbers only."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, _("The body must be a JSON object."))
    refused = non_finite_fields(data)
    if refused:
        raise ApiError(422, not_valid(), {f: _("must be a finite number") for f in refused})
    return data


def json_id(value: Any, field: str) -> int:
    """An id from a JSON body: an integer a database column can hold."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise ApiError(422, not_valid(), {field: str(EXPECTED[(int,)])})
    if not 0 < value < 2**31:
        raise ApiError(404, _("Not found."))
    return value


_NOT_FOUND = {
    "vacancies": _l("No vacancy %(id)s."),
    "candidates": _l("No candidate %(id)s."),
    "job_templates": _l("No job description %(id)s."),
    "quizzes": _l("No quiz %(id)s."),
    "attempts": _l("No quiz attempt %(id)s."),
    "attempt_answers": _l("No answer %(id)s."),
}


def load(model: type[T], object_id: int, action: str | None = None) -> T:
    """`permissions.load` with the API's words: a 404 names what is missing
    ("No vacancy 7."), then the policy for `action` decides."""
    found = _NOT_FOUND.get(model.__tablename__)
    message = str(found) % {"id": object_id} if found is not None else None
    return permissions.load(model, object_id, action, not_found=message)


def page_asked(*, per_page: int = 50, most: int = 200) -> tuple[int, int]:
    """The page number and size the request asks for (?page, ?per_page, 1 to `most`)."""
    size = min(max(request.args.get("per_page", per_page, type=db_int), 1), most)
    return request.args.get("page", 1, type=db_int), size
