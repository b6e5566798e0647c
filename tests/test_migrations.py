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
