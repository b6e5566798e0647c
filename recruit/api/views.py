"""JSON API v1: token-authenticated, the same services and rules as the pages.
Every error is a JSON body {"error": {"status", "message", "details"?}}, its
words in the token's user's language (else the request's Accept-Language);
field names and codes in it stay as the API spells them."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, current_app, jsonify, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from recruit.api.openapi import document
from recruit.auth.permissions import ANY_ROLE, allow, can, ensure, public
from recruit.extensions import db
from recruit.i18n import label
from recruit.tabular import reports
from recruit.vacancies import candidate_rows
from recruit.vacancies import candidates as candidate_services
from recruit.vacancies import services as vacancy_services
from recruit.vacancies.messages import message as import_message
from recruit.vacancies.models import Application, Candidate, JobTemplate, Vacancy
from recruit.vacancies.pipeline import ALL_STAGES, VACANCY_STATES
from recruit.vacancies.policies import visible_applications
from recruit.web import db_int, non_finite_fields

bp = Blueprint("api", __name__)
MAX_BULK = 5000


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


def _json_object() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, _("The body must be a JSON object."))
    refused = non_finite_fields(data)
    if refused:
        raise ApiError(422, not_valid(), {f: _("must be a finite number") for f in refused})
    return data


def not_valid() -> str:
    return _("Some fields are not valid.")


_NOT_FOUND = {
    "vacancies": _l("No vacancy %(id)s."),
    "candidates": _l("No candidate %(id)s."),
    "job_templates": _l("No job description %(id)s."),
    "quizzes": _l("No quiz %(id)s."),
    "attempts": _l("No quiz attempt %(id)s."),
    "attempt_answers": _l("No answer %(id)s."),
}


def _get(model, object_id: int):
    obj = db.session.get(model, object_id)
    if obj is None:
        found = _NOT_FOUND.get(model.__tablename__)
        raise ApiError(404, str(found) % {"id": object_id} if found is not None else _("Not found."))
    return obj


def _closed_vacancy(vacancy: Vacancy) -> ApiError:
    return ApiError(409, _("Only open vacancies take candidates; this one is %(state)s.",
                           state=label(vacancy.state, "vacancy_state")))


def _one_of(codes: tuple[str, ...]) -> str:
    return _("one of %(codes)s", codes=", ".join(codes))


def _vacancy_json(v: Vacancy) -> dict[str, Any]:
    return {
        "id": v.id, "position": v.position, "department": v.department, "city": v.city,
        "headcount": v.headcount, "pay_level": v.pay_level, "salary_min": v.salary_min,
        "salary_max": v.salary_max, "education": v.education, "min_experience_years": v.min_experience_years,
        "skills": v.skills, "duties": v.duties, "kpis": v.kpis,
        "target_start": v.target_start.isoformat() if v.target_start else None, "state": v.state,
        "language": v.language,
        "template_id": v.template_id, "requested_by": v.requested_by.email,
        "approved_by": v.approved_by.email if v.approved_by else None,
        "approved_on": v.approved_on.isoformat() if v.approved_on else None,
        "created_at": v.created_at.isoformat(), "updated_at": v.updated_at.isoformat(),
    }


def _candidate_json(c: Candidate, application: Application | None = None) -> dict[str, Any]:
    data = {
        "id": c.id, "full_name": c.full_name, "email": c.email, "phone": c.phone, "city": c.city,
        "source": c.source, "experience_years": c.experience_years, "education": c.education, "notes": c.notes,
        "language": c.language, "has_resume": bool(c.resume_file), "anonymised": c.anonymised_at is not None,
        "created_at": c.created_at.isoformat(),
        "applications": [{"id": a.id, "vacancy_id": a.vacancy_id, "stage": a.stage}
                         for a in visible_applications(current_user, c)],
    }
    if application is not None:
        data["application"] = {"id": application.id, "vacancy_id": application.vacancy_id,
                               "stage": application.stage}
    return data


_VACANCY_TYPES: dict[str, tuple[type, ...]] = {
    "position": (str,), "department": (str,), "city": (str,), "headcount": (int,), "pay_level": (int,),
    "salary_min": (int,), "salary_max": (int,), "education": (str,), "min_experience_years": (int, float),
    "skills": (str,), "duties": (str,), "kpis": (str,), "target_start": (str, type(None)),
    "language": (str, type(None)),
}

_EXPECTED = {
    (str,): _l("must be a string"),
    (int,): _l("must be an integer"),
    (int, float): _l("must be a number"),
    (str, type(None)): _l("must be a string or null"),
}


# The same bounds as the vacancy form's; a column cannot hold more anyway.
_VACANCY_RANGES: dict[str, tuple[int, int]] = {
    "headcount": (1, 500), "pay_level": (1, 99), "salary_min": (0, 2**31 - 1), "salary_max": (0, 2**31 - 1),
    "min_experience_years": (0, 60),
}


def _reason(error: reports.RowError) -> str:
    """A row error in the reader's language (the importer writes codes)."""
    return import_message(error.code, error.params, error.reason)


