"""The API's vacancies: list, request, read, change fields or state."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from recruit.api.common import EXPECTED, ApiError, bp, json_id, json_object, load, not_valid, one_of
from recruit.auth.permissions import ANY_ROLE, allow, ensure
from recruit.extensions import db
from recruit.vacancies import amendments
from recruit.vacancies import services as vacancy_services
from recruit.vacancies.models import Vacancy
from recruit.vacancies.pipeline import VACANCY_STATES


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


def _one_vacancy_json(v: Vacancy) -> dict[str, Any]:
    """A vacancy read or changed alone, with the change of headcount or pay
    that waits for approval (its values are not in force until then)."""
    waiting = amendments.pending(v)
    return {**_vacancy_json(v), "pending_amendment": None if waiting is None else {
        "id": waiting.id, "reason": waiting.reason,
        "changes": {name: {"approved": before, "proposed": after} for name, (before, after) in waiting.changes.items()},
    }}


_VACANCY_TYPES: dict[str, tuple[type, ...]] = {
    "position": (str,), "department": (str,), "city": (str,), "headcount": (int,), "pay_level": (int,),
    "salary_min": (int,), "salary_max": (int,), "education": (str,), "min_experience_years": (int, float),
    "skills": (str,), "duties": (str,), "kpis": (str,), "target_start": (str, type(None)),
    "language": (str, type(None)),
}

# The same bounds as the vacancy form's; a column cannot hold more anyway.
_VACANCY_RANGES: dict[str, tuple[int, int]] = {
    "headcount": (1, 500), "pay_level": (1, 99), "salary_min": (0, 2**31 - 1), "salary_max": (0, 2**31 - 1),
    "min_experience_years": (0, 60),
}


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
            errors[name] = str(EXPECTED[types])
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


@bp.route("/vacancies")
@allow(ANY_ROLE)
def vacancies_list():
    state = request.args.get("state")
    if state and state not in VACANCY_STATES:
        raise ApiError(400, _("state must be one of %(codes)s.", codes=", ".join(VACANCY_STATES)))
    return jsonify(items=[_vacancy_json(v) for v in vacancy_services.vacancy_list(current_user, state)])


@bp.route("/vacancies", methods=["POST"])
@allow("admin", "hiring_manager")
def vacancies_create():
    data = json_object()
    fields = _vacancy_fields(data)
    template = None
    if data.get("template_id") is not None:
        template = vacancy_services.template_or_none(json_id(data["template_id"], "template_id"))
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
    return jsonify(_one_vacancy_json(load(Vacancy, vacancy_id, "vacancy.view")))


@bp.route("/vacancies/<int:vacancy_id>", methods=["PATCH"])
@allow(ANY_ROLE)
def vacancies_update(vacancy_id: int):
    vacancy = load(Vacancy, vacancy_id, "vacancy.view")
    data = json_object()
    fields = _vacancy_fields(data)
    target = data.get("state")
    if target is not None and target not in VACANCY_STATES:
        raise ApiError(422, not_valid(), {"state": one_of(VACANCY_STATES)})
    comment = data.get("comment") or ""
    if not isinstance(comment, str):
        raise ApiError(422, not_valid(), {"comment": str(EXPECTED[(str,)])})
    try:
        if fields:
            ensure("vacancy.edit", vacancy)
            vacancy_services.update_vacancy(vacancy, fields, current_user, reason=comment)
        if target is not None and target != vacancy.state:
            vacancy_services.transition(vacancy, target, current_user, comment)
    except PermissionError as exc:
        raise ApiError(403, _("You may not move this vacancy to that state.")) from exc
    except vacancy_services.VacancyError as exc:
        raise ApiError(409 if target else 422, str(exc)) from exc
    db.session.commit()
    return jsonify(_one_vacancy_json(vacancy))
