"""The interviews' part of the candidate page, registered with
vacancies.candidate_page: the section with every interview and its
scorecards beside the vacancy's other candidates, and the timeline's
interview events (bookings, confirmations, check-in, no-show, scorecards)
and messages with their delivery."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from recruit.audit import AuditEntry
from recruit.auth.models import User
from recruit.dates import at_minute
from recruit.extensions import db
from recruit.i18n import label
from recruit.interviews import evidence
from recruit.interviews.models import Booking, CallAttempt, Scorecard
from recruit.interviews.scorecards import DECIDED
from recruit.mail import OutboxMessage
from recruit.vacancies.candidate_page import (
    Event,
    Section,
    TimelinePart,
    Viewing,
    actor_name,
    candidate_section,
    event_source,
    message_event,
)


@candidate_section
def interviews_section(viewing: Viewing) -> Section | None:
    if not viewing.vacancy_ids:
        return None
    interviews = _interviews(viewing)
    yardsticks = {}
    for vacancy_id in {i.booking.application.vacancy_id for i in interviews if i.cards}:
        cards = [c for i in interviews if i.booking.application.vacancy_id == vacancy_id for c in i.cards]
        yardsticks[vacancy_id] = evidence.yardstick(vacancy_id, cards, besides_candidate=viewing.candidate.id)
    return Section("interviews/_candidate_interviews.html", {
        "interviews": interviews, "yardsticks": yardsticks, "decided": DECIDED})


def _interviews(viewing: Viewing) -> list[evidence.Interview]:
    """The candidate's interviews with their cards, read once for the page's
    section and its history."""
    if "interviews" not in viewing.kept:
        viewing.kept["interviews"] = evidence.interviews_of(viewing.candidate.id, viewing.vacancy_ids)
    return viewing.kept["interviews"]


def _when(booking: Booking) -> str:
    return at_minute(booking.slot.starts_at if booking.slot else booking.session.starts_at)


@event_source
def interview_events(viewing: Viewing) -> TimelinePart | None:
    interviews = _interviews(viewing) if viewing.vacancy_ids else []
    if not interviews:
        return None
    bookings = {i.booking.id: i.booking for i in interviews}
    cards = {c.id: (c, i.scores[c.id]) for i in interviews for c in i.cards}

    def events(entries: list[AuditEntry], messages: list[OutboxMessage]) -> list[Event]:
        found = []
        for entry in entries:
            if entry.object_type == Scorecard.__tablename__:
                card, scores = cards[entry.object_id]
                found.append(Event(entry.at, "scorecard",
                                   _("Scorecard from %(name)s", name=card.interviewer.full_name),
                                   ", ".join(f"{name} {score}" for name, score in scores.items()),
                                   actor_name(entry)))
                continue
            booking = bookings[entry.object_id]
            detail = f"{booking.application.vacancy.title} · {_when(booking)}"
            if entry.action == "booking.cancel" and (entry.data or {}).get("reason"):
                detail += f" · {entry.data['reason']}"
            found.append(Event(entry.at, "interview", label(entry.action, "audit_event"), detail,
                               actor_name(entry)))
        found.extend(_calls(list(bookings)))
        found.extend(message_event(m) for m in messages)
        return found

    return TimelinePart({Booking.__tablename__: list(bookings), Scorecard.__tablename__: list(cards)}, events)


_CALLS = (sa.select(CallAttempt).where(CallAttempt.booking_id.in_(sa.bindparam("booking_ids", expanding=True)))
          .options(joinedload(CallAttempt.called_by).load_only(User.full_name)).order_by(CallAttempt.id))


def _calls(booking_ids: list[int]) -> list[Event]:
    events = []
    for call in db.session.scalars(_CALLS, {"booking_ids": booking_ids}):
        detail = label(call.outcome, "call_outcome")
        if call.call_back_at is not None:
            detail += f" · {at_minute(call.call_back_at, 'short')}"
        if call.note:
            detail += f" · {call.note}"
        events.append(Event(call.called_at, "call", _("Phone call"), detail,
                            call.called_by.full_name if call.called_by else None))
    return events
