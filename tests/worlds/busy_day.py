"""A busy stream day for the front desk's and the planner's cost tests (and
the profile): `size` candidates booked on a day ahead, a few of them arrived,
one sent in; an earlier day, now over, with its arrivals and no-shows for the
model and the reports; `size` more candidates left to plan."""

from __future__ import annotations

from datetime import time, timedelta

import sqlalchemy as sa

from recruit.auth import services as accounts
from recruit.extensions import db
from recruit.interviews import bookings, desk, sessions, tasks
from recruit.interviews.models import Booking, InterviewSession
from recruit.organisation import services as org
from recruit.vacancies import candidates as cs
from tests.worlds.interviews import open_vacancy

PASSWORD = "long-enough-pw"


def build(app, size: int, tag: str = "") -> dict:
    """Everything committed; returns the ids and e-mails the requests need.
    A `tag` makes a second world beside the first in the same database."""
    offset = 1000 * len(tag)
    with app.app_context():
        def person(name: str, role: str):
            return accounts.create_user(f"{name.lower()}{tag}@busy.test", name, [role], password=PASSWORD)

        admin, recruiter, receptionist = person("Admin", "admin"), person("Rita", "recruiter"), \
            person("Dora", "receptionist")
        anna, boris = person("Anna", "hiring_manager"), person("Boris", "mentor")
        vacancy = open_vacancy(admin, anna)
        apps = [cs.add_candidate(vacancy, {"full_name": f"Cand {n}", "email": f"c{n}{tag}@busy.test",
                                           "phone": f"+7 901 {2000000 + offset + n:07d}",
                                           "source": ("HeadHunter", "Referral", "Avito")[n % 3]}).application
                for n in range(3 * size)]
        hours = [sessions.InterviewerHours(anna.id), sessions.InterviewerHours(boris.id)]

        def day(days: int, title: str) -> InterviewSession:
            return sessions.create_session(kind="stream", title=title, vacancy=vacancy,
                                           day=(org.local_now() + timedelta(days=days)).date(), start=time(9),
                                           end=time(17), slot_minutes=30, place="Office",
                                           interviewers=hours, created_by=recruiter)

        earlier, today = day(1, "Earlier day"), day(2, "Stream day")
        slots = len(today.slots)
        bookings.book(earlier, [(a.id, n % slots) for n, a in enumerate(apps[:size])], None, recruiter)
        booked = bookings.book(today, [(a.id, n % slots) for n, a in enumerate(apps[size:2 * size])], None,
                               recruiter).invited
        db.session.flush()
        came = [b for n, b in enumerate(db.session.scalars(
            sa.select(Booking).where(Booking.session_id == earlier.id).order_by(Booking.id)).unique()) if n % 2]
        ending = None  # sent in one after the other: each ends the interview before it
        for booking in came:
            desk.check_in(booking, recruiter)
            desk.send_in(booking, anna.id, recruiter, ending=ending)
            ending = booking.id
        tasks.mark_no_shows(now=earlier.ends_at + timedelta(hours=2))
        shift = timedelta(days=3)  # the earlier day is over
        earlier.starts_at, earlier.ends_at, earlier.day = (earlier.starts_at - shift, earlier.ends_at - shift,
                                                           earlier.day - shift)
        for slot in earlier.slots:
            slot.starts_at, slot.ends_at = slot.starts_at - shift, slot.ends_at - shift
        arrived = booked[: max(2, size // 5)]
        for booking in arrived:
            desk.check_in(booking, recruiter)
        desk.send_in(arrived[0], anna.id, recruiter)
        db.session.commit()
        return {"session": today.id, "earlier": earlier.id, "expected": [b.id for b in booked[len(arrived):]],
                "arrived": [b.id for b in arrived[1:]], "to_plan": [a.id for a in apps[2 * size:]],
                "interviewer": anna.id, "desk": receptionist.email, "recruiter": recruiter.email}
