"""Interview days: sessions, their interviewers and hours, their slots, and
the days to come."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, lazyload

from recruit import audit
from recruit.auth.models import User
from recruit.auth.services import active_people, person_with_role
from recruit.extensions import db
from recruit.interviews import overbooking, preferences
from recruit.interviews.errors import InterviewError
from recruit.interviews.models import LIVE_STATES, Booking, InterviewSession, SessionInterviewer, Slot
from recruit.interviews.notifications import ADDED, HOURS, REMOVED, notify_interviewer, notify_interviewers
from recruit.interviews.planning import overall_rate
from recruit.organisation.services import get_settings, zone
from recruit.utc import utcnow
from recruit.vacancies.models import Vacancy

INTERVIEWER_ROLES = ("admin", "recruiter", "hiring_manager", "mentor")
BOARD_STATES = ("invited", "confirmed", "arrived", "no_show", "declined", "waitlisted")


def local_datetime(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=zone())


def _lock_user(user_id: int) -> None:
    """Serialise schedule changes per interviewer on PostgreSQL (SQLite has one writer anyway)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.select(User.id).where(User.id == user_id).with_for_update())



def _free_hours(user: User, day: date, start: time | None, end: time | None, day_starts: datetime,
                day_ends: datetime, session_id: int | None) -> tuple[datetime, datetime]:
    """An interviewer's hours on the day, within the day's own, checked free
    of their other days (the person's row is locked first, so two planners
    cannot both give them the same hour)."""
    work_start = local_datetime(day, start) if start else day_starts
    work_end = local_datetime(day, end) if end else day_ends
    work_start, work_end = max(work_start, day_starts), min(work_end, day_ends)
    if work_end <= work_start:
        raise InterviewError(_("%(name)s's hours fall outside the day.", name=user.full_name))
    _lock_user(user.id)
    clash = busy_elsewhere(user.id, work_start, work_end, except_session=session_id)
    if clash is not None:
        raise InterviewError(_("%(name)s already interviews in “%(other)s” at that time.",
                               name=user.full_name, other=clash.title))
    return work_start, work_end

def busy_elsewhere(user_id: int, starts_at: datetime, ends_at: datetime, *, except_session: int | None = None):
    stmt = (sa.select(InterviewSession).join(SessionInterviewer)
            .where(SessionInterviewer.user_id == user_id, SessionInterviewer.starts_at < ends_at,
                   SessionInterviewer.ends_at > starts_at, InterviewSession.cancelled_at.is_(None)))
    if except_session is not None:
        stmt = stmt.where(InterviewSession.id != except_session)
    return db.session.scalars(stmt).first()


@dataclass
class InterviewerHours:
    user_id: int
    start: time | None = None
    end: time | None = None


