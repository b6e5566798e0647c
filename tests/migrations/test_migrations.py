"""Every schema change is a migration: the migrated database matches the models."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

pytestmark = pytest.mark.pg


def test_models_and_migrations_agree(clean_app):
    from recruit.extensions import db

    with clean_app.app_context(), db.engine.connect() as conn:
        from recruit.extensions import migration_include_object

        context = MigrationContext.configure(conn, opts={"compare_type": False,
                                                         "include_object": migration_include_object})
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_upgrade_twice_is_harmless(clean_app):
    from flask_migrate import upgrade

    with clean_app.app_context():
        upgrade()
        upgrade()


def test_name_keys_are_filled_for_people_already_stored(tmp_path):
    """The search-key migration folds the names already in the database, so
    an upgraded installation finds its existing candidates and staff."""
    import sqlalchemy as sa
    from flask_migrate import upgrade

    from config import TestConfig
    from recruit.app import create_app
    from recruit.extensions import db

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'old.db'}"

    app = create_app(Config)
    with app.app_context():
        upgrade(revision="107f8c9d638a")
        db.session.execute(sa.text("INSERT INTO candidates (full_name, email, phone, city, source, education, notes, "
                                   "created_at, updated_at) VALUES ('Фёдорова  Анна', '', '', '', '', '', '', "
                                   "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
        db.session.execute(sa.text("INSERT INTO users (email, full_name, active, created_at, max_mentees) "
                                   "VALUES ('p@x.test', 'Пётр', 1, CURRENT_TIMESTAMP, 3)"))
        db.session.commit()
        upgrade()
        assert db.session.execute(sa.text("SELECT name_norm FROM candidates")).scalar() == "федорова анна"
        assert db.session.execute(sa.text("SELECT name_norm FROM users")).scalar() == "петр"
        db.session.remove()
        db.engine.dispose()


def test_search_works_where_sqlite_cannot_build_the_trigram_table(tmp_path, monkeypatch, capsys):
    """An SQLite older than 3.34 (or built without FTS5) has no trigram
    tokenizer: the migration says so and goes on, and search scans instead."""
    import sqlite3

    import sqlalchemy as sa
    from flask_migrate import upgrade

    from config import TestConfig
    from recruit.app import create_app
    from recruit.extensions import db
    from recruit.vacancies import candidate_search as cs
    from recruit.vacancies.models import Candidate

    original = sa.engine.Connection.exec_driver_sql

    def without_trigram(self, statement, *args, **kwargs):
        if "tokenize='trigram'" in str(statement):
            raise sa.exc.OperationalError(statement, {}, sqlite3.OperationalError("no such tokenizer: trigram"))
        return original(self, statement, *args, **kwargs)

    monkeypatch.setattr(sa.engine.Connection, "exec_driver_sql", without_trigram)

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'old-sqlite.db'}"

    app = create_app(Config)
    with app.app_context():
        upgrade()
        assert "candidate search will scan instead" in capsys.readouterr().out
        assert db.session.scalar(sa.text("SELECT count(*) FROM sqlite_master WHERE name = 'candidates_search'")) == 0
        db.session.add(Candidate(full_name="Фёдорова Анна", email="anna@x.test", email_norm="anna@x.test"))
        db.session.commit()
        assert [c.full_name for c in cs.search_candidates("федорова")] == ["Фёдорова Анна"]
        assert [c.full_name for c in cs.search_candidates("anna@x")] == ["Фёдорова Анна"]
        db.session.remove()
        db.engine.dispose()
