"""NUL characters: PostgreSQL cannot store them, so they are refused with a
clear 400 before anything is written, in forms, query strings, JSON and files."""

import io

import pytest
import sqlalchemy as sa

pytestmark = pytest.mark.pg


def test_nul_characters_are_refused_before_any_write(clean_app, make, client):
    from recruit.auth import services as accounts
    from recruit.auth.models import User
    from recruit.extensions import db
    from recruit.vacancies.models import VacancyComment
    from tests.conftest import login

    admin = make.user("admin", email="nul@x.test")
    vacancy = make.vacancy("open")
    login(client, "nul@x.test")
    response = client.post(f"/vacancies/{vacancy}/comments", data={"body": "hi\x00there"})
    assert response.status_code == 400 and "NUL" in response.get_data(as_text=True)
    assert client.get("/candidates?q=a%00b").status_code == 400
    upload = client.post(f"/vacancies/{vacancy}/import", content_type="multipart/form-data",
                         data={"file": (io.BytesIO(b"full_name,email\n" + b"A,a@b.test\n" * 500 + b"B\x00,b@c.test\n"),
                                        "c.csv")})
    assert upload.status_code == 200 and "This is not a text (CSV) file." in upload.get_data(as_text=True)
    gift = client.post("/quizzes/bank", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(b"::A::Fine\x00{=a ~b}\n"), "bank.gift")}, follow_redirects=True)
    assert gift.status_code == 200 and "Nothing imported" in gift.get_data(as_text=True)
    with clean_app.app_context():
        token = accounts.create_api_token(db.session.get(User, admin), "nul")[1]
        db.session.commit()
    api = client.post("/api/v1/candidates", headers={"Authorization": f"Bearer {token}"},
                      json={"vacancy_id": vacancy, "full_name": "A\x00B", "email": "x@y.test"})
    assert api.status_code == 400 and api.is_json
    with clean_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(VacancyComment.id))) == 0
