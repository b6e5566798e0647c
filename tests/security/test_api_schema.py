"""schemathesis against /api/v1/openapi.json: whatever it sends, as an admin
and as a new hire, the API never answers 5xx, and every 4xx has a JSON error
body in the shape the document promises."""

from __future__ import annotations

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from recruit.auth import services as accounts
from recruit.auth.models import User
from recruit.extensions import db


@pytest.fixture
def api(clean_app, make):
    users = {role: make.user(role, email=f"{role}@fuzz.test") for role in ("admin", "new_hire")}
    vacancy = make.vacancy("open")
    make.candidate(vacancy)
    with clean_app.app_context():
        tokens = {role: accounts.create_api_token(db.session.get(User, uid), "fuzz")[1] for role, uid in users.items()}
        db.session.commit()
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", clean_app), tokens


def test_api_answers_every_request_without_5xx_and_in_json(api):
    schema, tokens = api
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15  # every documented operation is exercised

    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case):
            for role in ("admin", "new_hire"):
                case.headers = {**(case.headers or {}), "Authorization": f"Bearer {tokens[role]}"}
                response = case.call()
                where = f"{role} {case.method} {case.formatted_path}: {response.status_code}"
                if response.status_code >= 500:
                    failures.append(f"{where} {response.text[:200]}")
                elif response.status_code >= 400:
                    try:
                        body = json.loads(response.text)
                    except ValueError:
                        failures.append(f"{where} without a JSON body")
                        continue
                    error = body.get("error") if isinstance(body, dict) else None
                    if not isinstance(error, dict) or error.get("status") != response.status_code:
                        failures.append(f"{where} error body {body}")

        check()
    assert failures == [], failures[:10]
