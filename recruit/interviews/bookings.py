"""Bookings: inviting from a plan with database-enforced caps and a
waitlist, the candidate's confirm, decline and reschedule, cancelling a
booking or a whole day, and freed seats offered to the waitlist."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import LazyString, format_datetime, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from recruit import audit
from recruit.auth.models import User
from recruit.extensions import db
from recruit.interviews.eligibility import eligible
from recruit.interviews.errors import InterviewError
from recruit.interviews.models import HOLDS_SEAT, LIVE_STATES, Booking, InterviewSession, Slot
from recruit.interviews.notifications import (
    DAY_CALLED_OFF,
    _send_cancellation,
    _send_decline_receipt,
    _send_invitation,
    _send_waitlist_cancellation,
    _send_waitlist_notice,
    notify_interviewers,
)
from recruit.interviews.planning import show_probability
from recruit.interviews.sessions import live_bookings
from recruit.mail import cancel_pending
from recruit.utc import utcnow
from recruit.vacancies import candidates as candidate_services
from recruit.vacancies.models import Application
from recruit.vacancies.pipeline import CLOSED, STAGE_INDEX

# a lazy string: each candidate reads it in their own language
DAY_CANCELLED = _l("The interview day was cancelled.")


@dataclass
class BookingResult:
    invited: list[Booking] = field(default_factory=list)
    waitlisted: list[Booking] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _take_seat(slot_id: int) -> bool:
    """The database decides: the conditional UPDATE takes a seat only while the
    slot is under its cap, and the CHECK constraint backs it up."""
    taken = db.session.execute(
        sa.update(Slot).where(Slot.id == slot_id, Slot.booked < Slot.invite_cap)
        .values(booked=Slot.booked + 1).execution_options(synchronize_session=False)).rowcount
    return bool(taken)


def _free_seat(slot_id: int) -> None:
    db.session.execute(sa.update(Slot).where(Slot.id == slot_id, Slot.booked > 0)
                       .values(booked=Slot.booked - 1).execution_options(synchronize_session=False))


def book(session: InterviewSession, assignment: Sequence[tuple[int, int]], base: Sequence[int] | None,
         by: User, *, planned: Sequence[int] | None = None, override_reason: str = "",
         waitlist: Sequence[int] = ()) -> BookingResult:
    """Invite each (application id, slot index). The plan raises a slot's cap to
    what was booked when the plan was made plus what it assigns there, so two
    recruiters planning from the same picture cannot both fill the same seats:
    whoever comes second finds the slot full and their candidates join the
    waitlist in order. With the planner's numbers (`planned`, from the signed
    picture) a slot's cap rises by at most the planner's number, unless the
    recruiter overrides the planner with a reason (audited). `waitlist`: the
    application ids the recruiter puts on the day's waiting list from the
    planner (no slot of their own: a freed seat anywhere on the day is offered
    to them in turn), told so by e-mail."""
    if session.cancelled_at is not None:
        raise InterviewError(_("This interview day was cancelled."))
    result = BookingResult()
    slots = {slot.index: slot for slot in session.slots}
    if any(index not in slots for _app_id, index in assignment):
        raise InterviewError(_("No such slot."))
    wanted = [a for a, _ in assignment] + [a for a in waitlist if a not in {a for a, _ in assignment}]
    applications = {a.id: a for a in db.session.scalars(
        sa.select(Application).where(Application.id.in_(wanted))).unique()}
    ok, problems = eligible(list(applications.values()), session)
    result.skipped.extend(problems)
    allowed = {a.id for a in ok}
    to_waitlist = [applications[a] for a in dict.fromkeys(waitlist) if a in allowed]
    now = utcnow()
    todo = []
    for app_id, index in assignment:
        if app_id not in allowed:
            continue
        if slots[index].starts_at <= now:
            result.skipped.append(_("%(name)s: that slot has started.", name=applications[app_id].candidate.full_name))
            continue
        todo.append((applications[app_id], slots[index]))
    assigned: dict[int, int] = {}
    for _application, slot in todo:
        assigned[slot.index] = assigned.get(slot.index, 0) + 1
    overridden: dict[str, dict[str, int]] = {}
    for index, count in assigned.items():
        allowed = count
        if planned is not None and index < len(planned) and count > planned[index]:
            if override_reason.strip():
                overridden[str(index)] = {"planned": planned[index], "assigned": count}
            else:
                allowed = planned[index]
                result.skipped.append(ngettext(
                    "%(time)s: %(num)d more than the planner proposes joins the waiting list.",
                    "%(time)s: %(num)d more than the planner proposes join the waiting list.",
                    count - allowed, time=format_datetime(slots[index].starts_at, "HH:mm")))
        floor = (base[index] if base is not None and index < len(base) else slots[index].booked) + allowed
        db.session.execute(sa.update(Slot).where(Slot.id == slots[index].id, Slot.invite_cap < floor)
                           .values(invite_cap=floor).execution_options(synchronize_session=False))
    if overridden:
        audit.record("interview_session.plan_override", session, actor_id=by.id, reason=override_reason.strip(),
                     slots=overridden)
    for application, slot in todo:
        index = slot.index
        try:
            with db.session.begin_nested():
                seated = _take_seat(slot.id)
                booking = Booking(
                    session_id=session.id, slot_id=slot.id, candidate_id=application.candidate_id,
                    application_id=application.id, state="invited" if seated else "waitlisted",
                    predicted_show=show_probability(application, session, slot.starts_at),
                    source=application.candidate.source or "",
                    lead_days=max((slot.starts_at - now).total_seconds() / 86400.0, 0.0), created_by_id=by.id)
                if not seated:
                    booking.waitlist_position = _next_waitlist_position(session)
                db.session.add(booking)
                db.session.flush()
        except IntegrityError:
            result.skipped.append(_("%(name)s already has an interview booked.", name=application.candidate.full_name))
            continue
        if seated:
            _advance(application, "invited")
            _send_invitation(booking)
            result.invited.append(booking)
        else:
            _send_waitlist_notice(booking)
            result.waitlisted.append(booking)
        audit.record("booking.create", booking, actor_id=by.id, state=booking.state, slot=index,
                     predicted_show=round(booking.predicted_show, 3))
    for application in to_waitlist:
        _put_on_waitlist(session, application, by, result, now)
    db.session.flush()
    for slot in session.slots:
        db.session.refresh(slot)
    return result


def _put_on_waitlist(session: InterviewSession, application: Application, by: User, result: BookingResult,
                     now: datetime) -> None:
    """A waiting-list place on the day without a slot of its own, chosen by the recruiter."""
    try:
        with db.session.begin_nested():
            booking = Booking(
                session_id=session.id, slot_id=None, candidate_id=application.candidate_id,
                application_id=application.id, state="waitlisted", waitlist_position=_next_waitlist_position(session),
                predicted_show=show_probability(application, session, session.starts_at),
                source=application.candidate.source or "",
                lead_days=max((session.starts_at - now).total_seconds() / 86400.0, 0.0), created_by_id=by.id)
            db.session.add(booking)
            db.session.flush()
    except IntegrityError:
        result.skipped.append(_("%(name)s already has an interview booked.", name=application.candidate.full_name))
        return
    _send_waitlist_notice(booking)
    result.waitlisted.append(booking)
    audit.record("booking.create", booking, actor_id=by.id, state="waitlisted", slot=None,
                 predicted_show=round(booking.predicted_show, 3), chosen_by="recruiter")


def _next_waitlist_position(session: InterviewSession) -> int:
    top = db.session.scalar(sa.select(sa.func.max(Booking.waitlist_position)).where(Booking.session_id == session.id))
    return (top or 0) + 1


def _advance(application: Application, stage: str) -> None:
    """Move forward only: a candidate already further along stays where they are."""
    if application.stage in CLOSED or application.stage == "hired":
        return
    if STAGE_INDEX.get(application.stage, 0) < STAGE_INDEX[stage]:
        candidate_services.move(application, stage)


# --- changes to a booking -----------------------------------------------------------------

def _lock(booking: Booking) -> Booking:
    """Take the booking's row before deciding from its state, and read it fresh:
    two desk screens tapping the same arrival, or a candidate's double click
    landing on two web instances, change it once and the other gets a clear
    message. (An UPDATE, so SQLite takes its write lock too.) A booking read
    with its row already taken in this transaction (`read_locked`) is not
    taken again."""
    held = db.session.info.get(_LOCKED_READ)
    if held is not None and held[0] is db.session().get_transaction() and booking.id in held[1]:
        return booking
    table = Booking.__table__
    row = db.session.execute(sa.update(table).where(table.c.id == booking.id).values(state=table.c.state)
                             .returning(*table.c)).one()
    # the row's columns as the UPDATE read them (one statement); what they point to is read when used
    for key, column in _COLUMNS:
        set_committed_value(booking, key, row._mapping[column])
    db.session.expire(booking, _RELATIONS)
    return booking


def locking(stmt: sa.Select) -> sa.Select:
    """`stmt` taking the booking's row as it reads it, with fresh values (for `read_locked`)."""
    return stmt.with_for_update(of=Booking).execution_options(populate_existing=True)


