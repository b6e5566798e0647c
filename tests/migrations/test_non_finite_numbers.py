"""A NaN the old API let into PostgreSQL is mended by the migration, so the
API (which writes standard JSON only) can read the record again."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.api.test_api import api  # noqa: F401 - the fixture

pytestmark = pytest.mark.pg


def test_stored_nan_becomes_unknown(clean_app, make, api):  # noqa: F811
    from flask_migrate import downgrade, upgrade

    from recruit.extensions import db

    if not clean_app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("SQLite never stored NaN (it reads it as NULL)")
    vacancy = make.vacancy("open")
    make.candidate(vacancy, full_name="Olena NaN", phone="+380671234567")
    _uid, token = api.token_for("recruiter")
    with clean_app.app_context():
        db.session.execute(sa.text("UPDATE candidates SET experience_years = 'NaN'::float8"))
        db.session.execute(sa.text("UPDATE vacancies SET min_experience_years = 'NaN'::float8"))
        db.session.commit()
        candidate_id = db.session.execute(sa.text("SELECT id FROM candidates")).scalar()
        db.session.remove()
    assert api.call("GET", f"/candidates/{candidate_id}", token).status_code == 500  # what the old data did
    with clean_app.app_context():
        downgrade(revision="c12c00000003")
        upgrade()
        assert db.session.execute(sa.text("SELECT experience_years FROM candidates")).scalar() is None
        assert db.session.execute(sa.text("SELECT min_experience_years FROM vacancies")).scalar() == 0
        db.session.remove()
    response = api.call("GET", f"/candidates/{candidate_id}", token)
    assert response.status_code == 200 and response.get_json()["experience_years"] is None
