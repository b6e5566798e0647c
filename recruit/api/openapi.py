"""The OpenAPI 3 document of /api/v1, kept next to the views it describes,
and its route."""

from __future__ import annotations

from typing import Any

from flask import jsonify

from recruit.api.common import bp
from recruit.auth.permissions import public
from recruit.i18n import LANGUAGES
from recruit.vacancies import pipeline_hooks
from recruit.vacancies.candidate_rows import FIELDS
from recruit.vacancies.pipeline import ALL_STAGES, VACANCY_STATES


def _error() -> dict[str, Any]:
    return {"description": "Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _ok(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERRORS = {str(code): _error() for code in (400, 401, 403, 404, 409, 413, 422)}


def document() -> dict[str, Any]:
    vacancy_input = {
        "type": "object", "additionalProperties": False,
        "properties": {
            "template_id": {"type": "integer"}, "position": {"type": "string", "maxLength": 120},
            "department": {"type": "string"}, "city": {"type": "string"},
            "headcount": {"type": "integer", "minimum": 1},
            "pay_level": {"type": "integer", "minimum": 1, "maximum": 4},
            "salary_min": {"type": "integer", "minimum": 0}, "salary_max": {"type": "integer", "minimum": 0},
            "education": {"type": "string"}, "min_experience_years": {"type": "number", "minimum": 0},
            "skills": {"type": "string"}, "duties": {"type": "string"}, "kpis": {"type": "string"},
            "target_start": {"type": ["string", "null"], "format": "date"},
            "language": {"type": ["string", "null"], "enum": [*LANGUAGES, "", None],
                         "description": "Its candidates' language; empty or null: the organisation's"},
        },
    }
    vacancy_patch = {**vacancy_input, "properties": {
        **{k: v for k, v in vacancy_input["properties"].items() if k != "template_id"},
        "state": {"type": "string", "enum": list(VACANCY_STATES)},
        "comment": {"type": "string", "description": (
            "Kept with a change of state; on an approved, open or on-hold vacancy also the reason for a new "
            "headcount, pay level or salary range, which then waits for the reviews and the approval (the "
            "vacancy keeps its approved values until it is approved)")}}}
    candidate_input = {
        "type": "object", "additionalProperties": False, "required": ["full_name"],
        "properties": {name: {"type": "number" if name == "experience_years" else "string"} for name in FIELDS},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Recruit API", "version": "1",
                 "description": "Token-authenticated JSON API. Create a token on your account page and send "
                                "`Authorization: Bearer <token>`. Error messages are written in the token's "
                                "user's language, else the request's Accept-Language; field names and codes "
                                "stay as written here."},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {
                    "type": "object", "required": ["status", "message"],
                    "properties": {"status": {"type": "integer"}, "message": {"type": "string"},
                                   "details": {}}}}},
                "Vacancy": {"type": "object", "properties": {
                    **vacancy_input["properties"], "id": {"type": "integer"},
                    "state": {"type": "string", "enum": list(VACANCY_STATES)},
                    "pending_amendment": {
                        "type": ["object", "null"], "description": "a change of headcount or pay waiting for "
                        "approval (read and PATCH answers; the vacancy's own values stay in force until then)",
                        "properties": {"id": {"type": "integer"}, "reason": {"type": "string"},
                                       "changes": {"type": "object"}}}}},
                "VacancyInput": vacancy_input,
                "VacancyPatch": vacancy_patch,
                "Candidate": {"type": "object", "properties": {
                    **candidate_input["properties"], "id": {"type": "integer"},
                    "applications": {"type": "array", "items": {"type": "object", "properties": {
                        "id": {"type": "integer"}, "vacancy_id": {"type": "integer"},
                        "stage": {"type": "string", "enum": list(ALL_STAGES)}}}}}},
                "CandidateInput": {**candidate_input, "required": ["full_name", "vacancy_id"],
                                   "properties": {**candidate_input["properties"],
                                                  "vacancy_id": {"type": "integer"}}},
                "CandidateImportItem": candidate_input,
                "Attempt": {"type": "object", "properties": {
                    "id": {"type": "integer"}, "quiz_id": {"type": "integer"}, "number": {"type": "integer"},
                    "state": {"type": "string", "enum": ["in_progress", "submitted", "graded"]},
                    "deadline": {"type": "string", "format": "date-time"},
                    "score": {"type": ["number", "null"]}, "max_score": {"type": "number"},
                    "review": {"type": "object", "description": "What the quiz's review options show now",
                               "properties": {"marks": {"type": "boolean"}, "answers": {"type": "boolean"}}},
                    "questions": {"type": "array", "items": {"type": "object"}}}},
            },
        },
        "paths": {
            "/openapi.json": {"get": {"summary": "This document", "security": [],
                                      "responses": {"200": _ok({"type": "object"})}}},
            "/vacancies": {
                "get": {"summary": "Vacancies visible to you", "parameters": [
                    {"name": "state", "in": "query", "schema": {"type": "string", "enum": list(VACANCY_STATES)}}],
                    "responses": {"200": _ok({"type": "object", "properties": {"items": {
                        "type": "array", "items": {"$ref": "#/components/schemas/Vacancy"}}}}), **ERRORS}},
                "post": {"summary": "Request a vacancy (a draft)", "requestBody": {"required": True, "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/VacancyInput"}}}},
                    "responses": {"201": _ok({"$ref": "#/components/schemas/Vacancy"}, "Created"), **ERRORS}},
            },
            "/vacancies/{vacancy_id}": {
                "parameters": [{"name": "vacancy_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "get": {"summary": "One vacancy", "responses": {
                    "200": _ok({"$ref": "#/components/schemas/Vacancy"}), **ERRORS}},
                "patch": {"summary": "Change fields and/or move to another state", "requestBody": {
                    "required": True, "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/VacancyPatch"}}}},
                    "responses": {"200": _ok({"$ref": "#/components/schemas/Vacancy"}), **ERRORS}},
            },
            "/candidates": {
                "get": {"summary": "A vacancy's pipeline", "parameters": [
                    {"name": "vacancy_id", "in": "query", "required": True, "schema": {"type": "integer"}},
                    {"name": "stage", "in": "query", "schema": {"type": "string", "enum": list(ALL_STAGES)}},
                    {"name": "q", "in": "query", "schema": {"type": "string"}},
                    {"name": "interview", "in": "query", "description": "an interview filter of the pipeline",
                     "schema": {"type": "string", "enum": [f.key for f in pipeline_hooks.filters()]}},
                    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200}}],
                    "responses": {"200": _ok({"type": "object"}), **ERRORS}},
                "post": {"summary": "Add a candidate to an open vacancy (a known e-mail or phone links the "
                                    "existing candidate)", "requestBody": {"required": True, "content": {
                                        "application/json": {"schema": {
                                            "$ref": "#/components/schemas/CandidateInput"}}}},
                         "responses": {"201": _ok({"$ref": "#/components/schemas/Candidate"}, "Created"),
                                       "200": _ok({"$ref": "#/components/schemas/Candidate"}, "Linked existing"),
                                       **ERRORS}},
            },
            "/candidates/{candidate_id}": {
                "parameters": [{"name": "candidate_id", "in": "path", "required": True,
                                "schema": {"type": "integer"}}],
                "get": {"summary": "One candidate", "responses": {
                    "200": _ok({"$ref": "#/components/schemas/Candidate"}), **ERRORS}},
            },
            "/quizzes/{quiz_id}/attempts": {
                "parameters": [{"name": "quiz_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "post": {"summary": "Start an attempt, or continue the one in progress (new hire)",
                         "responses": {"201": _ok({"$ref": "#/components/schemas/Attempt"}, "Started"),
                                       "200": _ok({"$ref": "#/components/schemas/Attempt"}, "In progress"),
                                       **ERRORS}},
            },
            "/attempts": {"get": {"summary": "My attempts", "responses": {"200": _ok({"type": "object"}), **ERRORS}}},
            "/attempts/{attempt_id}": {
                "parameters": [{"name": "attempt_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "get": {"summary": "One of my attempts; marks and the key only as the quiz's review options allow",
                        "responses": {"200": _ok({"$ref": "#/components/schemas/Attempt"}), **ERRORS}},
            },
            "/attempts/{attempt_id}/answers/{position}": {
                "parameters": [{"name": "attempt_id", "in": "path", "required": True, "schema": {"type": "integer"}},
                               {"name": "position", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "put": {"summary": "Save an answer (refused after the deadline)", "requestBody": {
                    "required": True, "content": {"application/json": {"schema": {
                        "type": "object", "required": ["answer"], "properties": {"answer": {}}}}}},
                    "responses": {"200": _ok({"type": "object"}), **ERRORS}},
            },
            "/attempts/{attempt_id}/submit": {
                "parameters": [{"name": "attempt_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "post": {"summary": "Submit; a second submit changes nothing",
                         "responses": {"200": _ok({"$ref": "#/components/schemas/Attempt"}), **ERRORS}},
            },
            "/grading": {"get": {"summary": "The grading queue (mentor)",
                                 "responses": {"200": _ok({"type": "object"}), **ERRORS}}},
            "/attempt-answers/{answer_id}/grade": {
                "parameters": [{"name": "answer_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "post": {"summary": "Grade an essay, or override an automatic score with a reason (mentor)",
                         "requestBody": {"required": True, "content": {"application/json": {"schema": {
                             "type": "object", "required": ["points"], "properties": {
                                 "points": {"type": "number"}, "comment": {"type": "string"},
                                 "reason": {"type": "string"}}}}}},
                         "responses": {"200": _ok({"type": "object"}), **ERRORS}},
            },
            "/vacancies/{vacancy_id}/candidates/import": {
                "parameters": [{"name": "vacancy_id", "in": "path", "required": True, "schema": {"type": "integer"}},
                               {"name": "skip_invalid", "in": "query", "schema": {"type": "boolean"}}],
                "post": {"summary": "Bulk import; any invalid item imports nothing unless skip_invalid",
                         "requestBody": {"required": True, "content": {"application/json": {"schema": {
                             "type": "array", "items": {"$ref": "#/components/schemas/CandidateImportItem"}}}}},
                         "responses": {"201": _ok({"type": "object"}, "Imported"), **ERRORS}},
            },
        },
    }


@bp.route("/openapi.json")
@public
def openapi():
    return jsonify(document())
