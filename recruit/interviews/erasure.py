"""The interview side of anonymising a candidate, registered with the
candidates' erasure hooks (vacancies never imports interviews): live bookings
are cancelled without another word to the person, so their seat is freed and
the waitlist moves up; scorecard notes go (the scores stay, for the funnel and
the show-rate model); the notes of the day-before calls go (the calls stay,
for the round's numbers); the bookings' messages are handed to the outbox
erasure, and the bookings' and scorecards' audit entries lose their free text.

The interviewers' calendar invitations are for their working hours of the
day (one event per interviewer and session, naming no candidate), so a
cancelled booking leaves them right; a message to an interviewer that named
the person loses the name in the outbox scrub."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from recruit.extensions import db
from recruit.interviews import bookings as booking_room
from recruit.interviews import calls
from recruit.interviews.models import LIVE_STATES, Booking, Scorecard
from recruit.vacancies.erasure import Erasure, erasure_step


@erasure_step
def erase_interviews(erasure: Erasure) -> None:
    bookings = list(db.session.scalars(sa.select(Booking).where(Booking.candidate_id == erasure.candidate.id)
                                       .order_by(Booking.id)).unique())
    for booking in bookings:
        if booking.state in LIVE_STATES:
            booking_room.cancel(booking, erasure.by, _("The candidate's personal data was erased."), notify=False)
            erasure.count("bookings_cancelled")
    erasure.objects += [("bookings", b.id) for b in bookings]
    erasure.messages += [("bookings", b.id) for b in bookings]
    cards = list(db.session.scalars(sa.select(Scorecard).where(Scorecard.booking_id.in_([b.id for b in bookings]))))
    for card in cards:
        if card.note:
            card.note = ""
            erasure.count("scorecard_notes_erased")
    erasure.objects += [("scorecards", c.id) for c in cards]
    erased = calls.erase_notes([b.id for b in bookings])
    if erased:
        erasure.count("call_notes_erased", erased)
    db.session.flush()
