"""c13b00000002 on a database that already has holidays: they stay, as days off."""

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from config import TestConfig
from recruit.app import create_app
from recruit.extensions import db


def test_existing_holidays_become_days_off(tmp_path):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'old.db'}"

    app = create_app(Config)
    with app.app_context():
        upgrade(revision="c13a00000001")
        db.session.execute(sa.text("INSERT INTO holidays (day, name) VALUES ('2027-01-07', 'Christmas')"))
        db.session.execute(sa.text("INSERT INTO org_settings (id, name, timezone, locale, working_days, "
                                   "reminder_offsets_hours, retention_days) "
                                   "VALUES (1, 'Old', 'Europe/Kyiv', 'uk', '[0]', '[24]', 365)"))
        db.session.commit()
        upgrade(revision="c13b00000002")
        assert db.session.execute(sa.text("SELECT name, kind FROM holidays")).one() == ("Christmas", "day_off")
        assert db.session.execute(sa.text("SELECT holiday_imports FROM org_settings")).scalar() == "[]"
        downgrade(revision="c13a00000001")
        assert db.session.execute(sa.text("SELECT name FROM holidays")).scalar() == "Christmas"
        db.session.remove()
        db.engine.dispose()
