"""The interviews' periodic jobs, declared in one list that `create_app`
registers (`JOBS`)."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from recruit import audit, jobs
from recruit.extensions import db
from recruit.interviews import scorecard_reminders
from recruit.interviews.models import Booking, InterviewSession, Slot
from recruit.mail import cancel_pending
from recruit.organisation.services import get_settings
from recruit.utc import utcnow


def mark_no_shows(now: datetime | None = None) -> int:
    """Invitations not checked in by the end of their slot plus the grace
    period are no-shows; they feed the show-rate model."""
    now = now or utcnow()
    grace = timedelta(minutes=get_settings().no_show_grace_minutes)
    late = db.session.scalars(
        sa.select(Booking).join(Slot, Booking.slot_id == Slot.id)
        .where(Booking.state.in_(("invited", "confirmed")), Slot.ends_at < now - grace)).unique().all()
    for booking in late:
        booking.state = "no_show"
        booking.outcome_at = booking.slot.starts_at
        cancel_pending(booking, "interview.reminder")
        audit.record("booking.no_show", booking, actor_id=None)
    waitlisted = db.session.scalars(
        sa.select(Booking).join(InterviewSession).where(Booking.state == "waitlisted",
                                                        InterviewSession.ends_at < now)).unique().all()
    for booking in waitlisted:
        booking.state = "cancelled"
        booking.waitlist_position = None
    return len(late)


JOBS = [
    jobs.Job("interviews.no_shows", mark_no_shows, every_seconds=300),
    # hourly: from 08:00 in the organisation's zone, the scorecards missing from the days before
    jobs.Job("interviews.scorecard_reminders", scorecard_reminders.remind_next_morning, every_seconds=3600),
]
