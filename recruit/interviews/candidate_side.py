"""The interviews' part of the candidate page, registered with
vacancies.candidate_page: the section with every interview and its
scorecards beside the vacancy's other candidates, and the timeline's
interview events (bookings, confirmations, check-in, no-show, scorecards)
and messages with their delivery."""

from __future__ import annotations

import sqlalchemy as sa
from flask import g
from flask_babel import gettext as _

from recruit.audit import AuditEntry
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
    actor_name,
    candidate_section,
    event_source,
    message_event,
)
from recruit.vacancies.models import Candidate


@candidate_section
def interviews_section(user, candidate: Candidate, vacancy_ids: set[int]) -> Section | None:
    if not vacancy_ids:
        return None
    interviews = _interviews(candidate, vacancy_ids)
    yardsticks = {}
    for vacancy_id in {i.booking.application.vacancy_id for i in interviews if i.cards}:
        cards = [c for i in interviews if i.booking.application.vacancy_id == vacancy_id for c in i.cards]
        names = evidence.criteria_names(vacancy_id, cards)
        averages, others = evidence.vacancy_averages(vacancy_id, names, besides_candidate=candidate.id)
        yardsticks[vacancy_id] = {"names": names, "averages": averages, "others": others}
    return Section("interviews/_candidate_interviews.html", {
        "interviews": interviews, "yardsticks": yardsticks, "card_scores": evidence.card_scores,
        "decided": DECIDED})


def _interviews(candidate: Candidate, vacancy_ids: set[int]) -> list[evidence.Interview]:
    """The candidate's interviews with their cards, read once for the page's
    section and its history (kept for the request)."""
    key = (candidate.id, frozenset(vacancy_ids))
    kept = g.setdefault("candidate_interviews", {})
    if key not in kept:
        kept[key] = evidence.interviews_of(candidate.id, vacancy_ids)
    return kept[key]


def _when(booking: Booking) -> str:
    return at_minute(booking.slot.starts_at if booking.slot else booking.session.starts_at)


@event_source
def interview_events(candidate: Candidate, vacancy_ids: set[int]) -> list[Event]:
    interviews = _interviews(candidate, vacancy_ids) if vacancy_ids else []
    if not interviews:
        return []
    bookings = {i.booking.id: i.booking for i in interviews}
    cards = {c.id: c for i in interviews for c in i.cards}
    entries = db.session.scalars(sa.select(AuditEntry).where(sa.or_(
        sa.and_(AuditEntry.object_type == Booking.__tablename__, AuditEntry.object_id.in_(list(bookings))),
        sa.and_(AuditEntry.object_type == Scorecard.__tablename__, AuditEntry.object_id.in_(list(cards))),
    )).order_by(AuditEntry.id)).unique()
    events = []
    for entry in entries:
        if entry.object_type == Scorecard.__tablename__:
            card = cards[entry.object_id]
            scores = ", ".join(f"{name} {score}" for name, score in evidence.card_scores(card).items())
            events.append(Event(entry.at, "scorecard", _("Scorecard from %(name)s", name=card.interviewer.full_name),
                                scores, actor_name(entry)))
            continue
        booking = bookings[entry.object_id]
        detail = f"{booking.application.vacancy.title} · {_when(booking)}"
        if entry.action == "booking.cancel" and (entry.data or {}).get("reason"):
            detail += f" · {entry.data['reason']}"
        events.append(Event(entry.at, "interview", label(entry.action, "audit_event"), detail, actor_name(entry)))
    for call in db.session.scalars(sa.select(CallAttempt).where(CallAttempt.booking_id.in_(list(bookings)))
                                   .order_by(CallAttempt.id)):
        detail = label(call.outcome, "call_outcome")
        if call.call_back_at is not None:
            detail += f" · {at_minute(call.call_back_at, 'short')}"
        if call.note:
            detail += f" · {call.note}"
        events.append(Event(call.called_at, "call", _("Phone call"), detail,
                            call.called_by.full_name if call.called_by else None))
    for message in db.session.scalars(sa.select(OutboxMessage).where(
            OutboxMessage.related_type == Booking.__tablename__, OutboxMessage.related_id.in_(list(bookings)))
            .order_by(OutboxMessage.id)):
        events.append(message_event(message))
    return events
