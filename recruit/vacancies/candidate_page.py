"""What the candidate page gathers from the features that know the person:
sections (the interviews with their scorecards) and the timeline's events
(the import, messages, bookings, check-in, scorecards, moves, erasure).

Vacancies never import the features above them: a feature registers a
section or an event source here, as the erasure hooks do."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from recruit.audit import AuditEntry
from recruit.auth.models import User
from recruit.dates import at_minute
from recruit.extensions import db
from recruit.i18n import label
from recruit.mail import OutboxMessage
from recruit.utc import utcnow
from recruit.vacancies.models import Application, Candidate, ImportBatch


@dataclass
class Event:
    at: datetime
    kind: str  # what the row is about, for its mark: import, message, interview, scorecard, move, edit, privacy
    title: str
    detail: str = ""
    actor: str | None = None
    state: str = ""  # a message's delivery: queued, sent, failed


@dataclass
class Section:
    template: str
    context: dict[str, Any]


EventSource = Callable[[Candidate, set[int]], list[Event]]
SectionSource = Callable[[Any, Candidate, set[int]], Section | None]
_SOURCES: list[EventSource] = []
_SECTIONS: list[SectionSource] = []


def event_source(fn: EventSource) -> EventSource:
    _SOURCES.append(fn)
    return fn


def candidate_section(fn: SectionSource) -> SectionSource:
    _SECTIONS.append(fn)
    return fn


def sections(user, candidate: Candidate, vacancy_ids: set[int]) -> list[Section]:
    return [s for fn in _SECTIONS if (s := fn(user, candidate, vacancy_ids)) is not None]


def timeline(candidate: Candidate, vacancy_ids: set[int]) -> list[Event]:
    """Everything that happened to the person in the vacancies the viewer may
    see, newest first."""
    events: list[Event] = []
    for source in _SOURCES:
        events.extend(source(candidate, vacancy_ids))
    return sorted(events, key=lambda e: e.at, reverse=True)


def actor_name(entry: AuditEntry) -> str | None:
    return entry.actor.full_name if entry.actor else None


_KINDS = {"candidate.anonymise": "privacy", "candidate.retention_skipped": "privacy",
          "candidate.resume_upload": "edit", "candidate.resume_download": "edit", "candidate.update": "edit",
          "candidate.language": "edit", "candidate.add": "import", "application.move": "move"}


def _move_detail(data: dict) -> str:
    text = f"{label(data.get('from'), 'application_stage')} → {label(data.get('to'), 'stage_move')}"
    return f"{text}: {data['reason']}" if data.get("reason") else text


@event_source
def _own_events(candidate: Candidate, vacancy_ids: set[int]) -> list[Event]:
    """The person's own entries and their applications': additions, edits,
    moves, erasure requests; an import names its file."""
    applications = [a for a in candidate.applications if a.vacancy_id in vacancy_ids]
    by_id = {a.id: a for a in applications}
    entries = db.session.scalars(sa.select(AuditEntry).where(sa.or_(
        sa.and_(AuditEntry.object_type == Candidate.__tablename__, AuditEntry.object_id == candidate.id),
        sa.and_(AuditEntry.object_type == Application.__tablename__, AuditEntry.object_id.in_(list(by_id)))),
    ).order_by(AuditEntry.id)).unique()
    events = []
    for entry in entries:
        data = entry.data or {}
        if "vacancy_id" in data and data["vacancy_id"] not in vacancy_ids:
            continue
        detail = ""
        if entry.action == "application.move":
            application = by_id[entry.object_id]
            detail = f"{application.vacancy.title}: {_move_detail(data)}"
        elif entry.action == "candidate.anonymise":
            detail = data.get("reason") or ""
        events.append(Event(entry.at, _KINDS.get(entry.action, "edit"), label(entry.action, "audit_event"),
                            detail, actor_name(entry)))
    batches = {row.id: row for row in db.session.execute(
        sa.select(ImportBatch.id, ImportBatch.filename, User.full_name)
        .join(User, User.id == ImportBatch.created_by_id, isouter=True)
        .where(ImportBatch.id.in_([a.import_batch_id for a in applications if a.import_batch_id])))}
    for application in applications:
        if application.import_batch_id:
            batch = batches.get(application.import_batch_id)
            events.append(Event(application.created_at, "import",
                                _("Imported into %(vacancy)s", vacancy=application.vacancy.title),
                                _("from the file %(name)s", name=batch.filename) if batch else "",
                                batch.full_name if batch else None))
    for message in db.session.scalars(sa.select(OutboxMessage).where(
            OutboxMessage.related_type == Application.__tablename__, OutboxMessage.related_id.in_(list(by_id)))
            .order_by(OutboxMessage.id)):
        events.append(message_event(message))
    return events


def message_event(message: OutboxMessage) -> Event:
    """A message sent to the person, with where its delivery stands."""
    scheduled = message.status == "queued" and message.next_attempt_at is not None \
        and message.next_attempt_at > utcnow()
    state = "scheduled" if scheduled else message.status
    detail = label(state, "outbox_status")
    if scheduled:
        detail = _("to be sent %(when)s", when=at_minute(message.next_attempt_at, "short"))
    elif message.status == "failed" and message.last_error:
        detail = f"{detail}: {message.last_error[:200]}"
    return Event(message.sent_at or message.created_at, "message", _("Message: %(subject)s", subject=message.subject),
                 detail, None, state)
