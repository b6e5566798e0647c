"""The home page of the people who run and sit on interview days."""

from __future__ import annotations

from datetime import time, timedelta

from recruit.auth.models import User
from recruit.extensions import db
from recruit.interviews import bookings, desk, sessions
from recruit.interviews.models import Booking
from recruit.organisation.services import local_now
from recruit.vacancies.models import Vacancy
from tests.conftest import login


def _tomorrow_with_bookings(app, day, count: int, confirmed: int):
    with app.app_context():
        recruiter = db.session.get(User, day["recruiter"])
        session = sessions.create_session(
            kind="stream", title="Tomorrow's stream", vacancy=db.session.get(Vacancy, day["vacancy"]),
            day=local_now().date() + timedelta(days=1), start=time(10), end=time(12), place="Room",
            interviewers=[sessions.InterviewerHours(day["interviewer"])], created_by=recruiter)
        made = bookings.book(session, [(a, n % 4) for n, a in enumerate(day["apps"][:count])], None,
                             recruiter).invited
        for booking in made[:confirmed]:
            booking.state, booking.ever_confirmed = "confirmed", True
        db.session.commit()
        return session.id, [b.id for b in made]


def test_the_recruiter_sees_tomorrow_with_expected_and_confirmed(clean_app, day):
    _tomorrow_with_bookings(clean_app, day, 8, 3)
    client = clean_app.test_client()
    login(client, "rec@x.test")
    page = client.get("/").get_data(as_text=True)
    tomorrow = page[page.index("<h2>Tomorrow</h2>"):]
    assert "Tomorrow&#39;s stream" in tomorrow and "8 booked" in tomorrow and "3 confirmed" in tomorrow
    assert "expected to come" in tomorrow and "Call list: Tomorrow&#39;s stream" in tomorrow
    today = page[page.index("<h2>Today</h2>"):page.index("<h2>Tomorrow</h2>")]
    assert "No interview day today." in today and "Plan an interview day" in today
    assert "Still 2 to hire" in page  # the vacancy's forecast


def test_decisions_waiting_and_my_interviews_on_the_home_page(clean_app, day, make):
    _session, booking_ids = _tomorrow_with_bookings(clean_app, day, 2, 0)
    with clean_app.app_context():
        desk.check_in(db.session.get(Booking, booking_ids[0]), db.session.get(User, day["recruiter"]))
        db.session.commit()
    client = clean_app.test_client()
    login(client, "rec@x.test")
    page = client.get("/").get_data(as_text=True)
    assert "Decisions waiting" in page and "1 candidate came and waits for the next step" in page
    assert "<h2>My interviews</h2>" in page and "No interviews for you in the coming week." in page
    interviewer = clean_app.test_client()
    login(interviewer, "boss@x.test")
    mine = interviewer.get("/").get_data(as_text=True)
    panel = mine[mine.index("<h2>My interviews</h2>"):]
    assert "Tomorrow&#39;s stream" in panel and "2 booked" in panel
    assert "Decisions waiting" not in mine and "<h2>Tomorrow</h2>" not in mine  # the recruiter's part
    desk_user = clean_app.test_client()
    login(desk_user, "desk@x.test")
    assert "<h2>My interviews</h2>" not in desk_user.get("/").get_data(as_text=True)  # a receptionist sits on no panel
