"""c16b00000001 on an installation with interview days already planned: the
calendar entries people already have keep the UID and SEQUENCE they were
sent with, so the first update after the upgrade moves them."""

from datetime import time

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from config import TestConfig
from recruit.app import create_app
from recruit.auth import services as accounts
from recruit.extensions import db
from recruit.interviews import bookings, sessions
from recruit.vacancies import candidates as cs
from tests.worlds.interview_day import days_ahead
from tests.worlds.interviews import open_vacancy


def test_entries_already_sent_keep_their_uids_and_sequences(tmp_path):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'old.db'}"

    app = create_app(Config)
    with app.app_context():
        upgrade()
        admin = accounts.create_user("admin@x.test", "Admin", ["admin"], password="long-enough-pw")
        anna = accounts.create_user("anna@x.test", "Anna", ["hiring_manager"], password="long-enough-pw")
        vacancy = open_vacancy(admin, anna)
        apps = [cs.add_candidate(vacancy, {"full_name": f"Cand {n}", "email": f"c{n}@x.test"}).application
                for n in range(2)]
        kept, called_off = (sessions.create_session(
            kind="stream", title=title, vacancy=vacancy, day=days_ahead(days), start=time(10), end=time(11),
            place="Room 5", interviewers=[sessions.InterviewerHours(anna.id)], created_by=admin)
            for title, days in (("Kept", 3), ("Called off", 4)))
        invited = bookings.book(kept, [(apps[0].id, 0)], None, admin).invited[0]
        bookings.cancel_session(called_off, admin, "")
        db.session.commit()
        ids = (kept.id, called_off.id, anna.id, invited.id)
        downgrade(revision="c14000000007")  # the schema as it was before
        upgrade()
        rows = db.session.execute(sa.text("SELECT session_id, user_id, uid, sequence FROM interviewer_calendars "
                                          "ORDER BY session_id")).all()
        assert [tuple(r) for r in rows] == [
            (ids[0], ids[2], f"session-{ids[0]}-{ids[2]}@recruit", 0),  # its REQUEST went with SEQUENCE 0
            (ids[1], ids[2], f"session-{ids[1]}-{ids[2]}@recruit", 1)]  # its CANCEL with 1
        assert db.session.execute(sa.text("SELECT ics_uid FROM bookings WHERE id = :id"),
                                  {"id": ids[3]}).scalar() == f"booking-{ids[3]}@recruit"
        assert db.session.execute(sa.text("SELECT contact_phone FROM org_settings")).scalar() == ""
        db.session.remove()
        db.engine.dispose()