def read_locked(stmt: sa.Select, params: dict | None = None) -> Booking | None:
    """The booking a `locking` statement selects, its row taken as it is read
    (SELECT ... FOR UPDATE OF bookings, fresh values): on PostgreSQL the desk's
    tap then needs no second statement to take it in `_lock`. SQLite has no
    row locks; there `_lock`'s UPDATE still takes the write lock."""
    booking = db.session.scalars(stmt, params).unique().first()
    if booking is not None and db.session.get_bind().dialect.name == "postgresql":
        held = db.session.info.get(_LOCKED_READ)
        transaction = db.session().get_transaction()
        if held is None or held[0] is not transaction:
            held = db.session.info[_LOCKED_READ] = (transaction, set())
        held[1].add(booking.id)
    return booking


_LOCKED_READ = "bookings_read_locked"  # (the transaction, the ids of the bookings whose rows it holds)
_COLUMNS = [(attr.key, attr.columns[0]) for attr in sa.inspect(Booking).column_attrs]
_RELATIONS = [rel.key for rel in sa.inspect(Booking).relationships]


def confirm(booking: Booking, by: User | None = None, *, via: str = "link") -> Booking:
    """The candidate's yes, from their link or said on the phone to a
    recruiter (`by`, via "phone"): the same state and `ever_confirmed`, so the
    show-rate model counts both alike. A second click (or a click on a second
    device) confirms nothing more."""
    _lock(booking)
    if booking.state == "confirmed":
        return booking
    if booking.state != "invited":
        raise InterviewError(_("This invitation can no longer be confirmed."))
    booking.state = "confirmed"
    booking.ever_confirmed = True
    booking.responded_at = utcnow()
    audit.record("booking.confirm", booking, actor_id=by.id if by else None, via=via)
    return booking


