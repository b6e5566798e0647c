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


def test_a_double_tap_and_two_recruiters_at_once_record_one_call(clean_app, make):
    """The same form sent twice at once (a double tap on a bad connection)
    records one call; two recruiters who saw the same line and tap at the
    same moment record one call, and the other is told who called. The
    booking changes once either way."""
    from recruit.auth.models import User
    from recruit.extensions import db
    from recruit.interviews import bookings, sessions
    from recruit.interviews.models import Booking, CallAttempt
    from recruit.organisation.services import local_now
    from recruit.vacancies.models import Vacancy

    interviewer = make.user("hiring_manager", email="boss@x.test")
    recruiters = [make.user("recruiter", email=f"rec{n}@x.test") for n in range(4)]
    vacancy = make.vacancy("open", manager=interviewer)
    apps = [make.candidate(vacancy, phone=f"067 123 45 7{n}") for n in range(2)]
    with clean_app.app_context():
        by = db.session.get(User, recruiters[0])
        session = sessions.create_session(kind="group", title="Group", vacancy=db.session.get(Vacancy, vacancy),
                                          day=(local_now() + timedelta(days=1)).date(), start=time(10),
                                          end=time(11), seats=4, place="Hall",
                                          interviewers=[sessions.InterviewerHours(interviewer)], created_by=by)
        tapped, raced = (b.id for b in bookings.book(session, [(a, 0) for a in apps], None, by).invited)
        db.session.commit()

    def signed_in(n: int):
        client = clean_app.test_client()
        login(client, f"rec{n}@x.test")
        return client

    def double_tap(n: int, client) -> int:  # the same form (the same tap mark) from one recruiter
        form = {"outcome": "confirmed", "tap": "the-same-tap-mark-0001", "seen": "0"}
        return client.post(f"/bookings/{tapped}/calls", data=form).status_code

    def two_recruiters(n: int, client) -> int:
        form = {"outcome": "declined" if n % 2 else "confirmed", "tap": f"recruiter-{n}-own-tap-mark", "seen": "0"}
        return client.post(f"/bookings/{raced}/calls", data=form).status_code

    assert at_once(clean_app, 2, double_tap, before=lambda n: signed_in(0)) == [302, 302]
    assert at_once(clean_app, 4, two_recruiters, before=signed_in) == [302] * 4
    with clean_app.app_context():
        calls_of = dict(db.session.execute(sa.select(CallAttempt.booking_id, sa.func.count())
                                           .group_by(CallAttempt.booking_id)).all())
        assert calls_of == {tapped: 1, raced: 1}
        assert db.session.get(Booking, tapped).state == "confirmed"
        winner = db.session.scalar(sa.select(CallAttempt).where(CallAttempt.booking_id == raced))
        assert db.session.get(Booking, raced).state == winner.outcome  # "confirmed" or "declined", as recorded