def create_session(*, kind: str, title: str, vacancy: Vacancy | None, day: date, start: time, end: time,
                   slot_minutes: int = 30, seats: int = 0, place: str = "", directions: str = "",
                   video_link: str = "", receptionist_id: int | None = None,
                   interviewers: Sequence[InterviewerHours], created_by: User) -> InterviewSession:
    if kind not in ("stream", "group"):
        raise InterviewError(_("Choose a stream or a group interview."))
    starts_at, ends_at = local_datetime(day, start), local_datetime(day, end)
    if ends_at <= starts_at:
        raise InterviewError(_("The day ends after it starts."))
    if starts_at < utcnow() - timedelta(hours=12):
        raise InterviewError(_("Plan interview days from today on."))
    if not interviewers:
        raise InterviewError(_("Name at least one interviewer."))
    if kind == "stream" and not 5 <= slot_minutes <= 240:
        raise InterviewError(_("A slot lasts 5 to 240 minutes."))
    if kind == "stream" and (ends_at - starts_at) < timedelta(minutes=slot_minutes):
        raise InterviewError(_("The day is shorter than one slot."))
    if kind == "group" and not 1 <= seats <= 200:
        raise InterviewError(_("A group sitting has 1 to 200 seats."))
    if not (place.strip() or video_link.strip()):
        raise InterviewError(_("Give the place (with directions) or a video-call link."))
    if video_link and not video_link.startswith(("https://", "http://")):
        raise InterviewError(_("The video-call link starts with https://"))
    if vacancy is not None and vacancy.state != "open":
        raise InterviewError(_("Interviews are for open vacancies."))
    if receptionist_id and person_with_role(receptionist_id, "receptionist") is None:
        raise InterviewError(_("The front desk is kept by an active receptionist."))
    session = InterviewSession(
        kind=kind, title=title.strip() or (vacancy.position if vacancy else _("Interviews")),
        vacancy_id=vacancy.id if vacancy else None, day=day, starts_at=starts_at, ends_at=ends_at,
        slot_minutes=slot_minutes if kind == "stream" else int((ends_at - starts_at).total_seconds() // 60),
        seats=seats if kind == "group" else 0, place=place.strip(), directions=directions.strip(),
        video_link=video_link.strip(), receptionist_id=receptionist_id, created_by_id=created_by.id)
    db.session.add(session)
    db.session.flush()
    for hours in interviewers:
        user = db.session.get(User, hours.user_id)
        if user is None or not user.active or not user.has_role(*INTERVIEWER_ROLES):
            raise InterviewError(_("Interviewers are active staff (recruiters, managers, mentors, admins)."))
        work_start, work_end = _free_hours(user, day, hours.start, hours.end, starts_at, ends_at, session.id)
        session.interviewers.append(SessionInterviewer(user_id=user.id, starts_at=work_start, ends_at=work_end))
    db.session.flush()
    _build_slots(session)
    audit.record("interview_session.create", session, actor_id=created_by.id, kind=kind,
                 day=day.isoformat(), interviewers=[h.user_id for h in interviewers])
    notify_interviewers(session, ADDED)
    return session


def _build_slots(session: InterviewSession) -> None:
    if session.kind == "group":
        alpha, beta = overall_rate()
        weights = preferences.weights_for("group", get_settings().planning_preference)
        cap = overbooking.plan_invites(session.seats, alpha, beta, reward=weights.reward,
                                       overflow_cost=weights.overflow_cost)
        session.slots.append(Slot(index=0, starts_at=session.starts_at, ends_at=session.ends_at,
                                  capacity=session.seats, invite_cap=cap, booked=0))
        db.session.flush()
        return
    length = timedelta(minutes=session.slot_minutes)
    count = int((session.ends_at - session.starts_at) / length)
    for index in range(count):
        start = session.starts_at + index * length
        working = sum(1 for i in session.interviewers if i.starts_at <= start and i.ends_at >= start + length)
        session.slots.append(Slot(index=index, starts_at=start, ends_at=start + length, capacity=working,
                                  invite_cap=working, booked=0))
    db.session.flush()


def set_interviewer_hours(session: InterviewSession, user_id: int, start: time | None, end: time | None,
                          by: User, *, remove: bool = False) -> SessionInterviewer | None:
    """Add an interviewer to a day (no times: the whole day), change their
    hours, or take them off it (`remove`); slot capacities follow, and their
    calendar with them. A second click of either button changes nothing more:
    taking off someone already off is nothing, adding someone already on
    with the same hours is nothing."""
    if session.cancelled_at is not None:
        raise InterviewError(_("This interview day was cancelled."))
    user = db.session.get(User, user_id)
    if user is None or not user.active or not user.has_role(*INTERVIEWER_ROLES):
        raise InterviewError(_("Interviewers are active staff (recruiters, managers, mentors, admins)."))
    item = next((i for i in session.interviewers if i.user_id == user_id), None)
    if remove:
        if item is None:
            return None
        if len(session.interviewers) == 1:
            raise InterviewError(_("A day needs at least one interviewer."))
        session.interviewers.remove(item)
        db.session.flush()
        _refresh_capacities(session)
        audit.record("interview_session.interviewer_removed", session, actor_id=by.id, user=user_id)
        notify_interviewer(session, user, REMOVED, item.starts_at, item.ends_at)
        return item
    work_start, work_end = _free_hours(user, session.day, start, end, session.starts_at, session.ends_at, session.id)
    if item is not None and (item.starts_at, item.ends_at) == (work_start, work_end):
        return item  # the same hours saved again: nothing changed, nothing to tell
    change = ADDED if item is None else HOURS
    if item is None:
        item = SessionInterviewer(user_id=user.id, starts_at=work_start, ends_at=work_end)
        session.interviewers.append(item)
    else:
        item.starts_at, item.ends_at = work_start, work_end
    db.session.flush()
    _refresh_capacities(session)
    audit.record("interview_session.interviewer_hours", session, actor_id=by.id, user=user_id,
                 start=work_start.isoformat(), end=work_end.isoformat())
    notify_interviewer(session, user, change, work_start, work_end)
    return item


def _refresh_capacities(session: InterviewSession) -> None:
    if session.kind != "stream":
        return
    for slot in session.slots:
        slot.capacity = sum(1 for i in session.interviewers if i.starts_at <= slot.starts_at and
                            i.ends_at >= slot.ends_at)
        slot.invite_cap = max(slot.invite_cap, slot.capacity, slot.booked)
    db.session.flush()


def live_bookings(session: InterviewSession) -> list[Booking]:
    return list(db.session.scalars(sa.select(Booking).where(Booking.session_id == session.id,
                                                            Booking.state.in_(LIVE_STATES))))


def bookings_of(session: InterviewSession) -> list[Booking]:
    return list(db.session.scalars(
        sa.select(Booking).where(Booking.session_id == session.id)
        .order_by(Booking.slot_id.is_(None), Booking.slot_id, Booking.waitlist_position, Booking.id)).unique())


def upcoming_sessions(*, vacancy: Vacancy | None = None, interviewer: User | None = None,
                      day: date | None = None, include_past_days: int = 0) -> list[InterviewSession]:
    since = utcnow() - timedelta(days=include_past_days, hours=12)
    stmt = sa.select(InterviewSession).where(InterviewSession.ends_at >= since,
                                             InterviewSession.cancelled_at.is_(None))
    if vacancy is not None:
        stmt = stmt.where(sa.or_(InterviewSession.vacancy_id == vacancy.id, InterviewSession.vacancy_id.is_(None)))
    if interviewer is not None:
        stmt = stmt.where(InterviewSession.id.in_(
            sa.select(SessionInterviewer.session_id).where(SessionInterviewer.user_id == interviewer.id)))
    if day is not None:
        stmt = stmt.where(InterviewSession.day == day)
    return list(db.session.scalars(stmt.order_by(InterviewSession.starts_at)).unique())


def days_ahead(vacancy: Vacancy) -> list[InterviewSession]:
    """The days a vacancy's candidates can still be invited to (not yet over)."""
    now = utcnow()
    return [s for s in upcoming_sessions(vacancy=vacancy) if s.ends_at > now]


# --- what the planning forms offer ---------------------------------------------------------

def open_vacancies() -> list[Vacancy]:
    return list(db.session.scalars(sa.select(Vacancy).where(Vacancy.state == "open").order_by(Vacancy.position)))


def chosen_vacancy(vacancy_id: int | None) -> Vacancy | None:
    """The vacancy a new day is for; None for a day open to any vacancy."""
    return db.session.get(Vacancy, vacancy_id) if vacancy_id else None


def possible_interviewers() -> list[User]:
    return [u for u in active_people() if u.has_role(*INTERVIEWER_ROLES)]


def possible_receptionists() -> list[User]:
    return [u for u in active_people() if u.has_role("receptionist")]


# --- the day's page ----------------------------------------------------------------------

def bookings_by_slot(bookings: Sequence[Booking]) -> dict[int | None, list[Booking]]:
    """Slot id -> its bookings; the waiting list under None."""
    by_slot: dict[int | None, list[Booking]] = {}
    for booking in bookings:
        key = booking.slot_id if booking.state != "waitlisted" else None
        by_slot.setdefault(key, []).append(booking)
    return by_slot


def state_counts(bookings: Sequence[Booking]) -> dict[str, int]:
    return {state: sum(1 for b in bookings if b.state == state) for state in BOARD_STATES}


# The day as the front desk and the planner need it, in the statement that reads it: its slots
# and interviewers joined, not the vacancy's graph.
DAY_WITH_SLOTS = (lazyload(InterviewSession.vacancy), lazyload(InterviewSession.receptionist),
                  joinedload(InterviewSession.slots),
                  joinedload(InterviewSession.interviewers).joinedload(SessionInterviewer.user).lazyload(User.role_rows))


DAY_TO_PLAN = (sa.select(InterviewSession).where(InterviewSession.id == sa.bindparam("day"))
               .options(lazyload(InterviewSession.vacancy), lazyload(InterviewSession.receptionist),
                        joinedload(InterviewSession.slots), lazyload(InterviewSession.interviewers)))


def day_to_plan(session_id: int) -> InterviewSession | None:
    """The day with its slots only, what the planner reads (its interviewers
    joined would multiply the slots' rows); the statement is built once."""
    return db.session.scalars(DAY_TO_PLAN, {"day": session_id}).unique().first()


def day_with_slots(session_id: int) -> InterviewSession | None:
    """The day with its slots and interviewers, in one statement (a view's
    `load` then finds it without another query)."""
    return db.session.scalars(
        sa.select(InterviewSession).where(InterviewSession.id == session_id).options(*DAY_WITH_SLOTS)
        .execution_options(populate_existing=True)).unique().first()
