"""What the candidate page gathers from the features that know the person:
sections (the interviews with their scorecards) and the timeline's events
(the import, messages, bookings, check-in, scorecards, moves, erasure).

Vacancies never import the features above them: a feature registers a
section or an event source here, as the erasure hooks do."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, load_only

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


@dataclass
class Viewing:
    """One reader's view of one candidate. What a feature reads for its
    section is kept here for its part of the history, so the page reads it once."""
    user: Any
    candidate: Candidate
    vacancy_ids: set[int]
    kept: dict[str, Any] = field(default_factory=dict)


@dataclass
class TimelinePart:
    """A feature's share of the timeline: the objects it is about (their
    audit entries and messages are read once for every part) and how it
    turns those, with anything else it knows, into events."""
    objects: dict[str, Collection[int]]
    events: Callable[[list[AuditEntry], list[OutboxMessage]], list[Event]]


# the person with their applications (and each one's vacancy), in one statement
PERSON = (joinedload(Candidate.applications),)

EventSource = Callable[[Viewing], TimelinePart | None]
SectionSource = Callable[[Viewing], Section | None]
_SOURCES: list[EventSource] = []
_SECTIONS: list[SectionSource] = []


def event_source(fn: EventSource) -> EventSource:
    _SOURCES.append(fn)
    return fn


def candidate_section(fn: SectionSource) -> SectionSource:
    _SECTIONS.append(fn)
    return fn


def sections(viewing: Viewing) -> list[Section]:
    return [s for fn in _SECTIONS if (s := fn(viewing)) is not None]


def timeline(viewing: Viewing) -> list[Event]:
    """Everything that happened to the person in the vacancies the viewer may
    see, newest first."""
    parts = [part for source in _SOURCES if (part := source(viewing)) is not None]
    wanted = {kind: list(ids) for part in parts for kind, ids in part.objects.items() if ids}
    entries, messages = _entries_and_messages(wanted)
    events: list[Event] = []
    for part in parts:
        mine = {(kind, i) for kind, ids in part.objects.items() for i in ids}
        events.extend(part.events([e for e in entries if (e.object_type, e.object_id) in mine],
                                  [m for m in messages if (m.related_type, m.related_id) in mine]))
    return sorted(events, key=lambda e: e.at, reverse=True)


def _about(type_column, id_column, kinds: tuple[str, ...]) -> sa.ColumnElement[bool]:
    return sa.or_(*(sa.and_(type_column == kind, id_column.in_(sa.bindparam(kind, expanding=True)))
                    for kind in kinds))


# what a message's row in the history shows: never its body or attachments
_MESSAGE_COLUMNS = load_only(OutboxMessage.subject, OutboxMessage.status, OutboxMessage.last_error,
                             OutboxMessage.created_at, OutboxMessage.next_attempt_at, OutboxMessage.sent_at,
                             OutboxMessage.related_type, OutboxMessage.related_id)


@cache
def _reads(kinds: tuple[str, ...]) -> tuple[sa.Select, sa.Select]:
    """The audit entries and the messages about objects of these kinds,
    built once per set of kinds (there are a handful)."""
    return (sa.select(AuditEntry).where(_about(AuditEntry.object_type, AuditEntry.object_id, kinds))
            .options(joinedload(AuditEntry.actor).load_only(User.full_name)).order_by(AuditEntry.id),
            sa.select(OutboxMessage).where(_about(OutboxMessage.related_type, OutboxMessage.related_id, kinds))
            .options(_MESSAGE_COLUMNS).order_by(OutboxMessage.id))


def _entries_and_messages(wanted: dict[str, list[int]]) -> tuple[list[AuditEntry], list[OutboxMessage]]:
    if not wanted:
        return [], []
    entries, messages = _reads(tuple(sorted(wanted)))
    return (list(db.session.scalars(entries, wanted).unique()), list(db.session.scalars(messages, wanted)))


def actor_name(entry: AuditEntry) -> str | None:
    return entry.actor.full_name if entry.actor else None


_KINDS = {"candidate.anonymise": "privacy", "candidate.retention_skipped": "privacy",
          "candidate.resume_upload": "edit", "candidate.resume_download": "edit", "candidate.update": "edit",
          "candidate.language": "edit", "candidate.add": "import", "application.move": "move"}


def _move_detail(data: dict) -> str:
    text = f"{label(data.get('from'), 'application_stage')} → {label(data.get('to'), 'stage_move')}"
    return f"{text}: {data['reason']}" if data.get("reason") else text


@event_source
def _own_events(viewing: Viewing) -> TimelinePart:
    """The person's own entries and their applications': additions, edits,
    moves, erasure requests, messages; an import names its file."""
    candidate, vacancy_ids = viewing.candidate, viewing.vacancy_ids
    applications = [a for a in candidate.applications if a.vacancy_id in vacancy_ids]
    by_id = {a.id: a for a in applications}

    def events(entries: list[AuditEntry], messages: list[OutboxMessage]) -> list[Event]:
        found = []
        for entry in entries:
            data = entry.data or {}
            if "vacancy_id" in data and data["vacancy_id"] not in vacancy_ids:
                continue
            detail = ""
            if entry.action == "application.move":
                detail = f"{by_id[entry.object_id].vacancy.title}: {_move_detail(data)}"
            elif entry.action == "candidate.anonymise":
                detail = data.get("reason") or ""
            found.append(Event(entry.at, _KINDS.get(entry.action, "edit"), label(entry.action, "audit_event"),
                               detail, actor_name(entry)))
        found.extend(_imports(applications))
        found.extend(message_event(m) for m in messages)
        return found

    return TimelinePart({Candidate.__tablename__: [candidate.id], Application.__tablename__: list(by_id)}, events)


def _imports(applications: list[Application]) -> list[Event]:
    imported = [a for a in applications if a.import_batch_id]
    if not imported:
        return []
    batches = {row.id: row for row in db.session.execute(
        sa.select(ImportBatch.id, ImportBatch.filename, User.full_name)
        .join(User, User.id == ImportBatch.created_by_id, isouter=True)
        .where(ImportBatch.id.in_({a.import_batch_id for a in imported})))}
    events = []
    for application in imported:
        batch = batches.get(application.import_batch_id)
        events.append(Event(application.created_at, "import",
                            _("Imported into %(vacancy)s", vacancy=application.vacancy.title),
                            _("from the file %(name)s", name=batch.filename) if batch else "",
                            batch.full_name if batch else None))
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
