"""A recruiting month for the hiring report (`hiring`): two open vacancies,
candidates from three channels, an interview day ten days ago with two
interviewers (one of whom left a scorecard out), offers and hires, and what
two channels cost. Built through the product's services; only the moments
(when an application came, when a hire was made, the day's date) are set
by hand, so the figures do not depend on the hour of the run.

What the report should read (the tests assert it):
- HeadHunter: 8 résumés, 6 invited, 3 came, 2 no-shows, 2 offered, 1 hired
  after 12 days; cost 3,000 UAH this period + 1,000 in January 2020.
- Work.ua: 4 résumés, 1 hired directly after 10 days (so invited, came and
  offered once); cost 800 UAH.
- Referral: 2 résumés for Support, nothing further.
- Client manager: headcount 3, 2 hired, 1 in the last four weeks.
  Support: headcount 2, no hires.
- Anna held 2 interviews and scored 1; Boris held 1 and scored it."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from recruit.auth.models import User
from recruit.extensions import db
from recruit.interviews import bookings, scorecards, sessions
from recruit.interviews.models import Booking
from recruit.organisation.services import get_settings, local_now
from recruit.utc import utcnow
from recruit.vacancies import candidates as candidate_services
from recruit.vacancies import channel_costs
from recruit.vacancies.models import Application, Vacancy

OLD_MONTH = date(2020, 1, 1)


def _at(app_id: int, *, applied, hired=None) -> None:
    values = {"created_at": applied}
    if hired is not None:
        values["stage_changed_at"] = hired
    db.session.execute(sa.update(Application).where(Application.id == app_id).values(**values))


@pytest.fixture
def hiring(clean_app, make):
    admin = make.user("admin", email="head@x.test", name="Head of Recruiting")
    recruiter = make.user("recruiter", email="rec@x.test", name="Rita Recruiter")
    anna = make.user("hiring_manager", email="anna@x.test", name="Anna Interviewer")
    boris = make.user("mentor", email="boris@x.test", name="Boris Interviewer")
    sales = make.vacancy("open", manager=anna, position="Client manager", headcount=3)
    support = make.vacancy("open", manager=anna, position="Support", headcount=2)
    hh = [make.candidate(sales, full_name=f"HH Candidate {n}", source="HeadHunter") for n in range(8)]
    work = [make.candidate(sales, full_name=f"Work Candidate {n}", source="Work.ua") for n in range(4)]
    referral = [make.candidate(support, full_name=f"Referral Candidate {n}", source="Referral") for n in range(2)]
    with clean_app.test_request_context("/"):
        settings = get_settings()
        settings.timezone, settings.currency = "Europe/Kyiv", "UAH"
        people = {u.id: u for u in db.session.scalars(sa.select(User))}
        day = (local_now() + timedelta(days=2)).date()
        session = sessions.create_session(
            kind="stream", title="Sales day", vacancy=db.session.get(Vacancy, sales), day=day, start=time(10),
            end=time(14), place="Room 5",
            interviewers=[sessions.InterviewerHours(anna), sessions.InterviewerHours(boris)],
            created_by=people[recruiter])
        booked = bookings.book(session, [(app, i) for i, app in enumerate(hh[:6])], None, people[recruiter]).invited
        assert len(booked) == 6
        for booking, interviewer in zip(booked[:3], (anna, anna, boris), strict=True):
            booking.state, booking.arrived_at, booking.outcome_at = "arrived", utcnow(), utcnow()
            booking.seen_at, booking.interviewer_id = utcnow(), interviewer
        for booking in booked[3:5]:
            booking.state, booking.outcome_at = "no_show", utcnow()
        booked[5].state = "cancelled"
        db.session.flush()
        scorecards.record_scorecard(booked[0], people[anna], motivation=5, competence=4, adequacy=5)
        scorecards.record_scorecard(booked[2], people[boris], motivation=3, competence=3, adequacy=4)
        # the day was ten days ago
        back = timedelta(days=12)
        session.day -= back
        for item in (session, *session.slots, *session.interviewers):
            item.starts_at, item.ends_at = item.starts_at - back, item.ends_at - back
        db.session.flush()
        applications = {a.id: a for a in db.session.scalars(sa.select(Application))}
        for stage in ("offer", "hired"):
            candidate_services.move(applications[hh[0]], stage)
        candidate_services.move(applications[hh[1]], "offer")
        candidate_services.move(applications[work[0]], "hired")
        db.session.flush()
        now = utcnow()
        for app in hh:
            _at(app, applied=now - timedelta(days=30))
        _at(hh[0], applied=now - timedelta(days=30), hired=now - timedelta(days=18))
        for app in work:
            _at(app, applied=now - timedelta(days=40))
        _at(work[0], applied=now - timedelta(days=40), hired=now - timedelta(days=30))
        for app in referral:
            _at(app, applied=now - timedelta(days=5))
        hh_month = (local_now() - timedelta(days=30)).date().replace(day=1)
        work_month = (local_now() - timedelta(days=40)).date().replace(day=1)
        channel_costs.set_cost("HeadHunter", hh_month, Decimal("3000"), people[admin])
        channel_costs.set_cost("HeadHunter", OLD_MONTH, Decimal("1000"), people[admin])
        channel_costs.set_cost("Work.ua", work_month, Decimal("800"), people[admin])
        ids, session_id = [b.id for b in booked], session.id
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count(Booking.id))) == 6
    return {"admin": admin, "recruiter": recruiter, "anna": anna, "boris": boris, "sales": sales,
            "support": support, "hh": hh, "work": work, "referral": referral, "bookings": ids,
            "session": session_id}
