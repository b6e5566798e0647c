"""A number is stored once (E.164) and shown the way the country writes it."""

from __future__ import annotations

import re

from recruit.auth import services
from recruit.auth.models import User
from recruit.extensions import db
from recruit.organisation.services import get_settings
from recruit.vacancies.models import Candidate
from tests.conftest import login


def test_a_number_typed_either_way_is_one_person_shown_in_national_format(clean_app, make):
    with clean_app.app_context():
        get_settings().phone_region = "UA"
        db.session.commit()
    vacancy = make.vacancy()
    make.candidate(vacancy, full_name="Олена Коваленко", email="", phone="+380 67 123 45 67")
    make.candidate(vacancy, full_name="Олена Коваленко", email="olena@example.test", phone="067 123 45 67")
    make.user("recruiter", email="rita@example.test")
    client = clean_app.test_client()
    login(client, "rita@example.test")
    html = client.get("/candidates").get_data(as_text=True)
    assert html.count("Олена Коваленко") == 1, "the second spelling of the number is the same person"
    assert "067 123 4567" in html and "+380" not in html
    page = client.get(re.search(r'href="(/candidates/\d+)"', html).group(1)).get_data(as_text=True)
    assert 'href="tel:+380671234567"' in page


def test_the_api_reads_a_national_number_in_the_organisations_region(clean_app, make):
    with clean_app.app_context():
        get_settings().phone_region = "BG"
        db.session.commit()
    vacancy = make.vacancy()
    user = make.user("recruiter", email="api@example.test")
    with clean_app.app_context():
        _row, token = services.create_api_token(db.session.get(User, user), "test")
        db.session.commit()
    client = clean_app.test_client()
    response = client.post("/api/v1/candidates", json={"vacancy_id": vacancy, "full_name": "Иван Петров",
                                                       "phone": "0888 123 456"},
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201, response.get_json()
    with clean_app.app_context():
        assert db.session.query(Candidate.phone_norm).scalar() == "+359888123456"
