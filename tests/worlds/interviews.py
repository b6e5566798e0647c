"""An interview day's cast: an open vacancy with twelve candidates, a
recruiter, a receptionist and an interviewer (`day`); a stream day planned
through the page (`plan_day`), or one booking made through the services
(`book_one`)."""

from datetime import time, timedelta

import pytest

from recruit.auth.models import User
from recruit.extensions import db
from recruit.interviews import bookings, links, sessions
from recruit.organisation import services as org
from recruit.organisation.services import local_now
from recruit.vacancies import services as vs
from recruit.vacancies.models import Vacancy


@pytest.fixture
def day(clean_app, make):
    """An open vacancy with 12 candidates, a recruiter, a receptionist and an interviewer."""
    recruiter = make.user("recruiter", email="rec@x.test")
    make.user("receptionist", email="desk@x.test")
    interviewer = make.user("hiring_manager", email="boss@x.test")
    vacancy = make.vacancy("open", manager=interviewer)
    apps = [make.candidate(vacancy, full_name=f"Person {n}", source="HeadHunter") for n in range(12)]
    with clean_app.app_context():
        day = (local_now() + timedelta(days=2)).date()
        db.session.commit()
    return {"recruiter": recruiter, "interviewer": interviewer, "vacancy": vacancy, "apps": apps, "day": day}


def open_vacancy(admin, manager):
    """The organisation's settings (Moscow, a five-day week, reminders 24 and
    2 hours before) and an open vacancy the manager asked for and the admin
    approved, through the product's own steps."""
    org.update_settings(name="X", timezone="Europe/Moscow", working_days=[0, 1, 2, 3, 4],
                        reminder_offsets_hours=[24, 2], retention_days=365, approver_id=admin.id)
    vacancy = vs.request_vacancy(None, {"position": "Client manager", "headcount": 2}, manager)
    for target in ("in_review", "approved", "open"):
        vs.transition(vacancy, target, manager if target == "in_review" else admin)
    return vacancy


def plan_day(client, day):
    response = client.post("/interviews/new", data={
        "kind": "stream", "title": "Stream day", "vacancy_id": day["vacancy"], "day": day["day"].isoformat(),
        "start": "10:00", "end": "12:00", "slot_minutes": 30, "seats": 8, "place": "Office, room 5",
        "directions": "Metro Park", "video_link": "", "interviewers": [day["interviewer"]], "receptionist_id": 0})
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def book_one(clean_app, day, slot=1):
    with clean_app.app_context():
        session = sessions.create_session(kind="stream", title="Day", vacancy=db.session.get(Vacancy, day["vacancy"]),
                                    day=day["day"], start=time(10), end=time(12), place="Room",
                                    interviewers=[sessions.InterviewerHours(day["interviewer"])],
                                    created_by=db.session.get(User, day["recruiter"]))
        booking = bookings.book(session, [(day["apps"][0], slot)], None,
                                db.session.get(User, day["recruiter"])).invited[0]
        token = links.booking_token(booking)
        db.session.commit()
        return session.id, booking.id, token


def move_day(session, shift: timedelta) -> None:
    """Move a planned day in time (a day is planned from today on; tests of
    what happened on past days plan it ahead and move it back, as time does)."""
    session.day += shift
    session.starts_at += shift
    session.ends_at += shift
    for slot in session.slots:
        slot.starts_at += shift
        slot.ends_at += shift