def _vacancy_fields(data: dict[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(_VACANCY_TYPES) - {"template_id", "state", "comment"}
    if unknown:
        raise ApiError(422, _("Unknown fields."), {f: _("unknown field") for f in sorted(unknown)})
    errors, out = {}, {}
    for name, types in _VACANCY_TYPES.items():
        if name not in data:
            continue
        value = data[name]
        if isinstance(value, bool) or not isinstance(value, types):
            errors[name] = str(_EXPECTED[types])
            continue
        if name in _VACANCY_RANGES and not _VACANCY_RANGES[name][0] <= value <= _VACANCY_RANGES[name][1]:
            low, high = _VACANCY_RANGES[name]
            errors[name] = _("must be between %(low)s and %(high)s", low=low, high=high)
            continue
        if name == "target_start" and value is not None:
            try:
                value = date.fromisoformat(value)
            except ValueError:
                errors[name] = _("must be a date YYYY-MM-DD")
                continue
        out[name] = value.strip() if isinstance(value, str) else value
    if errors:
        raise ApiError(422, not_valid(), errors)
    return out


@bp.route("/openapi.json")
@public
def openapi():
    return jsonify(document())


@bp.route("/vacancies")
@allow(ANY_ROLE)
def vacancies_list():
    state = request.args.get("state")
    if state and state not in VACANCY_STATES:
        raise ApiError(400, _("state must be one of %(codes)s.", codes=", ".join(VACANCY_STATES)))
    items = db.session.scalars(vacancy_services.visible_vacancies(current_user, state)).all()
    return jsonify(items=[_vacancy_json(v) for v in items])


@bp.route("/vacancies", methods=["POST"])
@allow("admin", "hiring_manager")
def vacancies_create():
    data = _json_object()
    fields = _vacancy_fields(data)
    template = None
    if data.get("template_id") is not None:
        template = db.session.get(JobTemplate, _json_id(data["template_id"], "template_id"))
        if template is None:
            raise ApiError(422, not_valid(), {"template_id": _("no such template")})
    try:
        vacancy = vacancy_services.request_vacancy(template, fields, current_user)
    except vacancy_services.VacancyError as exc:
        raise ApiError(422, str(exc)) from exc
    db.session.commit()
    return jsonify(_vacancy_json(vacancy)), 201


@bp.route("/vacancies/<int:vacancy_id>")
@allow(ANY_ROLE)
def vacancies_read(vacancy_id: int):
    vacancy = _get(Vacancy, vacancy_id)
    ensure("vacancy.view", vacancy)
    return jsonify(_vacancy_json(vacancy))


@bp.route("/vacancies/<int:vacancy_id>", methods=["PATCH"])
@allow(ANY_ROLE)
def vacancies_update(vacancy_id: int):
    vacancy = _get(Vacancy, vacancy_id)
    ensure("vacancy.view", vacancy)
    data = _json_object()
    fields = _vacancy_fields(data)
    target = data.get("state")
    if target is not None and target not in VACANCY_STATES:
        raise ApiError(422, not_valid(), {"state": _one_of(VACANCY_STATES)})
    comment = data.get("comment") or ""
    if not isinstance(comment, str):
        raise ApiError(422, not_valid(), {"comment": str(_EXPECTED[(str,)])})
    try:
        if fields:
            ensure("vacancy.edit", vacancy)
            vacancy_services.update_vacancy(vacancy, fields)
        if target is not None and target != vacancy.state:
            vacancy_services.transition(vacancy, target, current_user, comment)
    except PermissionError as exc:
        raise ApiError(403, _("You may not move this vacancy to that state.")) from exc
    except vacancy_services.VacancyError as exc:
        raise ApiError(409 if target else 422, str(exc)) from exc
    db.session.commit()
    return jsonify(_vacancy_json(vacancy))


@bp.route("/candidates")
@allow("admin", "recruiter", "hiring_manager")
def candidates_list():
    vacancy_id = request.args.get("vacancy_id", type=db_int)
    if vacancy_id is None:
        raise ApiError(400, _("Give vacancy_id: candidates are listed per vacancy pipeline."))
    vacancy = _get(Vacancy, vacancy_id)
    ensure("vacancy.candidates", vacancy)
    stage = request.args.get("stage")
    if stage and stage not in ALL_STAGES:
        raise ApiError(400, _("stage must be one of %(codes)s.", codes=", ".join(ALL_STAGES)))
    per_page = min(max(request.args.get("per_page", 50, type=db_int), 1), 200)
    flt = candidate_services.PipelineFilter(stage=stage, q=request.args.get("q"),
                                            source=request.args.get("source"), city=request.args.get("city"))
    page = db.paginate(candidate_services.pipeline_query(vacancy, flt), page=request.args.get("page", 1, type=db_int),
                       per_page=per_page, error_out=False)
    return jsonify(items=[_candidate_json(a.candidate, a) for a in page.items], page=page.page,
                   per_page=per_page, total=page.total)


@bp.route("/candidates/<int:candidate_id>")
@allow("admin", "recruiter", "hiring_manager")
def candidates_read(candidate_id: int):
    candidate = _get(Candidate, candidate_id)
    ensure("candidate.view", candidate)
    return jsonify(_candidate_json(candidate))


def _json_id(value: Any, field: str) -> int:
    """An id from a JSON body: an integer a database column can hold."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise ApiError(422, not_valid(), {field: str(_EXPECTED[(int,)])})
    if not 0 < value < 2**31:
        raise ApiError(404, _("Not found."))
    return value


def _vacancy_for_candidates(vacancy_id: Any) -> Vacancy:
    vacancy = _get(Vacancy, _json_id(vacancy_id, "vacancy_id"))
    if not can("vacancy.manage_candidates", vacancy):
        if vacancy.state not in ("open", "on_hold"):
            raise _closed_vacancy(vacancy)
        abort(403)
    return vacancy


@bp.route("/candidates", methods=["POST"])
@allow("admin", "recruiter")
def candidates_create():
    data = _json_object()
    vacancy = _vacancy_for_candidates(data.get("vacancy_id"))
    unknown = set(data) - set(candidate_rows.FIELDS) - {"vacancy_id"}
    if unknown:
        raise ApiError(422, _("Unknown fields."), {f: _("unknown field") for f in sorted(unknown)})
    row, errors = candidate_services.check_values(data, 0, lambda f: f)
    if row is None:
        raise ApiError(422, not_valid(), {e.column: _reason(e) for e in errors})
    try:
        result = candidate_services.add_row(vacancy, row) if vacancy.state == "open" else None
    except candidate_services.CandidateError as exc:
        raise ApiError(409, str(exc)) from exc
    if result is None:
        raise _closed_vacancy(vacancy)
    db.session.commit()
    status = 201 if result.created else 200
    body = _candidate_json(result.candidate, result.application)
    body.update(linked_existing=not result.created, already_in_pipeline=result.application is None)
    return jsonify(body), status


@bp.route("/vacancies/<int:vacancy_id>/candidates/import", methods=["POST"])
@allow("admin", "recruiter")
def candidates_import(vacancy_id: int):
    """Bulk import: validated item by item; any invalid item imports nothing
    unless ?skip_invalid=true."""
    vacancy = _vacancy_for_candidates(vacancy_id)
    if vacancy.state != "open":
        raise _closed_vacancy(vacancy)
    items = request.get_json(silent=True)
    if not isinstance(items, list):
        raise ApiError(400, _("The body must be a JSON list of candidates."))
    if len(items) > MAX_BULK:
        raise ApiError(413, ngettext("At most %(num)d candidate per request.",
                                     "At most %(num)d candidates per request.", MAX_BULK))
    skip_invalid = request.args.get("skip_invalid", "false").lower() in ("1", "true", "yes")
    errors: list[dict[str, Any]] = []
    rows: list[candidate_rows.CandidateRow] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            errors.append({"index": index, "field": None, "reason": _("must be an object")})
            continue
        unknown = set(item) - set(candidate_rows.FIELDS)
        for name in sorted(unknown):
            errors.append({"index": index, "field": name, "reason": _("unknown field")})
        refused = non_finite_fields(item)
        errors.extend({"index": index, "field": path, "reason": _("must be a finite number")} for path in refused)
        if refused:
            continue
        row, row_errors = candidate_services.check_values(item, index, lambda f: f)
        errors.extend({"index": index, "field": e.column, "reason": _reason(e)} for e in row_errors)
        if row is None or unknown:
            continue
        keys = [k for k in (row.email_norm and "e:" + row.email_norm, row.phone_norm and "p:" + row.phone_norm) if k]
        first = next((seen[k] for k in keys if k in seen), None)
        if first is not None:
            errors.append({"index": index, "field": "email" if row.email_norm else "phone",
                           "reason": _("duplicate of item %(index)d", index=first)})
            continue
        for key in keys:
            seen[key] = index
        rows.append(row)
    if errors and not skip_invalid:
        bad = len({e["index"] for e in errors})
        raise ApiError(422, ngettext("%(num)d item is not valid; nothing was imported.",
                                     "%(num)d items are not valid; nothing was imported.", bad), errors)
    counts = candidate_services.add_rows(vacancy, rows)
    db.session.commit()
    current_app.logger.info("api import into vacancy %s: %s created", vacancy.id, counts.created)
    return jsonify(created=counts.created, linked=counts.linked, already=counts.already,
                   skipped=len({e["index"] for e in errors}), errors=errors), 201

