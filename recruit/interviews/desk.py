"""The front desk on an interview day: check-in and its undo, sending an
arrival in, the interviewers' scorecards, and the day's snapshot the
receptionist's screen polls."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import aliased, joinedload, lazyload

from recruit import audit
from recruit.auth.models import User
from recruit.dates import clock
from recruit.extensions import db
from recruit.interviews import kits, versions  # noqa: F401  (the day's versions follow every change)
from recruit.interviews.bookings import _advance, _lock, locking, read_locked
from recruit.interviews.desk_search import dial_forms, matches
from recruit.interviews.errors import InterviewerBusyError, InterviewError
from recruit.interviews.models import (
    Booking,
    InterviewSession,
    SessionInterviewer,
    Slot,
)
from recruit.mail import cancel_pending
from recruit.organisation.services import phone_region
from recruit.search import search_key
from recruit.utc import utcnow
from recruit.vacancies.models import Application, Candidate


def check_in(booking: Booking, by: User) -> Booking:
    _lock(booking)
    if booking.state not in ("invited", "confirmed"):
        raise InterviewError(_not_expected(booking))
    now = utcnow()
    booking.state = "arrived"
    booking.arrived_at = booking.outcome_at = now
    cancel_pending(booking, "interview.reminder")
    _advance(_application(booking), "interviewed")
    audit.record("booking.check_in", booking, actor_id=by.id)
    return booking


def _application(booking: Booking) -> Application:
    """The booking's application with its vacancy's state, not the vacancy's people (one statement)."""
    if "application" in sa.inspect(booking).dict:
        return booking.application
    return db.session.scalar(sa.select(Application).where(Application.id == booking.application_id)
                             .options(joinedload(Application.vacancy).lazyload("*"), lazyload("*")))


def _not_expected(booking: Booking) -> str:
    """Why this booking cannot be checked in, one sentence per state."""
    name = booking.candidate.full_name
    if booking.state == "arrived":
        return _("%(name)s has already arrived.", name=name)
    if booking.state == "no_show":
        return _("%(name)s is already marked as a no-show.", name=name)
    if booking.state == "declined":
        return _("%(name)s has declined the invitation.", name=name)
    if booking.state == "waitlisted":
        return _("%(name)s is on the waiting list.", name=name)
    return _("%(name)s's interview was cancelled.", name=name)


def undo_check_in(booking: Booking, by: User) -> Booking:
    """A tap on the wrong name: back to expected, while the interview has not started."""
    _lock(booking)
    if booking.state != "arrived" or booking.seen_at is not None:
        raise InterviewError(_("Only an arrival not yet interviewed can be undone."))
    booking.state = "confirmed" if booking.ever_confirmed else "invited"
    booking.arrived_at = booking.outcome_at = None
    audit.record("booking.check_in_undone", booking, actor_id=by.id)
    return booking


def send_in(booking: Booking, interviewer_id: int, by: User, *, ending: int | None = None) -> Booking:
    """The receptionist sends a waiting arrival to an interviewer. One still
    with someone is not taken from them unasked: InterviewerBusyError names who
    they are with, and only a send-in that says it ends that very interview
    (`ending`, that booking's id) goes ahead. The day's row is held while
    this is decided, so two desks sending two people to one free interviewer
    at once send one, and the other is asked."""
    _lock(booking)
    if booking.state != "arrived" or booking.seen_at is not None:
        raise InterviewError(_("Only a waiting arrival can be sent in."))
    seat = next((i for i in booking.session.interviewers if i.user_id == interviewer_id), None)
    if seat is None:
        raise InterviewError(_("That person does not interview today."))
    now = utcnow()
    db.session.execute(HOLD_DAY, {"day": booking.session_id})
    current = _current_interview(booking.session, interviewer_id, now)
    if current is not None and current.id != ending:
        raise _busy(booking, seat, current)
    booking.seen_at = now
    booking.interviewer_id = interviewer_id
    audit.record("booking.sent_in", booking, actor_id=by.id, interviewer=interviewer_id,
                 ended=current.id if current is not None else None)
    return booking


