"""The API's candidates: a vacancy's pipeline, one candidate, adding one to
an open vacancy, and the bulk import."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, jsonify, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from recruit.api.common import ApiError, bp, json_id, json_object, load, not_valid, page_asked
from recruit.auth.permissions import allow, can
from recruit.extensions import db
from recruit.i18n import label
from recruit.tabular import reports
from recruit.vacancies import candidate_rows, pipeline_hooks
from recruit.vacancies import candidates as candidate_services
from recruit.vacancies.messages import message as import_message
from recruit.vacancies.models import Application, Candidate, Vacancy
from recruit.vacancies.pipeline import ALL_STAGES
from recruit.vacancies.policies import visible_applications
from recruit.web import db_int, non_finite_fields

MAX_BULK = 5000


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


def _reason(error: reports.RowError) -> str:
    """A row error in the reader's language (the importer writes codes)."""
    return import_message(error.code, error.params, error.reason)


def _closed_vacancy(vacancy: Vacancy) -> ApiError:
    return ApiError(409, _("Only open vacancies take candidates; this one is %(state)s.",
                           state=label(vacancy.state, "vacancy_state")))


def _vacancy_for_candidates(vacancy_id: Any) -> Vacancy:
    vacancy = load(Vacancy, json_id(vacancy_id, "vacancy_id"))
    if not can("vacancy.manage_candidates", vacancy):
        if vacancy.state not in ("open", "on_hold"):
            raise _closed_vacancy(vacancy)
        abort(403)
    return vacancy


@bp.route("/candidates")
@allow("admin", "recruiter", "hiring_manager")
def candidates_list():
    vacancy_id = request.args.get("vacancy_id", type=db_int)
    if vacancy_id is None:
        raise ApiError(400, _("Give vacancy_id: candidates are listed per vacancy pipeline."))
    _held, counts = candidate_services.pipeline_vacancy(vacancy_id)  # held: `load` finds it
    vacancy = load(Vacancy, vacancy_id, "vacancy.candidates")
    stage = request.args.get("stage")
    if stage and stage not in ALL_STAGES:
        raise ApiError(400, _("stage must be one of %(codes)s.", codes=", ".join(ALL_STAGES)))
    interview = request.args.get("interview")
    if interview and pipeline_hooks.filter_named(interview) is None:
        raise ApiError(400, _("interview must be one of %(codes)s.",
                              codes=", ".join(f.key for f in pipeline_hooks.filters())))
    flt = candidate_services.PipelineFilter(stage=stage, q=request.args.get("q"), interview=interview or None,
                                            source=request.args.get("source"), city=request.args.get("city"))
    number, size = page_asked()
    page = candidate_services.pipeline_page(vacancy, flt, number, size, counts, with_applications=True)
    return jsonify(items=[_candidate_json(a.candidate, a) for a in page.items], page=page.page,
                   per_page=page.per_page, total=page.total)


@bp.route("/candidates/<int:candidate_id>")
@allow("admin", "recruiter", "hiring_manager")
def candidates_read(candidate_id: int):
    return jsonify(_candidate_json(load(Candidate, candidate_id, "candidate.view")))


@bp.route("/candidates", methods=["POST"])
@allow("admin", "recruiter")
def candidates_create():
    data = json_object()
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


def _check_items(items: list[Any]) -> tuple[list[candidate_rows.CandidateRow], list[dict[str, Any]]]:
    """The rows of a bulk import that can go in, and what is wrong with the
    others, item by item (a duplicate of an earlier item is wrong too)."""
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
    return rows, errors


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
    rows, errors = _check_items(items)
    if errors and not skip_invalid:
        bad = len({e["index"] for e in errors})
        raise ApiError(422, ngettext("%(num)d item is not valid; nothing was imported.",
                                     "%(num)d items are not valid; nothing was imported.", bad), errors)
    counts = candidate_services.add_rows(vacancy, rows)
    db.session.commit()
    current_app.logger.info("api import into vacancy %s: %s created", vacancy.id, counts.created)
    return jsonify(created=counts.created, linked=counts.linked, already=counts.already,
                   skipped=len({e["index"] for e in errors}), errors=errors), 201
