"""The front desk on an interview day: check-in and its undo, sending an
arrival in, the interviewers' scorecards, and the day's snapshot the
receptionist's screen polls."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import format_datetime
from flask_babel import gettext as _

from recruit import audit
from recruit.auth.models import User
from recruit.extensions import db
from recruit.interviews.bookings import _advance, _lock
from recruit.interviews.errors import InterviewError
from recruit.interviews.models import Booking, InterviewSession, Scorecard
from recruit.interviews.sessions import bookings_of
from recruit.mail import cancel_pending
from recruit.utc import utcnow
from recruit.vacancies import candidates as candidate_services
from recruit.vacancies.pipeline import CLOSED


def check_in(booking: Booking, by: User) -> Booking:
    _lock(booking)
    if booking.state not in ("invited", "confirmed"):
        raise InterviewError(_not_expected(booking))
    now = utcnow()
    booking.state = "arrived"
    booking.arrived_at = booking.outcome_at = now
    cancel_pending(booking, "interview.reminder")
    _advance(booking.application, "interviewed")
    audit.record("booking.check_in", booking, actor_id=by.id)
    return booking


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


def send_in(booking: Booking, interviewer_id: int, by: User) -> Booking:
    """The receptionist sends a waiting arrival to an interviewer."""
    _lock(booking)
    if booking.state != "arrived" or booking.seen_at is not None:
        raise InterviewError(_("Only a waiting arrival can be sent in."))
    if interviewer_id not in {i.user_id for i in booking.session.interviewers}:
        raise InterviewError(_("That person does not interview today."))
    booking.seen_at = utcnow()
    booking.interviewer_id = interviewer_id
    audit.record("booking.sent_in", booking, actor_id=by.id, interviewer=interviewer_id)
    return booking


def record_scorecard(booking: Booking, interviewer: User, *, motivation: int, competence: int, adequacy: int,
                     note: str = "", next_stage: str | None = None) -> Scorecard:
    if booking.state != "arrived":
        raise InterviewError(_("Score only candidates who came."))
    if interviewer.id not in {i.user_id for i in booking.session.interviewers} and \
            not interviewer.has_role("admin"):
        raise InterviewError(_("Only the day's interviewers score it."))
    for value in (motivation, competence, adequacy):
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise InterviewError(_("Scores run from 1 to 5."))
    card = db.session.scalar(sa.select(Scorecard).where(Scorecard.booking_id == booking.id,
                                                        Scorecard.interviewer_id == interviewer.id))
    card = card or Scorecard(booking_id=booking.id, interviewer_id=interviewer.id)
    card.motivation, card.competence, card.adequacy, card.note = motivation, competence, adequacy, note.strip()
    db.session.add(card)
    if booking.seen_at is None:
        booking.seen_at = utcnow()
        booking.interviewer_id = interviewer.id
    db.session.flush()
    if next_stage:
        if next_stage in CLOSED:
            candidate_services.move(booking.application, next_stage, note.strip() or _("After the interview"))
        elif booking.application.stage != next_stage:
            candidate_services.move(booking.application, next_stage)
    audit.record("scorecard.save", card, actor_id=interviewer.id, booking=booking.id,
                 scores=[motivation, competence, adequacy], next_stage=next_stage or "")
    return card


def day_snapshot(session: InterviewSession, now: datetime | None = None) -> dict[str, Any]:
    """What the receptionist's screen shows, as data (the page polls it)."""
    now = now or utcnow()
    bookings = [b for b in bookings_of(session) if b.state in ("invited", "confirmed", "arrived", "no_show")]
    slots = []
    for slot in session.slots:
        rows = [b for b in bookings if b.slot_id == slot.id]
        slots.append({
            "index": slot.index, "starts_at": slot.starts_at.isoformat(),
            "label": format_datetime(slot.starts_at, "HH:mm"), "capacity": slot.capacity,
            "expected": [_booking_row(b, now) for b in rows if b.state in ("invited", "confirmed")],
            "arrived": [_booking_row(b, now) for b in rows if b.state == "arrived"],
            "no_show": [_booking_row(b, now) for b in rows if b.state == "no_show"],
        })
    waiting = sorted((b for b in bookings if b.state == "arrived" and b.seen_at is None),
                     key=lambda b: (b.slot.starts_at if b.slot else b.arrived_at, b.arrived_at))
    interviewers = []
    for item in session.interviewers:
        last = max((b for b in bookings if b.interviewer_id == item.user_id and b.seen_at), default=None,
                   key=lambda b: b.seen_at)
        busy_until = last.seen_at + timedelta(minutes=session.slot_minutes) if last else None
        free_from = max(busy_until or now, item.starts_at)
        interviewers.append({"id": item.user_id, "name": item.user.full_name,
                             "free": free_from <= now < item.ends_at, "done": item.ends_at <= now,
                             "free_at": format_datetime(free_from, "HH:mm"), "free_at_iso": free_from.isoformat(),
                             "with": last.candidate.full_name if last and busy_until and busy_until > now else "",
                             "busy_until": format_datetime(busy_until, "HH:mm") if busy_until else ""})
    interviewers.sort(key=lambda i: i["free_at_iso"])
    return {"session": session.id, "title": session.title, "now": now.isoformat(), "slots": slots,
            "waiting": [_booking_row(b, now) for b in waiting], "interviewers": interviewers,
            "counts": {"expected": sum(len(s["expected"]) for s in slots),
                       "arrived": sum(1 for b in bookings if b.state == "arrived"),
                       "no_show": sum(1 for b in bookings if b.state == "no_show")}}


def _booking_row(booking: Booking, now: datetime) -> dict[str, Any]:
    wait = None
    if booking.state == "arrived" and booking.seen_at is None and booking.arrived_at:
        since = max(booking.arrived_at, booking.slot.starts_at if booking.slot else booking.arrived_at)
        wait = max(0, math.floor((now - since).total_seconds() / 60))
    return {"id": booking.id, "name": booking.candidate.full_name,
            "phone": booking.candidate.phone_norm or booking.candidate.phone,
            "state": booking.state, "confirmed": booking.ever_confirmed, "waiting_minutes": wait,
            "seen": booking.seen_at is not None,
            "interviewer": booking.interviewer.full_name if booking.interviewer else ""}