# SQLite has no row locks (the statement runs without FOR UPDATE): there the
# booking's UPDATE in `_lock` already took the database's write lock.
HOLD_DAY = sa.select(InterviewSession.id).where(InterviewSession.id == sa.bindparam("day")).with_for_update()
CURRENT_INTERVIEW = (sa.select(Booking.id, Booking.seen_at, Candidate.full_name)
                     .join(Candidate, Candidate.id == Booking.candidate_id)
                     .where(Booking.session_id == sa.bindparam("day"),
                            Booking.interviewer_id == sa.bindparam("interviewer"), Booking.seen_at.is_not(None))
                     .order_by(Booking.seen_at.desc(), Booking.id).limit(1))


def _current_interview(session: InterviewSession, interviewer_id: int, now: datetime):
    """The interviewer's latest sending-in of the day while its slot's length
    has not run out (who the screen shows them with), else None."""
    latest = db.session.execute(CURRENT_INTERVIEW, {"day": session.id, "interviewer": interviewer_id}).first()
    if latest is None or latest.seen_at + timedelta(minutes=session.slot_minutes) <= now:
        return None
    return latest


def _busy(booking: Booking, seat: SessionInterviewer, current) -> InterviewerBusyError:
    name, interviewer = booking.candidate.full_name, seat.user.full_name
    until = clock(current.seen_at + timedelta(minutes=booking.session.slot_minutes))
    message = _("%(interviewer)s is still with %(current)s (until %(until)s). Send %(name)s in anyway? "
                "That ends the interview with %(current)s.", interviewer=interviewer, current=current.full_name,
                until=until, name=name)
    return InterviewerBusyError(message, booking_id=booking.id, candidate=name, interviewer_id=seat.user_id,
                           interviewer=interviewer, with_id=current.id, with_name=current.full_name, until=until)


def send_in_question(session: InterviewSession, booking_id: int, interviewer_id: int,
                     now: datetime | None = None) -> InterviewerBusyError | None:
    """The question a send-in to a busy interviewer asks, for the screen
    without its script (the refused send-in brings the receptionist here):
    None when the arrival no longer waits, or the interviewer is free now."""
    booking = db.session.get(Booking, booking_id)
    if booking is None or booking.session_id != session.id or booking.state != "arrived" \
            or booking.seen_at is not None:
        return None
    seat = next((i for i in session.interviewers if i.user_id == interviewer_id), None)
    if seat is None:
        return None
    current = _current_interview(session, interviewer_id, now or utcnow())
    return _busy(booking, seat, current) if current is not None else None


def announcements(rows: list[dict[str, Any]]) -> list[str]:
    """What the screen says aloud about a refresh's changed rows: arrivals
    and send-ins only (never the clock's movements, read at every tick)."""
    said = []
    for row in rows:
        if row.get("gone") or row["state"] != "arrived":
            continue
        if row["seen"] and row["interviewer"]:
            said.append(_("%(name)s went in to %(interviewer)s.", name=row["name"], interviewer=row["interviewer"]))
        elif not row["seen"]:
            said.append(_("%(name)s has arrived.", name=row["name"]))
    return said


_DESK_BOOKING = sa.select(Booking).where(Booking.id == sa.bindparam("booking"))
# The day with its interviewers, not its slots: both joined multiplied the row
# by both (a day of 16 slots and 3 interviewers read 48 wide rows for one tap);
# the answer's delta reads the slots' times with its rows instead.
_DAY_AT_DESK = (lazyload("*"), joinedload(InterviewSession.interviewers).joinedload(SessionInterviewer.user)
                .lazyload("*"))
_WITH_DAY = (lazyload("*"), joinedload(Booking.session).options(*_DAY_AT_DESK))
# Built once (a statement built per tap paid its cache key and options again).
DESK_BOOKING = locking(_DESK_BOOKING.options(*_WITH_DAY))
DESK_BOOKING_TO_MOVE = locking(_DESK_BOOKING.options(*_WITH_DAY, joinedload(Booking.application).options(
    joinedload(Application.vacancy).lazyload("*"), lazyload("*"))))


def desk_booking(booking_id: int, *, with_application: bool = False) -> Booking | None:
    """A booking tapped at the desk with its day and interviewers (and its
    application with its vacancy's state, for an action that moves it), in
    one statement, its row taken for the action; what else it points to is
    read only if the action needs it."""
    return read_locked(DESK_BOOKING_TO_MOVE if with_application else DESK_BOOKING, {"booking": booking_id})


