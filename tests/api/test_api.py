"""JSON API v1: token auth, the same rules as the pages, JSON errors."""

from pathlib import Path

import pytest

from recruit.auth import services as accounts
from recruit.auth.models import User
from recruit.extensions import db
from recruit.vacancies import candidates as candidate_services
from recruit.vacancies.models import Application, Vacancy, VacancyAmendment

pytestmark = pytest.mark.pg
FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.fixture
def api(clean_app, make):
    class Api:
        def __init__(self):
            self.client = clean_app.test_client()
            self.tokens = {}

        def token_for(self, *roles, email=None):
            user_id = make.user(*roles, email=email)
            with clean_app.app_context():
                _, raw = accounts.create_api_token(db.session.get(User, user_id), "test")
                db.session.commit()
            return user_id, raw

        def call(self, method, url, token, **kwargs):
            return self.client.open(f"/api/v1{url}", method=method,
                                    headers={"Authorization": f"Bearer {token}"}, **kwargs)

    return Api()


def test_openapi_document_lists_every_api_route(clean_app, api):
    doc = api.client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    documented = {(path, method.upper()) for path, ops in doc["paths"].items() for method in ops
                  if method != "parameters"}
    routes = set()
    for rule in clean_app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            path = rule.rule.removeprefix("/api/v1").replace("<int:", "{").replace(">", "}")
            routes |= {(path, m) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes == documented


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer nope", "Basic abc"])
def test_bad_credentials_get_a_json_401(api, header):
    response = api.client.get("/api/v1/vacancies", headers={"Authorization": header} if header else {})
    assert response.status_code == 401 and response.is_json
    assert "token" in response.get_json()["error"]["message"]


def test_manager_creates_and_submits_a_vacancy(api, make):
    _manager, token = api.token_for("hiring_manager")
    template = make.template()
    response = api.call("POST", "/vacancies", token, json={"template_id": template, "city": "Tver",
                                                            "headcount": 2, "salary_min": 1, "salary_max": 2,
                                                            "target_start": "2027-03-01"})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["state"] == "draft" and body["pay_level"] == 2 and body["target_start"] == "2027-03-01"
    vacancy_id = body["id"]
    response = api.call("PATCH", f"/vacancies/{vacancy_id}", token, json={"headcount": 3, "state": "in_review"})
    assert response.status_code == 200 and response.get_json()["state"] == "in_review"
    assert response.get_json()["headcount"] == 3
    response = api.call("PATCH", f"/vacancies/{vacancy_id}", token, json={"state": "approved"})
    assert response.status_code == 403 and response.is_json
    response = api.call("PATCH", f"/vacancies/{vacancy_id}", token, json={"headcount": 5})
    assert response.status_code == 403  # no edits once in review
    listed = api.call("GET", "/vacancies?state=in_review", token).get_json()["items"]
    assert [v["id"] for v in listed] == [vacancy_id]


def test_a_new_headcount_through_the_api_waits_for_approval_with_its_reason(api, make, clean_app):
    vacancy_id = make.vacancy("open", headcount=2)
    _, token = api.token_for("recruiter")
    refused = api.call("PATCH", f"/vacancies/{vacancy_id}", token, json={"headcount": 3})
    assert refused.status_code == 422 and "Say why" in refused.get_json()["error"]["message"]
    response = api.call("PATCH", f"/vacancies/{vacancy_id}", token,
                        json={"headcount": 3, "duties": "Call clients", "comment": "A second shop opens"})
    assert response.status_code == 200
    assert response.get_json()["headcount"] == 2 and response.get_json()["duties"] == "Call clients"
    waiting = response.get_json()["pending_amendment"]  # what was asked for, and that it is not in force yet
    assert waiting["changes"] == {"headcount": {"approved": 2, "proposed": 3}} and waiting["reason"] == \
        "A second shop opens"
    assert api.call("GET", f"/vacancies/{vacancy_id}", token).get_json()["pending_amendment"]["id"] == waiting["id"]
    with clean_app.app_context():
        change = db.session.scalar(db.select(VacancyAmendment))
        assert (change.state, change.changes, change.reason) == ("pending", {"headcount": [2, 3]},
                                                                 "A second shop opens")
        assert db.session.get(Vacancy, vacancy_id).headcount == 2


@pytest.mark.parametrize("body, field", [
    ({"position": 5}, "position"), ({"position": "X", "headcount": "two"}, "headcount"),
    ({"position": "X", "target_start": "tomorrow"}, "target_start"), ({"position": "X", "color": "red"}, "color"),
    ({"position": "X", "headcount": True}, "headcount"), ({"position": "X", "template_id": 999}, "template_id"),
])
def test_invalid_vacancy_input_is_422_with_the_field(api, body, field):
    _, token = api.token_for("hiring_manager")
    response = api.call("POST", "/vacancies", token, json=body)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["details"]


@pytest.mark.parametrize("data", ["not json", "[1, 2]", "null"])
def test_non_object_bodies_are_400(api, data):
    _, token = api.token_for("hiring_manager")
    response = api.call("POST", "/vacancies", token, data=data, content_type="application/json")
    assert response.status_code == 400 and response.get_json()["error"]["status"] == 400


def test_rule_violations_are_json(api, make):
    _, token = api.token_for("hiring_manager")
    response = api.call("POST", "/vacancies", token, json={"position": "X", "salary_min": 9, "salary_max": 1})
    assert response.status_code == 422 and "salary range" in response.get_json()["error"]["message"]
    assert api.call("GET", "/vacancies/9999", token).status_code == 404
    assert api.call("GET", "/nope", token).get_json()["error"]["status"] == 404


def test_recruiter_adds_lists_and_reads_candidates(api, make):
    _, token = api.token_for("recruiter")
    vacancy = make.vacancy("open")
    response = api.call("POST", "/candidates", token, json={"vacancy_id": vacancy, "full_name": "Ivan",
                                                             "email": "IVAN@x.test", "experience_years": 2})
    assert response.status_code == 201
    first = response.get_json()
    assert first["application"]["stage"] == "new"
    response = api.call("POST", "/candidates", token, json={"vacancy_id": vacancy, "full_name": "Ivan P",
                                                             "email": "ivan@x.test"})
    assert response.status_code == 200 and response.get_json()["already_in_pipeline"] is True
    response = api.call("POST", "/candidates", token, json={"vacancy_id": vacancy, "full_name": "No contact"})
    assert response.status_code == 422 and "email" in response.get_json()["error"]["details"]
    page = api.call("GET", f"/candidates?vacancy_id={vacancy}&q=ivan", token).get_json()
    assert page["total"] == 1 and page["items"][0]["email"] == "IVAN@x.test"
    assert api.call("GET", f"/candidates/{first['id']}", token).get_json()["full_name"] == "Ivan"
    assert api.call("GET", "/candidates", token).status_code == 400
    assert api.call("GET", f"/candidates?vacancy_id={vacancy}&stage=bogus", token).status_code == 400


def test_candidate_list_totals_over_pages_stages_and_searches(api, make, clean_app):
    """The list's total is the whole pipeline's, a stage's or a search's,
    whichever page is asked for (the pipeline's kept counts give the first two)."""
    _, token = api.token_for("recruiter")
    vacancy = make.vacancy("open")
    items = [{"full_name": f"Olena {n}", "email": f"olena{n}@x.test"} for n in range(5)] + \
        [{"full_name": f"Petro {n}", "email": f"petro{n}@x.test"} for n in range(2)]
    assert api.call("POST", f"/vacancies/{vacancy}/candidates/import", token, json=items).status_code == 201
    moved = api.call("GET", f"/candidates?vacancy_id={vacancy}&q=petro", token).get_json()["items"]
    with clean_app.app_context():
        for item in moved:
            candidate_services.move(db.session.get(Application, item["application"]["id"]), "screened")
        db.session.commit()

    def listed(query: str) -> dict:
        return api.call("GET", f"/candidates?vacancy_id={vacancy}&{query}", token).get_json()

    third = listed("per_page=3&page=3")
    assert (third["total"], len(third["items"]), third["page"]) == (7, 1, 3)
    assert listed("per_page=3&page=9") == {"items": [], "page": 9, "per_page": 3, "total": 7}
    assert (listed("stage=screened")["total"], listed("stage=new&per_page=2")["total"]) == (2, 5)
    assert [i["full_name"] for i in listed("stage=screened")["items"]] == ["Petro 1", "Petro 0"]
    assert listed("q=olena&per_page=2&page=2")["total"] == 5
    assert listed("q=olena&per_page=10")["total"] == 5


def test_closed_vacancy_refuses_candidates(api, make):
    _, token = api.token_for("recruiter")
    vacancy = make.vacancy("approved")
    response = api.call("POST", "/candidates", token, json={"vacancy_id": vacancy, "full_name": "A",
                                                             "email": "a@x.test"})
    assert response.status_code == 409 and "Only open vacancies" in response.get_json()["error"]["message"]


def test_bulk_import_is_all_or_nothing(api, make, clean_app):
    _, token = api.token_for("recruiter")
    vacancy = make.vacancy("open")
    items = [{"full_name": "A", "email": "a@x.test"}, {"full_name": "B", "phone": "+7 900 111 22 33"},
             {"full_name": "Bad", "email": "nope"}, {"full_name": "A again", "email": "A@X.test"}, "junk",
             {"full_name": "C", "email": "c@x.test", "salary": 1}]
    response = api.call("POST", f"/vacancies/{vacancy}/candidates/import", token, json=items)
    assert response.status_code == 422
    errors = response.get_json()["error"]["details"]
    assert {(e["index"], e["field"]) for e in errors} == {(2, "email"), (3, "email"), (4, None), (5, "salary")}
    assert api.call("GET", f"/candidates?vacancy_id={vacancy}", token).get_json()["total"] == 0
    response = api.call("POST", f"/vacancies/{vacancy}/candidates/import?skip_invalid=true", token, json=items)
    assert response.status_code == 201
    assert response.get_json()["created"] == 2 and response.get_json()["skipped"] == 4
    response = api.call("POST", f"/vacancies/{vacancy}/candidates/import", token, json=items[:2])
    assert response.get_json()["already"] == 2
    assert api.call("POST", f"/vacancies/{vacancy}/candidates/import", token, json={"a": 1}).status_code == 400


def test_mentor_token_cannot_touch_candidates(api, make):
    _, token = api.token_for("mentor")
    vacancy = make.vacancy("open")
    response = api.call("POST", "/candidates", token, json={"vacancy_id": vacancy, "full_name": "A",
                                                             "email": "a@x.test"})
    assert response.status_code == 403 and response.is_json
    assert api.call("GET", f"/vacancies/{vacancy}", token).status_code == 403


@pytest.mark.parametrize(("roles", "method", "url", "message"), [
    (("admin",), "GET", "/vacancies/987654", "No vacancy 987654."),
    (("admin",), "PATCH", "/vacancies/987654", "No vacancy 987654."),
    (("admin",), "GET", "/candidates/987654", "No candidate 987654."),
    (("admin",), "GET", "/candidates?vacancy_id=987654", "No vacancy 987654."),
    (("admin",), "POST", "/vacancies/987654/candidates/import", "No vacancy 987654."),
    (("admin",), "POST", "/attempt-answers/987654/grade", "No answer 987654."),
    (("new_hire",), "POST", "/quizzes/987654/attempts", "No quiz 987654."),
    (("new_hire",), "GET", "/attempts/987654", "No quiz attempt 987654."),
    (("new_hire",), "POST", "/attempts/987654/submit", "No quiz attempt 987654."),
])
def test_a_missing_object_is_a_json_404_that_names_it(api, roles, method, url, message):
    _user, token = api.token_for(*roles)
    response = api.call(method, url, token, json={})
    assert response.status_code == 404
    assert response.get_json() == {"error": {"status": 404, "message": message}}


def test_a_missing_vacancy_to_add_a_candidate_to_is_a_json_404(api):
    _user, token = api.token_for("recruiter")
    response = api.call("POST", "/candidates", token, json={"vacancy_id": 987654, "full_name": "A B"})
    assert response.get_json() == {"error": {"status": 404, "message": "No vacancy 987654."}}
    response = api.call("POST", "/candidates", token, json={"vacancy_id": 2**31, "full_name": "A B"})
    assert response.get_json() == {"error": {"status": 404, "message": "Not found."}}
