"""Two recruiters at once, for real: parallel requests against PostgreSQL
never overfill a slot nor give a candidate two live bookings."""

from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from tests.concurrency import at_once
from tests.conftest import TEST_DB, login

pytestmark = [pytest.mark.pg,
              pytest.mark.skipif(TEST_DB != "postgres", reason="row locks and parallel writers: PostgreSQL run")]


def test_parallel_bookings_respect_caps_and_people(clean_app, make):
    from recruit.auth.models import User
    from recruit.extensions import db
    from recruit.interviews import sessions
    from recruit.interviews.models import Booking, Slot
    from recruit.organisation.services import local_now
    from recruit.vacancies.models import Vacancy

    interviewer = make.user("hiring_manager", email="boss@x.test")
    recruiters = [make.user("recruiter", email=f"rec{n}@x.test") for n in range(4)]
    vacancy = make.vacancy("open", manager=interviewer)
    apps = [make.candidate(vacancy) for _ in range(24)]
    with clean_app.app_context():
        session = sessions.create_session(kind="group", title="Group", vacancy=db.session.get(Vacancy, vacancy),
                                    day=(local_now() + timedelta(days=2)).date(), start=time(10), end=time(11),
                                    seats=2, place="Hall", interviewers=[sessions.InterviewerHours(interviewer)],
                                    created_by=db.session.get(User, recruiters[0]))
        db.session.commit()
        session_id, cap = session.id, session.slots[0].invite_cap

    def signed_in(n: int):
        client = clean_app.test_client()
        login(client, f"rec{n}@x.test")
        return client

    def recruiter(n: int, client) -> int:
        # everyone books the same 12 people plus 3 of their own, from the same stale picture
        mine = apps[:12] + apps[12 + 3 * n:15 + 3 * n]
        form = {"application": mine, "base": "0", "action": "send", **{f"slot_{a}": "0" for a in mine}}
        return client.post(f"/interviews/{session_id}/book", data=form).status_code

    statuses = at_once(clean_app, len(recruiters), recruiter, before=signed_in)
    assert statuses == [302] * len(recruiters)
    with clean_app.app_context():
        slot = db.session.scalar(sa.select(Slot).where(Slot.session_id == session_id))
        seated = db.session.scalar(sa.select(sa.func.count(Booking.id)).where(
            Booking.slot_id == slot.id, Booking.state.in_(("invited", "confirmed"))))
        live_per_person = db.session.execute(
            sa.select(Booking.candidate_id, sa.func.count())
            .where(Booking.state.in_(("invited", "confirmed", "waitlisted"))).group_by(Booking.candidate_id)).all()
        assert slot.booked == seated <= slot.invite_cap
        assert slot.invite_cap <= max(cap, 15)  # no plan raised the cap beyond its own size
        assert all(count == 1 for _candidate, count in live_per_person)
        assert len(live_per_person) == 24  # everyone is invited or on the waiting list, once
