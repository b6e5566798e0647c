"""Input the product refuses the same way everywhere: one e-mail check
(email-validator, internal domains by a setting) on forms, imports, the API
and new accounts; JSON numbers that are not finite or out of a field's range
get a 422 naming the field, and the API never writes non-standard JSON."""

from __future__ import annotations

import io
import json
import math

import pytest
import sqlalchemy as sa

from tests.api.test_api import api  # noqa: F401 - the fixture
from tests.conftest import login

pytestmark = pytest.mark.pg

BAD = ["ivan@gmail..com", "ivan.@gmail.com", "iv an@gmail.com", "ivan@-gmail.com", "ivan@gmail", "@gmail.com",
       "ivan@@gmail.com", "ivan@localhost", "ivan@example.invalid"]
GOOD = ["olena.petrenko@gmail.com", "o'neil+cv@ukr.net", "ivan@demo.local", "маша@пошта.укр", "g.beridze@mail.ge"]


@pytest.mark.parametrize("address", GOOD)
def test_real_addresses_pass(address):
    from recruit import emails

    assert emails.is_valid(address, ("local",))


@pytest.mark.parametrize("address", BAD)
def test_broken_addresses_fail(address):
    from recruit import emails

    assert not emails.is_valid(address, ("local",))


def test_internal_domains_are_a_setting():
    from recruit import emails

    assert not emails.is_valid("anna@corp.test", ("local",))
    assert emails.is_valid("anna@corp.test", ("local", "test"))
    assert not emails.is_valid("an..na@corp.local", ("local",))  # the local part is still checked


def test_the_import_reports_a_broken_address(clean_app, make):
    vacancy = make.vacancy("open")
    make.user("recruiter", email="r@x.test")
    client = clean_app.test_client()
    login(client, "r@x.test")
    data = b"name;email\nOlena Petrenko;olena@gmail..com\nIvan Franko;ivan@ukr.net\n"
    response = client.post(f"/vacancies/{vacancy}/import", data={"file": (io.BytesIO(data), "export.csv")},
                           content_type="multipart/form-data")
    batch_url = response.headers["Location"]
    client.post(batch_url, data={"map_full_name": 0, "map_email": 1, "map_phone": "", "map_city": "",
                                 "map_experience_years": "", "map_education": "", "map_source": "", "map_notes": "",
                                 "encoding": "utf-8", "delimiter": "semicolon"})
    report = client.get(batch_url).get_data(as_text=True)
    assert "1 valid row" in report and "is not a valid e-mail address" in report


def test_the_candidate_form_and_the_api_refuse_a_broken_address(clean_app, make, api):  # noqa: F811
    from recruit.extensions import db
    from recruit.vacancies.models import Candidate

    vacancy = make.vacancy("open")
    make.user("recruiter", email="r@x.test")
    client = clean_app.test_client()
    login(client, "r@x.test")
    page = client.post(f"/vacancies/{vacancy}/candidates/new",
                       data={"full_name": "Olena", "email": "olena@gmail..com"}).get_data(as_text=True)
    assert "is not a valid e-mail address" in page
    _uid, token = api.token_for("recruiter")
    response = api.call("POST", "/candidates", token, json={"vacancy_id": vacancy, "full_name": "Olena",
                                                             "email": "olena@gmail..com"})
    assert response.status_code == 422 and "email" in response.get_json()["error"]["details"]
    with clean_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Candidate.id))) == 0


def test_accounts_and_plans_refuse_a_broken_address(clean_app, make):
    from recruit.auth import services as accounts
    from recruit.auth.models import User
    from recruit.extensions import db

    with clean_app.app_context():
        with pytest.raises(accounts.AccountError):
            accounts.invite_user("new@gmail..com", "New", ["recruiter"])
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0
    make.user("admin", email="admin@x.test")
    client = clean_app.test_client()
    login(client, "admin@x.test")
    page = client.post("/admin/users/new", data={"email": "new@gmail..com", "full_name": "New",
                                                 "roles": ["recruiter"]}).get_data(as_text=True)
    assert "Invalid email address." in page
    with clean_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def _raw(api, method, url, token, body: str):  # noqa: F811
    return api.client.open(f"/api/v1{url}", method=method, data=body, content_type="application/json",
                           headers={"Authorization": f"Bearer {token}"})


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_the_api_refuses_numbers_that_are_not_finite(clean_app, make, api, value):  # noqa: F811
    from recruit.extensions import db
    from recruit.vacancies.models import Candidate

    vacancy = make.vacancy("open")
    _uid, token = api.token_for("recruiter")
    response = _raw(api, "POST", "/candidates", token,
                    f'{{"vacancy_id": {vacancy}, "full_name": "Olena", "phone": "+380671234567", '
                    f'"experience_years": {value}}}')
    assert response.status_code == 422
    assert response.get_json()["error"]["details"] == {"experience_years": "must be a finite number"}
    bulk = _raw(api, "POST", f"/vacancies/{vacancy}/candidates/import", token,
                f'[{{"full_name": "Olena", "phone": "+380671234567", "experience_years": {value}}}]')
    assert bulk.status_code == 422
    assert {"index": 0, "field": "experience_years", "reason": "must be a finite number"} in \
        bulk.get_json()["error"]["details"]
    with clean_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Candidate.id))) == 0


def test_the_api_refuses_numbers_out_of_a_fields_range(clean_app, make, api):  # noqa: F811
    _uid, token = api.token_for("hiring_manager")
    for field, value in (("headcount", 10**12), ("headcount", 0), ("salary_max", 2**40),
                         ("min_experience_years", -1)):
        response = api.call("POST", "/vacancies", token, json={"position": "Account manager", "city": "Kyiv",
                                                               field: value})
        assert response.status_code == 422, (field, value)
        assert field in response.get_json()["error"]["details"]


def test_json_is_standard_both_ways(clean_app):
    with clean_app.app_context():
        with pytest.raises(ValueError):
            clean_app.json.dumps({"score": math.nan})
        assert json.loads(clean_app.json.dumps({"score": 0.5})) == {"score": 0.5}
