"""The interview report's figures: show-up by channel and by week, the week
read in the organisation's time zone."""

from datetime import UTC, datetime, time

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
