"""The sessions and sign-in migration, up and down, keeps every account and
everything that hangs off one (a rebuild of the users table in SQLite's
batch mode would cascade-delete roles, tokens and more)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

pytestmark = pytest.mark.pg

BEFORE, THIS = "035ecb840f9c", "c12a00000001"


def _counts(db) -> dict[str, int]:
    return {t: db.session.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar()  # nosec B608: fixed names
            for t in ("users", "user_roles", "api_tokens", "org_settings")}


def test_up_and_down_keep_accounts_roles_and_tokens(clean_app):
    from flask_migrate import downgrade, upgrade

    from recruit.extensions import db

    with clean_app.app_context():
        db.session.remove()
        downgrade(revision=BEFORE)
        db.session.execute(sa.text("INSERT INTO users (email, full_name, name_norm, active, created_at, max_mentees) "
                                   "VALUES ('p@x.test', 'P', 'p', :yes, CURRENT_TIMESTAMP, 3)"), {"yes": True})
        user_id = db.session.execute(sa.text("SELECT id FROM users")).scalar()
        db.session.execute(sa.text("INSERT INTO user_roles (user_id, role) VALUES (:u, 'admin')"), {"u": user_id})
        db.session.execute(sa.text("INSERT INTO api_tokens (user_id, name, prefix, token_hash, created_at) "
                                   "VALUES (:u, 't', 'rk_x', 'h', CURRENT_TIMESTAMP)"), {"u": user_id})
        db.session.execute(sa.text("INSERT INTO org_settings (id, name, timezone, locale, working_days, "
                                   "reminder_offsets_hours, retention_days) "
                                   "VALUES (1, 'O', 'UTC', 'en', '[0]', '[24]', 365)"))
        db.session.commit()
        kept = _counts(db)
        assert kept == {"users": 1, "user_roles": 1, "api_tokens": 1, "org_settings": 1}
        db.session.remove()

        upgrade(revision=THIS)
        assert _counts(db) == kept
        row = db.session.execute(sa.text("SELECT session_version, totp_secret FROM users")).one()
        assert tuple(row) == (1, None)
        assert db.session.execute(sa.text("SELECT require_two_factor FROM org_settings")).scalar() in (False, 0)
        db.session.remove()

        downgrade(revision=BEFORE)
        assert _counts(db) == kept
        db.session.remove()
        upgrade()
        assert _counts(db) == kept
        db.session.remove()