def decline(booking: Booking, by: User | None = None, *, via: str = "link") -> Booking:
    """The candidate's no, from their link or on the phone (`by`, via
    "phone"): the seat is freed and offered to the waiting list either way."""
    _lock(booking)
    if booking.state not in LIVE_STATES:
        raise InterviewError(_("This invitation is already closed."))
    held = booking.state in HOLDS_SEAT
    booking.state = "declined"
    booking.responded_at = utcnow()
    booking.waitlist_position = None
    cancel_pending(booking, "interview.reminder")
    db.session.flush()
    audit.record("booking.decline", booking, actor_id=by.id if by else None, via=via)
    if held:
        _send_decline_receipt(booking)
    if held and booking.slot_id:
        _free_seat(booking.slot_id)
        offer_freed_seats(booking.session)
    return booking


def cancel(booking: Booking, by: User | None, reason: str | LazyString = "", *, offer_waitlist: bool = True,
           notify: bool = True, whole_day: bool = False) -> Booking:
    """Called off in advance by the company: not a no-show. `notify=False`
    (anonymisation) writes nothing more to the candidate; `by` None is the
    system. When the whole day is called off (`whole_day`), those on its
    waiting list are told too, and everyone is offered another open day
    through their link when there is one."""
    _lock(booking)
    if booking.state not in LIVE_STATES:
        raise InterviewError(_("This booking is already closed."))
    held, waiting = booking.state in HOLDS_SEAT, booking.state == "waitlisted"
    booking.state = "cancelled"
    booking.cancelled_with_day = whole_day
    booking.waitlist_position = None
    cancel_pending(booking, "interview.reminder")
    db.session.flush()
    other_day = whole_day and notify and (held or waiting) and bool(free_slots(booking))
    if held and notify:
        _send_cancellation(booking, reason, other_day=other_day)
    elif waiting and notify and whole_day:
        _send_waitlist_cancellation(booking, reason, other_day=other_day)
    audit.record("booking.cancel", booking, actor_id=by.id if by else None, reason=str(reason))
    if held and booking.slot_id:
        _free_seat(booking.slot_id)
        if offer_waitlist:
            offer_freed_seats(booking.session)
    return booking


