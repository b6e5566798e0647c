"""Interview sessions (stream days and group sittings), their interviewers and
slots, bookings of candidates, and interview scorecards.

The caps live in the database: a slot's `booked` count can never pass its
`invite_cap` (CHECK), and a candidate can hold one live booking only (a
partial unique index), so two recruiters booking at once cannot overfill a
slot or double-book a person, whatever the application code does."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recruit.extensions import db, one_of
from recruit.utc import UTCDateTime, utcnow

SESSION_KINDS = ("stream", "group")
BOOKING_STATES = ("waitlisted", "invited", "confirmed", "declined", "arrived", "no_show", "cancelled")
LIVE_STATES = ("waitlisted", "invited", "confirmed")
HOLDS_SEAT = ("invited", "confirmed", "arrived")
# what a recruiter's call the day before ends in (interviews/calls.py)
CALL_OUTCOMES = ("confirmed", "declined", "no_answer", "call_back")


class InterviewSession(db.Model):
    __tablename__ = "interview_sessions"
    __table_args__ = (
        sa.CheckConstraint(one_of("kind", SESSION_KINDS), name="valid_kind"),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("slot_minutes BETWEEN 5 AND 480", name="slot_length"),
        sa.CheckConstraint("seats >= 0", name="seats_not_negative"),
        sa.Index("ix_interview_sessions_day", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(8))
    title: Mapped[str] = mapped_column(sa.String(160))
    vacancy_id: Mapped[int | None] = mapped_column(sa.ForeignKey("vacancies.id", ondelete="SET NULL"), index=True)
    day: Mapped[date]
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    slot_minutes: Mapped[int] = mapped_column(default=30)
    seats: Mapped[int] = mapped_column(default=0)
    place: Mapped[str] = mapped_column(sa.String(200), default="")
    directions: Mapped[str] = mapped_column(sa.Text, default="")
    video_link: Mapped[str] = mapped_column(sa.String(500), default="")
    receptionist_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # raised with every change of one of the day's bookings (interviews/versions.py)
    desk_version: Mapped[int] = mapped_column(default=0, server_default="0")

    vacancy = relationship("Vacancy", lazy="joined")
    receptionist = relationship("User", foreign_keys=[receptionist_id], lazy="joined")
    interviewers: Mapped[list[SessionInterviewer]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="SessionInterviewer.id", lazy="selectin")
    slots: Mapped[list[Slot]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="Slot.index", lazy="selectin")

    @property
    def is_remote(self) -> bool:
        return bool(self.video_link)


class SessionInterviewer(db.Model):
    """An interviewer's working hours in one session."""

    __tablename__ = "session_interviewers"
    __table_args__ = (
        sa.UniqueConstraint("session_id", "user_id", name="uq_session_interviewers_session_user"),
        sa.CheckConstraint("ends_at > starts_at", name="hours_ordered"),
        sa.Index("ix_session_interviewers_user_time", "user_id", "starts_at", "ends_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("interview_sessions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)

    session: Mapped[InterviewSession] = relationship(back_populates="interviewers")
    user = relationship("User", lazy="joined")


class InterviewerCalendar(db.Model):
    """The calendar entry an interviewer has for one day: its UID and the
    SEQUENCE last sent. Kept apart from their hours, which go when they are
    taken off the day, so a later REQUEST (put back on) still outranks the
    CANCEL their calendar already has."""

    __tablename__ = "interviewer_calendars"
    __table_args__ = (sa.CheckConstraint("sequence >= 0", name="sequence_not_negative"),)

    session_id: Mapped[int] = mapped_column(sa.ForeignKey("interview_sessions.id", ondelete="CASCADE"),
                                            primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    uid: Mapped[str] = mapped_column(sa.String(255))
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")


class Slot(db.Model):
    """A stream slot, or the one sitting of a group session. `capacity` is the
    number of interviewers (or seats); `invite_cap` is how many may hold an
    invitation, from the overbooking plan."""

    __tablename__ = "slots"
    __table_args__ = (
        sa.UniqueConstraint("session_id", "index", name="uq_slots_session_index"),
        sa.CheckConstraint("booked >= 0", name="booked_not_negative"),
        sa.CheckConstraint("booked <= invite_cap", name="cap_respected"),
        sa.CheckConstraint("capacity >= 0", name="capacity_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("interview_sessions.id", ondelete="CASCADE"))
    index: Mapped[int]
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    capacity: Mapped[int] = mapped_column(default=1)
    invite_cap: Mapped[int] = mapped_column(default=1)
    booked: Mapped[int] = mapped_column(default=0)

    session: Mapped[InterviewSession] = relationship(back_populates="slots")


class Booking(db.Model):
    __tablename__ = "bookings"
    __table_args__ = (
        sa.CheckConstraint(one_of("state", BOOKING_STATES), name="valid_state"),
        sa.Index("uq_bookings_one_live_per_candidate", "candidate_id", unique=True,
                 sqlite_where=sa.text(one_of("state", LIVE_STATES)),
                 postgresql_where=sa.text(one_of("state", LIVE_STATES))),
        sa.Index("ix_bookings_session_state", "session_id", "state"),
        sa.Index("ix_bookings_slot", "slot_id"),
        sa.Index("ix_bookings_outcomes", "state", "outcome_at"),
        sa.Index("ix_bookings_session_desk_version", "session_id", "desk_version"),
        # a candidate's page and a pipeline page read their people's bookings in every state
        sa.Index("ix_bookings_candidate", "candidate_id"),
        sa.Index("ix_bookings_application", "application_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # the values a change replaces are kept (active_history) even when the change lands on an expired
    # booking: the day it leaves and an outcome undone are versioned too (interviews/versions.py)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("interview_sessions.id", ondelete="CASCADE"),
                                            active_history=True)
    slot_id: Mapped[int | None] = mapped_column(sa.ForeignKey("slots.id", ondelete="SET NULL"))
    candidate_id: Mapped[int] = mapped_column(sa.ForeignKey("candidates.id", ondelete="CASCADE"))
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("applications.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(sa.String(12), default="invited", active_history=True)
    waitlist_position: Mapped[int | None]
    predicted_show: Mapped[float] = mapped_column(default=0.2)
    source: Mapped[str] = mapped_column(sa.String(80), default="")
    lead_days: Mapped[float] = mapped_column(default=0.0)
    ever_confirmed: Mapped[bool] = mapped_column(default=False)
    token_version: Mapped[int] = mapped_column(default=1)
    ics_sequence: Mapped[int] = mapped_column(default=0)
    # the calendar entry's UID, written when it is first sent: the candidate's calendar matches every
    # update and cancellation to it, even after the installation's address (EXTERNAL_URL) changed
    ics_uid: Mapped[str | None] = mapped_column(sa.String(255))
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    arrived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    interviewer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # the day's desk_version when this booking last changed: the screen asks for the rows past its version
    desk_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # called off with its whole day (not by a recruiter for this one person): its candidate may pick another day
    cancelled_with_day: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    session: Mapped[InterviewSession] = relationship(lazy="joined")
    slot: Mapped[Slot | None] = relationship(lazy="joined")
    candidate = relationship("Candidate", lazy="joined")
    application = relationship("Application", lazy="joined")
    interviewer = relationship("User", foreign_keys=[interviewer_id], lazy="joined")


class Scorecard(db.Model):
    __tablename__ = "scorecards"
    __table_args__ = (
        sa.UniqueConstraint("booking_id", "interviewer_id", name="uq_scorecards_booking_interviewer"),
        sa.CheckConstraint("motivation BETWEEN 1 AND 5 AND competence BETWEEN 1 AND 5 AND adequacy BETWEEN 1 AND 5",
                           name="scores_1_to_5"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(sa.ForeignKey("bookings.id", ondelete="CASCADE"), index=True)
    interviewer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    motivation: Mapped[int]
    competence: Mapped[int]
    adequacy: Mapped[int]
    note: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    booking: Mapped[Booking] = relationship(lazy="joined")
    interviewer = relationship("User", lazy="joined")
    criteria: Mapped[list[CriterionScore]] = relationship(
        order_by="CriterionScore.position", cascade="all, delete-orphan", lazy="selectin")


class KitCriterion(db.Model):
    """One criterion of a vacancy's structured interview kit, with what a 1 and
    a 5 look like, so every interviewer scores the same thing the same way."""

    __tablename__ = "kit_criteria"
    __table_args__ = (sa.UniqueConstraint("vacancy_id", "name", name="uq_kit_criteria_vacancy_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(sa.ForeignKey("vacancies.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(sa.String(120))
    question: Mapped[str] = mapped_column(sa.Text, default="")
    low: Mapped[str] = mapped_column(sa.Text, default="")
    high: Mapped[str] = mapped_column(sa.Text, default="")


class CriterionScore(db.Model):
    """A scorecard's score on one kit criterion. The criterion's name is kept
    with the score, so a kit edited later does not rewrite what was judged."""

    __tablename__ = "criterion_scores"
    __table_args__ = (
        sa.UniqueConstraint("scorecard_id", "name", name="uq_criterion_scores_card_name"),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name="criterion_score_1_to_5"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scorecard_id: Mapped[int] = mapped_column(sa.ForeignKey("scorecards.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int | None] = mapped_column(sa.ForeignKey("kit_criteria.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(sa.String(120))
    score: Mapped[int]


class CallAttempt(db.Model):
    """One call to a booked candidate in the round before the day. Every
    attempt is kept, not only the last: a third "no answer" says more than
    one, and who called when is what the next caller asks. `tap` is the
    form's one-time mark, so a double tap (or the same form sent twice from
    a bad connection) records one call."""

    __tablename__ = "call_attempts"
    __table_args__ = (
        sa.CheckConstraint(one_of("outcome", CALL_OUTCOMES), name="valid_outcome"),
        sa.CheckConstraint("outcome <> 'call_back' OR call_back_at IS NOT NULL", name="call_back_has_time"),
        sa.UniqueConstraint("booking_id", "tap", name="uq_call_attempts_booking_tap"),
        sa.Index("ix_call_attempts_booking_called", "booking_id", "called_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(sa.ForeignKey("bookings.id", ondelete="CASCADE"))
    outcome: Mapped[str] = mapped_column(sa.String(12))
    note: Mapped[str] = mapped_column(sa.String(200), default="")
    call_back_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    called_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    called_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    tap: Mapped[str] = mapped_column(sa.String(32))

    called_by = relationship("User", lazy="joined")


class InterviewStamp(db.Model):
    """One row per process-wide cache the database invalidates: a process keeps
    what it read with the stamp it read, and reads again when the stamp moved
    ('show_rate_model': a new value with every change of a recorded outcome)."""

    __tablename__ = "interview_stamps"

    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    value: Mapped[int] = mapped_column(sa.BigInteger, default=0, server_default="0")


class ScorecardReminder(db.Model):
    """An interviewer was reminded of the scorecard missing for an interview
    they held. The unique pair is what makes it once per missing scorecard:
    the nightly job, the button and a second worker all insert here first."""

    __tablename__ = "scorecard_reminders"
    __table_args__ = (
        sa.UniqueConstraint("booking_id", "interviewer_id", name="uq_scorecard_reminders_booking_interviewer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(sa.ForeignKey("bookings.id", ondelete="CASCADE"))
    interviewer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
