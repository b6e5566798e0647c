"""The call round before an interview day: recruiters phone the candidates
booked for tomorrow, since only about one in five invited comes and a call
raises that (DOMAIN.md §2). Every call is kept (interviews.models.CallAttempt);
"confirmed by phone" and "declined" go through the same doors as the
candidate's own link (bookings.confirm / bookings.decline), so the
confirmation counts for the show-rate model and a declined seat goes to the
waiting list.

Two taps on one form record one call (the form's `tap` mark), and a form
shown before someone else recorded a call with the same candidate is
refused with who called and what they heard (`seen`, the last call the form
knew): two recruiters splitting a list never write over each other."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from recruit import audit
from recruit.auth.models import User
from recruit.dates import at_minute
from recruit.extensions import db
from recruit.i18n import label
from recruit.interviews import bookings
from recruit.interviews.errors import InterviewError
from recruit.interviews.models import CALL_OUTCOMES, LIVE_STATES, Booking, CallAttempt, InterviewSession, Slot
from recruit.utc import utcnow

NOTE_LENGTH = 200
TO_CALL = ("invited", "waitlisted")  # no answer yet that settles whether they come
_TAP = re.compile(r"^[A-Za-z0-9_-]{16,32}$")


@dataclass
class CallRow:
    """One line of the call list: the booking and its calls, newest first."""

    booking: Booking
    attempts: list[CallAttempt] = field(default_factory=list)

    @property
    def last(self) -> CallAttempt | None:
        return self.attempts[0] if self.attempts else None

    @property
    def to_call(self) -> bool:
        return self.booking.state in TO_CALL

    @property
    def open(self) -> bool:
        """A call can still be recorded: the booking is live and its time is ahead."""
        slot = self.booking.slot
        return self.booking.state in LIVE_STATES and (slot is None or slot.starts_at > utcnow())


@dataclass(frozen=True)
class CallProgress:
    """What the round has done so far, for the list's head and the day page."""

    total: int = 0
    called: int = 0
    confirmed: int = 0
    declined: int = 0
    no_answer: int = 0
    call_back: int = 0
    to_call: int = 0

    @property
    def share_called(self) -> float:
        return self.called / self.total if self.total else 0.0


def call_list(session: InterviewSession) -> list[CallRow]:
    """Everyone booked for the day (invited, confirmed, waiting list), and
    those who left it after a call (a "declined" stays on the list so the
    round's count does not shrink), in slot order, the waiting list last."""
    called = sa.select(CallAttempt.booking_id).join(Booking).where(Booking.session_id == session.id)
    rows = list(db.session.scalars(
        sa.select(Booking).outerjoin(Slot, Booking.slot_id == Slot.id)
        .where(Booking.session_id == session.id, sa.or_(Booking.state.in_(LIVE_STATES), Booking.id.in_(called)))
        .order_by(Booking.state == "waitlisted", Slot.starts_at, Booking.waitlist_position, Booking.id)).unique())
    attempts: dict[int, list[CallAttempt]] = {}
    if rows:
        for attempt in db.session.scalars(
                sa.select(CallAttempt).where(CallAttempt.booking_id.in_([b.id for b in rows]))
                .order_by(CallAttempt.called_at.desc(), CallAttempt.id.desc())).unique():
            attempts.setdefault(attempt.booking_id, []).append(attempt)
    return [CallRow(b, attempts.get(b.id, [])) for b in rows]


def progress(rows: list[CallRow]) -> CallProgress:
    still = [r for r in rows if r.to_call]
    return CallProgress(
        total=len(rows), called=sum(1 for r in rows if r.attempts),
        confirmed=sum(1 for r in rows if r.booking.state == "confirmed"),
        declined=sum(1 for r in rows if r.booking.state == "declined"),
        no_answer=sum(1 for r in still if r.last and r.last.outcome == "no_answer"),
        call_back=sum(1 for r in still if r.last and r.last.outcome == "call_back"),
        to_call=len(still))


