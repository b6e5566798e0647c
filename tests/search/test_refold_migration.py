"""Migration c13d00000004 on a database that already holds people and
sources: the name keys are folded again (so "Stefan" finds the "Ștefan"
stored before), the SQLite search table follows, and sources typed as
aliases become their channel, in candidates and in bookings."""

from datetime import time, timedelta

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from config import TestConfig
from recruit.app import create_app
from recruit.auth import services as accounts
from recruit.extensions import db
from recruit.interviews import sessions
from recruit.interviews.models import Booking
from recruit.organisation import services as org
from recruit.vacancies import candidate_search
from recruit.vacancies import candidates as cs
from recruit.vacancies import services as vs


def test_upgrade_refolds_keys_and_canonicalises_sources(tmp_path):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'before-channels.db'}"

    app = create_app(Config)
    with app.app_context():
        upgrade()
        admin = accounts.create_user("a@x.test", "Đorđe Admin", ["admin"], password="long-enough-pw")
        vacancy = vs.request_vacancy(None, {"position": "Client manager"}, admin)
        for target in ("in_review", "approved", "open"):
            for item in vacancy.reviews:
                vs.review(vacancy, item.id, "approved", "", item.reviewer)
            vs.transition(vacancy, target, admin)
        people = [cs.add_candidate(vacancy, {"full_name": name, "email": f"p{n}@x.test"}).candidate
                  for n, name in enumerate(("Ștefan Popescu", "Ґнатюк Олена", "Ana Job"))]
        session = sessions.create_session(kind="group", title="Group", vacancy=vacancy,
                                    day=(org.local_now() + timedelta(days=3)).date(), start=time(10), end=time(12),
                                    seats=6, place="Office", interviewers=[sessions.InterviewerHours(admin.id)],
                                    created_by=admin)
        for person in people:
            db.session.add(Booking(session_id=session.id, candidate_id=person.id,
                                   application_id=person.applications[0].id, state="arrived"))
        db.session.commit()

        downgrade(revision="c13c00000003")
        assert db.session.scalar(sa.text("SELECT count(*) FROM sqlite_master WHERE name = 'source_channels'")) == 0
        assert db.session.scalar(sa.text("SELECT name_norm FROM users")) == "đorđe admin"  # the old fold
        for table in ("candidates", "bookings"):  # sources as they were typed before channels existed
            for text, email_or_name in (("Рекомендація", "Ștefan Popescu"), ("  hh.ru ", "Ґнатюк Олена"),
                                        ("Job  fair", "Ana Job")):
                candidate_id = db.session.scalar(sa.text("SELECT id FROM candidates WHERE full_name = :n"),
                                                 {"n": email_or_name})
                column = "id" if table == "candidates" else "candidate_id"
                db.session.execute(sa.text(f"UPDATE {table} SET source = :s WHERE {column} = :c"),  # nosec B608
                                   {"s": text, "c": candidate_id})
        db.session.commit()

        upgrade()
        assert db.session.scalar(sa.text("SELECT name_norm FROM users")) == "djordje admin"
        keys = {name: key for name, key in db.session.execute(sa.text("SELECT full_name, name_norm FROM candidates"))}
        assert keys == {"Ștefan Popescu": "stefan popescu", "Ґнатюк Олена": "гнатюк олена", "Ana Job": "ana job"}
        found = db.session.execute(sa.text("SELECT c.full_name FROM candidates_search s JOIN candidates c "
                                           "ON c.id = s.rowid WHERE candidates_search MATCH :q"),
                                   {"q": 'name_norm : "stefan"'}).scalars().all()
        assert found == ["Ștefan Popescu"]
        assert [c.full_name for c in candidate_search.search_candidates("Гнатюк")] == ["Ґнатюк Олена"]
        for table in ("candidates", "bookings"):
            sources = sorted(db.session.execute(sa.text(f"SELECT source FROM {table}")).scalars())  # nosec B608
            assert sources == ["HeadHunter", "Job fair", "Referral"], table
        assert db.session.scalar(sa.text("SELECT count(*) FROM source_channels")) > 20
        db.session.remove()
        db.engine.dispose()
