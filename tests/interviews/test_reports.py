"""The interview report's figures: show-up by channel and by week, the week
read in the organisation's time zone."""

from datetime import UTC, datetime, time

import pytest
import sqlalchemy as sa

from recruit.auth.models import User
from recruit.extensions import db
from recruit.interviews import bookings, reports, sessions
from recruit.interviews.models import Booking
from recruit.organisation.services import get_settings
from recruit.vacancies.models import Vacancy


def test_show_up_by_channel_and_week_in_the_organisations_zone(clean_app, day):
    # Kyiv is UTC+2 in winter: Sunday 22:30 UTC is already Monday there, the next ISO week
    outcomes = [("arrived", "HeadHunter", datetime(2026, 1, 11, 21, 30, tzinfo=UTC)),   # Sun 23:30, W02
                ("no_show", "HeadHunter", datetime(2026, 1, 11, 22, 30, tzinfo=UTC)),   # Mon 00:30, W03
                ("arrived", "Referral", datetime(2026, 1, 12, 9, 0, tzinfo=UTC)),       # W03
                ("arrived", "Referral", datetime(2026, 1, 13, 9, 0, tzinfo=UTC)),       # W03
                ("no_show", "", datetime(2026, 1, 6, 9, 0, tzinfo=UTC)),                # W02, no channel
                ("invited", "HeadHunter", None)]                                        # no outcome yet
    figures = _figures(clean_app, day, outcomes)
    assert figures["outcomes"] == 5
    assert figures["by_source"] == [("HeadHunter", 1, 2, 0.5), ("Referral", 2, 2, 1.0),
                                    ("unknown channel", 0, 1, 0.0)]
    assert figures["by_week"] == [("Week 2, 2026", 1, 2, 0.5), ("Week 3, 2026", 2, 3, 2 / 3)]


def test_a_week_that_moves_the_clocks_ends_at_mondays_midnight_on_the_new_time(clean_app, day):
    # Kyiv moves to UTC+3 on Sunday 29 March 2026: that Monday starts at 21:00 UTC, not 22:00
    outcomes = [("arrived", "Referral", datetime(2026, 3, 24, 9, 0, tzinfo=UTC)),    # Tue, W13 (UTC+2)
                ("arrived", "Referral", datetime(2026, 3, 29, 20, 30, tzinfo=UTC)),  # Sun 23:30 (UTC+3), W13
                ("no_show", "Referral", datetime(2026, 3, 29, 21, 30, tzinfo=UTC)),  # Mon 00:30, W14
                ("arrived", "Referral", datetime(2026, 4, 6, 8, 0, tzinfo=UTC))]     # W15
    figures = _figures(clean_app, day, outcomes)
    assert figures["by_week"] == [("Week 13, 2026", 2, 2, 1.0), ("Week 14, 2026", 0, 1, 0.0),
                                  ("Week 15, 2026", 1, 1, 1.0)]


def _figures(clean_app, day, outcomes):
    """The report's figures after these (state, channel, moment) outcomes, in Kyiv's zone."""
    with clean_app.test_request_context("/"):
        get_settings().timezone = "Europe/Kyiv"
        recruiter = db.session.get(User, day["recruiter"])
        session = sessions.create_session(kind="stream", title="Day", vacancy=db.session.get(Vacancy, day["vacancy"]),
                                          day=day["day"], start=time(10), end=time(12), place="Room",
                                          interviewers=[sessions.InterviewerHours(day["interviewer"])],
                                          created_by=recruiter)
        booked = bookings.book(session, [(app, 0) for app in day["apps"][:len(outcomes)]], None, recruiter).invited
        for booking, (state, source, at) in zip(booked, outcomes, strict=True):
            booking.state, booking.source, booking.outcome_at = state, source, at
        db.session.flush()
        assert db.session.scalar(sa.select(sa.func.count(Booking.id))) == len(outcomes)
        figures = reports.summary()
    return figures


def test_the_interview_days_figures_count_the_days_that_are_over(clean_app, day):
    """Interviews held, per interviewer-hour, idle seats and the waits, to the
    microsecond: days that are over only, a cancelled one left out."""
    from datetime import timedelta

    from recruit.interviews.models import InterviewSession
    from recruit.utc import utcnow
    from tests.worlds.interviews import move_day

    with clean_app.test_request_context("/"):
        recruiter = db.session.get(User, day["recruiter"])
        vacancy = db.session.get(Vacancy, day["vacancy"])
        apps = iter(day["apps"])

        def held_day(start, end, title, when=day["day"]):
            return sessions.create_session(kind="stream", title=title, vacancy=vacancy, day=when, start=time(start),
                                           end=time(end), place="Room", created_by=recruiter,
                                           interviewers=[sessions.InterviewerHours(day["interviewer"])])

        outcomes = []

        def booked(session, slot, state="arrived", arrived=None, seen=None, walk_in=False):
            booking = bookings.book(session, [(next(apps), slot)], None, recruiter).invited[0]
            outcomes.append((booking, state, arrived, seen, walk_in))

        minutes = lambda m, s=0, us=0: timedelta(minutes=m, seconds=s, microseconds=us)  # noqa: E731
        morning = held_day(10, 12, "Morning")              # 4 slots of 30 minutes, 2 seats each, 2 hours
        for slot in morning.slots:
            slot.capacity = 2
        booked(morning, 0, arrived=minutes(-5), seen=minutes(7, 30, 250000))        # waited 7.5041(6) min
        booked(morning, 1, arrived=minutes(10), seen=minutes(11, 0, 1))              # 1.0000000166 min
        booked(morning, 2, arrived=minutes(5))                                       # not sent in: no wait
        booked(morning, 3, arrived=minutes(-10), seen=minutes(-20))                  # seen before: 0
        booked(morning, 0, state="no_show")
        afternoon = held_day(14, 15, "Afternoon")           # 2 slots, no seats: more came than it had
        for slot in afternoon.slots:
            slot.capacity = 0
        booked(afternoon, 0, arrived=minutes(2, 3, 500000), seen=minutes(12, 3, 500000))  # 10 min
        booked(afternoon, 1, arrived=minutes(1), seen=minutes(3), walk_in=True)      # no slot: no wait
        cancelled = held_day(16, 17, "Cancelled")
        booked(cancelled, 0, arrived=minutes(0), seen=minutes(50))
        ahead = held_day(10, 11, "Ahead", when=day["day"] + timedelta(days=1))       # not over yet
        booked(ahead, 0, arrived=minutes(0), seen=minutes(40))
        db.session.flush()
        for session in (morning, afternoon, cancelled):
            move_day(session, timedelta(days=-10))
        cancelled.cancelled_at = utcnow()
        for booking, state, arrived, seen, walk_in in outcomes:  # the times of the day where it now lies
            slot_start = booking.slot.starts_at
            booking.state = state
            booking.arrived_at = slot_start + arrived if arrived is not None else None
            booking.seen_at = slot_start + seen if seen is not None else None
            if walk_in:
                booking.slot = None
        db.session.flush()
        assert db.session.query(InterviewSession).count() == 4
        figures = reports.summary()
    assert figures["interviews"] == 6                        # 4 in the morning, 2 in the afternoon
    assert figures["interviewer_hours"] == 3.0 and figures["per_hour"] == 2.0
    assert figures["idle_minutes"] == 120.0                 # the morning's 4 empty seats of 30 minutes
    waits = sorted([0.0, 60.000001 / 60, 450.25 / 60, 10.0])
    assert figures["mean_wait"] == pytest.approx(sum(waits) / 4, rel=1e-12, abs=0)
    assert figures["p95_wait"] == 10.0
