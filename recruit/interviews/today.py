"""The interviews on the home page: today's and tomorrow's days with how many
are booked, confirmed and expected to come, the interviews a person sits
on, and the candidates who came and still wait for a decision."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from recruit.extensions import db
from recruit.interviews.models import Booking, InterviewSession
from recruit.interviews.scorecards import DECIDED
from recruit.interviews.sessions import upcoming_sessions
from recruit.vacancies.models import Application, Vacancy


@dataclass
class DaySummary:
    session: InterviewSession
    booked: int = 0
    confirmed: int = 0
    waitlisted: int = 0
    arrived: int = 0
    expected: float = 0.0


def _summaries(sessions: list[InterviewSession]) -> list[DaySummary]:
    summaries = {s.id: DaySummary(s) for s in sessions}
    if not summaries:
        return []
    held = Booking.state.in_(("invited", "confirmed"))
    rows = db.session.execute(
        sa.select(Booking.session_id,
                  sa.func.sum(sa.case((Booking.state.in_(("invited", "confirmed", "arrived")), 1), else_=0)),
                  sa.func.sum(sa.case((Booking.state == "confirmed", 1), else_=0)),
                  sa.func.sum(sa.case((Booking.state == "waitlisted", 1), else_=0)),
                  sa.func.sum(sa.case((Booking.state == "arrived", 1), else_=0)),
                  sa.func.sum(sa.case((held, Booking.predicted_show), else_=0.0)))
        .where(Booking.session_id.in_(list(summaries))).group_by(Booking.session_id)).all()
    for session_id, booked, confirmed, waitlisted, arrived, expected in rows:
        summary = summaries[session_id]
        summary.booked, summary.confirmed = int(booked or 0), int(confirmed or 0)
        summary.waitlisted, summary.arrived = int(waitlisted or 0), int(arrived or 0)
        summary.expected = round(float(expected or 0) + summary.arrived, 1)  # who came counts for sure
    return list(summaries.values())


def days_around(today: date) -> tuple[list[DaySummary], list[DaySummary]]:
    """Today's and tomorrow's interview days (the organisation's dates)."""
    tomorrow = today + timedelta(days=1)
    sessions = [s for s in upcoming_sessions(include_past_days=1) if s.day in (today, tomorrow)]
    summaries = _summaries(sessions)
    return [s for s in summaries if s.session.day == today], [s for s in summaries if s.session.day == tomorrow]


def my_interviews(user, *, within_days: int = 7, today: date) -> list[DaySummary]:
    """The days this person sits on, from today on, with who is booked."""
    last = today + timedelta(days=within_days)
    sessions = [s for s in upcoming_sessions(interviewer=user) if today <= s.day <= last]
    return _summaries(sessions)


def awaiting_decision() -> list[tuple[Vacancy, int]]:
    """Per vacancy, the candidates who came to an interview and have not
    been moved on since: the decision view's work."""
    rows = db.session.execute(
        sa.select(Application.vacancy_id, sa.func.count(sa.distinct(Application.id)))
        .join(Booking, Booking.application_id == Application.id)
        .where(Booking.state == "arrived", Application.stage.not_in(DECIDED))
        .group_by(Application.vacancy_id)).all()
    if not rows:
        return []
    vacancies = {v.id: v for v in db.session.scalars(sa.select(Vacancy).where(
        Vacancy.id.in_([r[0] for r in rows]), Vacancy.state.in_(("open", "on_hold"))))}
    return [(vacancies[vid], int(n)) for vid, n in rows if vid in vacancies]