DESK_DAY = sa.select(InterviewSession).where(InterviewSession.id == sa.bindparam("day")).options(*_DAY_AT_DESK)


def desk_day(session_id: int) -> InterviewSession | None:
    """The day with its interviewers, what the screen's refresh needs besides its rows."""
    return db.session.scalars(DESK_DAY, {"day": session_id}).first()


DESK_STATES = ("invited", "confirmed", "arrived", "no_show")
GROUPS = {"invited": "expected", "confirmed": "expected", "arrived": "arrived", "no_show": "no_show"}
RANKS = {"expected": 0, "arrived": 1, "no_show": 2}  # a slot lists the expected first, then arrivals, then no-shows


def _rows_stmt(*where):
    """The columns the screen shows of the day's bookings (and who sees whom
    since when, for the interviewers' panel, and when each slot starts, for
    the waits): one statement, whatever the number of rows; built once (the
    day and the version are parameters)."""
    interviewer = aliased(User)
    return (sa.select(Booking.id, Booking.slot_id, Booking.state, Booking.ever_confirmed, Booking.arrived_at,
                      Booking.seen_at, Booking.interviewer_id, Booking.desk_version, Candidate.full_name,
                      Candidate.phone_norm, Candidate.phone, interviewer.full_name.label("interviewer"),
                      Slot.starts_at.label("slot_starts"))
            .join(Candidate, Candidate.id == Booking.candidate_id)
            .outerjoin(interviewer, interviewer.id == Booking.interviewer_id)
            .outerjoin(Slot, Slot.id == Booking.slot_id)
            .where(Booking.session_id == sa.bindparam("day"), *where)
            .order_by(Booking.slot_id.is_(None), Booking.slot_id, Booking.waitlist_position, Booking.id))


DESK_ROWS = _rows_stmt(Booking.state.in_(DESK_STATES))
ROWS_SINCE = _rows_stmt(sa.or_(Booking.state.in_(DESK_STATES), Booking.desk_version > sa.bindparam("since")))


def _row(row, starts: dict[int, datetime], now: datetime, region: str | None = None) -> dict[str, Any]:
    wait = None
    if row.state == "arrived" and row.seen_at is None and row.arrived_at:
        since = max(row.arrived_at, starts.get(row.slot_id, row.arrived_at))
        wait = max(0, math.floor((now - since).total_seconds() / 60))
    return {"id": row.id, "name": row.full_name, "phone": row.phone_norm or row.phone, "state": row.state,
            "confirmed": row.ever_confirmed, "waiting_minutes": wait, "seen": row.seen_at is not None,
            "interviewer": row.interviewer or "", "slot": row.slot_id,
            # what the screen's search compares: the folded name, the number's digit spellings
            "find": search_key(row.full_name), "dial": dial_forms(row.phone_norm or row.phone, region)}


def _waiting(rows: list, starts: dict[int, datetime], now: datetime, region: str | None) -> list[dict[str, Any]]:
    waiting = sorted((r for r in rows if r.state == "arrived" and r.seen_at is None),
                     key=lambda r: (starts.get(r.slot_id, r.arrived_at), r.arrived_at))
    return [_row(r, starts, now, region) for r in waiting]


def _interviewers(session: InterviewSession, now: datetime, rows: list) -> list[dict[str, Any]]:
    """Who is free, and who is with whom until when: each interviewer's latest
    sending-in of the day, from the day's desk rows already read."""
    last: dict[int, Any] = {}
    for row in rows:
        if row.seen_at is not None and row.interviewer_id is not None:
            known = last.get(row.interviewer_id)
            if known is None or (row.seen_at, -row.id) > (known.seen_at, -known.id):
                last[row.interviewer_id] = row
    length = timedelta(minutes=session.slot_minutes)
    interviewers = []
    for item in session.interviewers:
        seen = last.get(item.user_id)
        busy_until = seen.seen_at + length if seen else None
        free_from = max(busy_until or now, item.starts_at)
        interviewers.append({"id": item.user_id, "name": item.user.full_name,
                             "free": free_from <= now < item.ends_at, "done": item.ends_at <= now,
                             "free_at": clock(free_from), "free_at_iso": free_from.isoformat(),
                             "with": seen.full_name if seen and busy_until > now else "",
                             "busy_until": clock(busy_until) if busy_until else ""})
    interviewers.sort(key=lambda i: i["free_at_iso"])
    return interviewers