def free_slots(booking: Booking) -> list[Slot]:
    """Other times this candidate may move to: later slots with room, on open
    days for the same vacancy."""
    now = utcnow()
    stmt = (sa.select(Slot).join(InterviewSession)
            .where(InterviewSession.cancelled_at.is_(None), Slot.starts_at > now, Slot.booked < Slot.invite_cap,
                   Slot.capacity > 0, Slot.id != (booking.slot_id or 0))
            .order_by(Slot.starts_at).limit(40))
    vacancy_id = booking.application.vacancy_id
    stmt = stmt.where(sa.or_(InterviewSession.vacancy_id == vacancy_id, InterviewSession.vacancy_id.is_(None)))
    return list(db.session.scalars(stmt).unique())


def reschedule(booking: Booking, slot_id: int) -> Booking:
    _lock(booking)
    if booking.state not in ("invited", "confirmed"):
        raise InterviewError(_("This invitation can no longer be moved."))
    target = next((s for s in free_slots(booking) if s.id == slot_id), None)
    if target is None or not _take_seat(target.id):
        raise InterviewError(_("That time has just been taken; choose another."))
    old_slot_id, old_session = booking.slot_id, booking.session
    booking.slot_id, booking.session_id = target.id, target.session_id
    booking.ics_sequence += 1
    booking.state = "invited"
    booking.responded_at = utcnow()
    db.session.flush()
    db.session.refresh(booking)
    if old_slot_id:
        _free_seat(old_slot_id)
    audit.record("booking.reschedule", booking, actor_id=None, via="link", to_slot=target.id)
    _send_invitation(booking, updated=True)
    offer_freed_seats(old_session)
    return booking


def may_choose_another_day(booking: Booking) -> bool:
    """A booking called off with its whole day: its candidate may pick a
    time on another open day from their link."""
    return booking.state == "cancelled" and booking.cancelled_with_day


def choose_another_day(booking: Booking, slot_id: int) -> Booking:
    """The candidate of a cancelled day takes a free time on another open
    day: the same booking, moved and invited again (its history stays in
    the audit trail), with a new calendar invitation."""
    _lock(booking)
    if not may_choose_another_day(booking):
        raise InterviewError(_("This invitation can no longer be moved."))
    target = next((s for s in free_slots(booking) if s.id == slot_id), None)
    if target is None:
        raise InterviewError(_("That time has just been taken; choose another."))
    try:
        with db.session.begin_nested():
            if not _take_seat(target.id):
                raise InterviewError(_("That time has just been taken; choose another."))
            booking.slot_id, booking.session_id = target.id, target.session_id
            booking.state = "invited"
            booking.cancelled_with_day = False
            booking.ics_sequence += 1
            booking.responded_at = utcnow()
            db.session.flush()
    except IntegrityError as exc:  # another live booking of theirs (one per candidate)
        raise InterviewError(_("You already have another interview booked.")) from exc
    db.session.refresh(booking)
    if booking.application is not None:
        _advance(booking.application, "invited")
    audit.record("booking.another_day", booking, actor_id=None, via="link", to_slot=target.id)
    _send_invitation(booking, updated=True)
    return booking


def offer_freed_seats(session: InterviewSession) -> list[Booking]:
    """Waitlisted candidates, in order, take seats that free up: their own slot
    if it has room, otherwise the earliest later slot with room."""
    promoted = []
    now = utcnow()
    waiting = db.session.scalars(sa.select(Booking).where(Booking.session_id == session.id,
                                                          Booking.state == "waitlisted")
                                 .order_by(Booking.waitlist_position, Booking.id)).unique().all()
    for booking in waiting:
        candidates = sorted((s for s in session.slots if s.starts_at > now),
                            key=lambda s: (s.id != booking.slot_id, s.starts_at))
        seat = next((s for s in candidates if _take_seat(s.id)), None)
        if seat is None:
            break
        booking.slot_id = seat.id
        booking.state = "invited"
        booking.waitlist_position = None
        db.session.flush()
        db.session.refresh(booking)
        _advance(booking.application, "invited")
        audit.record("booking.offered_from_waitlist", booking, actor_id=None, slot=seat.index)
        _send_invitation(booking)
        promoted.append(booking)
    return promoted


# --- a whole day -------------------------------------------------------------------------

def cancel_session(session: InterviewSession, by: User, reason: str) -> None:
    if session.cancelled_at is not None:
        return
    session.cancelled_at = utcnow()
    for booking in live_bookings(session):
        cancel(booking, by, reason or DAY_CANCELLED, offer_waitlist=False, whole_day=True)
    notify_interviewers(session, DAY_CALLED_OFF)
    audit.record("interview_session.cancel", session, actor_id=by.id, reason=reason)
