"""The show-rate model's stamp comes with the signed-in user: the pages that
ask for the model (the planner, the reports) read it in the sign-in's own
statement, and a stamp read so is never used past its transaction or past
an outcome changed in it."""

import sqlalchemy as sa

from recruit.auth import sessions
from recruit.auth.models import User
from recruit.extensions import db
from recruit.interviews import desk, planning, versions
from recruit.interviews.models import Booking
from tests.conftest import login
from tests.statements import counting
from tests.worlds import busy_day


def _stamp_reads(statements: list[str]) -> list[str]:
    return [s for s in statements if "interview_stamps" in s]


def test_the_planner_and_the_reports_read_the_stamp_with_the_signed_in_user(clean_app):
    ids = busy_day.build(clean_app, 5)
    recruiter = clean_app.test_client()
    login(recruiter, ids["recruiter"], busy_day.PASSWORD)
    plan = f"/interviews/{ids['session']}/plan?" + "&".join(f"a={a}" for a in ids["to_plan"])
    pages = [plan, "/interviews/reports", "/interviews/show-rates"]
    for page in pages:
        assert recruiter.get(page).status_code == 200
        with counting(clean_app) as seen:
            assert recruiter.get(page).status_code == 200
        reads = _stamp_reads(seen)
        assert len(reads) == 1 and "FROM users" in reads[0], (page, reads)


def test_a_stamp_read_with_the_user_is_dropped_by_an_outcome_and_at_the_transactions_end(clean_app):
    ids = busy_day.build(clean_app, 5)
    with clean_app.app_context():
        planning.current_model()  # fitted by this process
    with clean_app.test_request_context("/"):
        receptionist = db.session.scalar(sa.select(User).where(User.email == ids["desk"]))
        db.session.commit()
        sessions.signed_in_user(receptionist.id)
        with counting(clean_app) as seen:
            read = versions.stamp(db.session, versions.SHOW_RATE_MODEL)
            model = planning.current_model()
        assert seen == []  # the stamp as read with the user, the model as this process keeps it
        db.session.commit()
        with counting(clean_app) as seen:
            assert versions.stamp(db.session, versions.SHOW_RATE_MODEL) == read
        assert len(_stamp_reads(seen)) == 1  # the next transaction reads it afresh

        sessions.signed_in_user(receptionist.id)
        desk.check_in(db.session.get(Booking, ids["expected"][0]), receptionist)
        db.session.flush()
        with counting(clean_app) as seen:
            moved = versions.stamp(db.session, versions.SHOW_RATE_MODEL)
        assert moved != read and len(_stamp_reads(seen)) == 1  # read again: the arrival gave it a new value
        db.session.commit()

        sessions.signed_in_user(receptionist.id)
        undone = db.session.get(Booking, ids["expected"][0])
        undone.state, undone.outcome_at = "confirmed", None  # an outcome written by hand, in no savepoint
        db.session.flush()
        assert versions.stamp(db.session, versions.SHOW_RATE_MODEL) not in (moved, read)
        db.session.rollback()
    with clean_app.app_context():
        assert planning.current_model().overall.outcomes == model.overall.outcomes + 1