def call_back_moment(at: time, now: datetime) -> datetime:
    """The next time the clock shows `at` in `now`'s zone (the caller's):
    "call back at 18:30" said at 14:00 is today, said at 21:00 tomorrow."""
    moment = datetime.combine(now.date(), at, tzinfo=now.tzinfo)
    return moment if moment > now else moment + timedelta(days=1)


def record_call(booking: Booking, outcome: str, by: User, *, tap: str, seen: int, note: str = "",
                call_back_at: datetime | None = None) -> CallAttempt:
    """One call, recorded once: the booking's row is taken first, so a double
    tap or a second recruiter waits and then finds the first one's call.
    "confirmed" and "declined" change the booking as the candidate's link does."""
    if outcome not in CALL_OUTCOMES:
        raise InterviewError(_("Choose how the call ended."))
    if not _TAP.match(tap or ""):
        raise InterviewError(_("This form is out of date; the call list is shown again."))
    note = " ".join((note or "").split())
    if len(note) > NOTE_LENGTH:
        raise InterviewError(ngettext("A note has at most %(num)d character.", "A note has at most %(num)d characters.",
                                      NOTE_LENGTH))
    bookings._lock(booking)
    earlier = db.session.scalar(sa.select(CallAttempt).where(CallAttempt.booking_id == booking.id,
                                                             CallAttempt.tap == tap))
    if earlier is not None:  # the same tap again: it is recorded already
        return earlier
    name = booking.candidate.full_name
    last = db.session.scalars(sa.select(CallAttempt).where(CallAttempt.booking_id == booking.id)
                              .order_by(CallAttempt.called_at.desc(), CallAttempt.id.desc()).limit(1)).first()
    if last is None and seen:  # a call this page never showed, and none was made: not our form
        raise InterviewError(_("This form is out of date; the call list is shown again."))
    if last is not None and last.id != seen:
        raise InterviewError(_("%(who)s has just recorded a call with %(name)s: %(outcome)s, %(when)s. "
                             "Record yours again if your call ended differently.",
                             who=last.called_by.full_name if last.called_by else _("Someone"), name=name,
                             outcome=label(last.outcome, "call_outcome"), when=at_minute(last.called_at)))
    if booking.session.cancelled_at is not None:
        raise InterviewError(_("This interview day was cancelled."))
    if booking.state not in LIVE_STATES:
        raise InterviewError(_("%(name)s is no longer booked for this day (%(state)s).", name=name,
                               state=label(booking.state, "booking_state")))
    now = utcnow()
    if booking.slot is not None and booking.slot.starts_at <= now:
        raise InterviewError(_("%(name)s's interview time has already begun.", name=name))
    if outcome == "call_back":
        if call_back_at is None:
            raise InterviewError(_("Say when to call back."))
        if booking.slot is not None and call_back_at >= booking.slot.starts_at:
            raise InterviewError(_("Call back before the interview, which starts at %(when)s.",
                                   when=at_minute(booking.slot.starts_at)))
    else:
        call_back_at = None
    if outcome == "confirmed":
        if booking.state == "waitlisted":
            raise InterviewError(_("%(name)s is on the waiting list: they can confirm once a seat frees up.",
                                   name=name))
        bookings.confirm(booking, by, via="phone")
    elif outcome == "declined":
        bookings.decline(booking, by, via="phone")
    attempt = CallAttempt(booking_id=booking.id, outcome=outcome, note=note, call_back_at=call_back_at,
                          called_by_id=by.id, called_at=now, tap=tap)
    db.session.add(attempt)
    db.session.flush()
    audit.record("booking.call", booking, actor_id=by.id, outcome=outcome)
    return attempt


def erase_notes(booking_ids: list[int]) -> int:
    """For anonymisation: what the callers wrote goes, the calls themselves
    (outcome, who, when) stay for the round's numbers. How many notes went."""
    if not booking_ids:
        return 0
    return db.session.execute(sa.update(CallAttempt).where(CallAttempt.booking_id.in_(booking_ids),
                                                           CallAttempt.note != "")
                              .values(note="").execution_options(synchronize_session=False)).rowcount