def day_snapshot(session: InterviewSession, now: datetime | None = None, find: str = "") -> dict[str, Any]:
    """What the receptionist's screen shows, as data: the whole day, in a
    fixed number of statements (the page and its script's fallback). With
    `find` (the search box, sent without the script), each row says whether
    it matches (`found`): the others stay on the page hidden, so the
    screen's refresh keeps counting the rows it holds."""
    now, region = now or utcnow(), phone_region()
    version = session.desk_version  # read before the rows: a change made meanwhile is sent again, never lost
    rows = db.session.execute(DESK_ROWS, {"day": session.id}).all()
    starts = {slot.id: slot.starts_at for slot in session.slots}
    by_slot: dict[int | None, list] = {}
    for row in rows:
        by_slot.setdefault(row.slot_id, []).append(row)
    slots = []
    for slot in session.slots:
        mine = [_row(r, starts, now, region) for r in by_slot.get(slot.id, [])]
        slots.append({
            "id": slot.id, "index": slot.index, "starts_at": slot.starts_at.isoformat(),
            "label": clock(slot.starts_at), "capacity": slot.capacity,
            "expected": [r for r in mine if GROUPS[r["state"]] == "expected"],
            "arrived": [r for r in mine if r["state"] == "arrived"],
            "no_show": [r for r in mine if r["state"] == "no_show"],
        })
    counts = {"expected": sum(1 for r in rows if GROUPS[r.state] == "expected" and r.slot_id in starts),
              "arrived": sum(1 for r in rows if r.state == "arrived"),
              "no_show": sum(1 for r in rows if r.state == "no_show")}
    waiting = _waiting(rows, starts, now, region)
    find = find.strip()
    found = 0
    for row in (*waiting, *(r for s in slots for group in ("expected", "arrived", "no_show") for r in s[group]))\
            if find else ():
        row["found"] = matches(find, row["find"], row["dial"], region)
        found += row["found"]
    return {"session": session.id, "title": session.title, "now": now.isoformat(), "version": version,
            "slots": slots, "waiting": waiting, "interviewers": _interviewers(session, now, rows),
            "counts": counts, "shown": sum(len(s["expected"]) + len(s["arrived"]) + len(s["no_show"])
                                           for s in slots), "find": find, "found": found}


def day_changes(session: InterviewSession, since: int, now: datetime | None = None,
                version: int | None = None) -> dict[str, Any]:
    """What changed on the screen since the version it shows: the bookings
    changed past `since` (those no longer on the desk with `gone`), and the
    small regions that move with the clock (counts, who waits, interviewers);
    `shown` is how many rows the screen should hold, so a row that left the
    day without a trace (moved to another day, erased) sends it for the
    whole day again. One statement: the day's desk rows and the changed ones,
    with their slots' times (the day's slots are not read), from which the
    regions are counted."""
    now, region = now or utcnow(), phone_region()
    version = session.desk_version if version is None else version  # a change just committed knows its own
    read = db.session.execute(ROWS_SINCE, {"day": session.id, "since": since}).all()
    starts = {row.slot_id: row.slot_starts for row in read if row.slot_id is not None}
    on_desk = [row for row in read if row.state in DESK_STATES]
    rows = []
    for row in read if since < version else ():
        if row.desk_version <= since:
            continue
        item = _row(row, starts, now, region)
        item["gone"] = row.state not in DESK_STATES or row.slot_id not in starts
        item["group"] = GROUPS.get(row.state, "")
        item["rank"] = RANKS.get(item["group"], 0)
        rows.append(item)
    counts = dict.fromkeys(("expected", "arrived", "no_show"), 0)
    shown = 0
    for row in on_desk:
        in_slot = row.slot_id is not None
        if in_slot or row.state in ("arrived", "no_show"):
            counts[GROUPS[row.state]] += 1
        shown += in_slot
    waiting = [row for row in on_desk if row.state == "arrived" and row.seen_at is None]
    return {"session": session.id, "now": now.isoformat(), "since": since, "version": version, "rows": rows,
            "waiting": _waiting(waiting, starts, now, region), "interviewers": _interviewers(session, now, on_desk),
            "counts": counts, "shown": shown}
