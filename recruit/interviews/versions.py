"""Versions the database keeps so that every process sees a change at once.

- A day's `desk_version`: every flush that changes one of the day's bookings
  (or its slots, its interviewers, a booked candidate's name or phone)
  raises the day's counter by one, in the same transaction, and stamps the
  changed bookings with the new value (right after the flush writes them).
  The UPDATE holds the day's row until the commit, so versions are committed
  in order: a screen that has seen version n and asks for the rows past n
  misses nothing, whichever gunicorn process made the change.
- The show-rate model's stamp (`interview_stamps`): a new random value with
  every change of a recorded outcome (an arrival, a no-show, or its undoing);
  each process keeps the model it fitted with the stamp it read, and fits
  again when the stamp moved. Random, not a counter: a value written in a
  transaction that was rolled back is never met again.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from recruit.auth import sessions
from recruit.interviews.models import Booking, InterviewSession, InterviewStamp, SessionInterviewer, Slot
from recruit.vacancies.models import Candidate

OUTCOMES = ("arrived", "no_show")
OUTCOME_FIELDS = ("state", "outcome_at", "source", "lead_days", "ever_confirmed", "session_id")
SHOWN_CANDIDATE_FIELDS = ("full_name", "phone", "phone_norm")
SHOW_RATE_MODEL = "show_rate_model"


def _changed(obj, fields) -> bool:
    state = sa.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in fields)


def _values(obj, name: str) -> set:
    """The attribute's values before and after the flush (read if it was not loaded)."""
    history = sa.inspect(obj).attrs[name].history
    values = {v for v in (*history.added, *history.deleted, *history.unchanged) if v is not None}
    return values or {v for v in (getattr(obj, name),) if v is not None}


def _outcome_moved(booking: Booking, new: bool, deleted: bool) -> bool:
    if new or deleted:
        return booking.state in OUTCOMES
    if not _changed(booking, OUTCOME_FIELDS):
        return False
    return bool(_values(booking, "state") & set(OUTCOMES))


_DAYS, _BOOKINGS = InterviewSession.__table__, Booking.__table__
# Built once with parameters: a tap at the desk runs them, and a statement built per tap paid its cache key again.
RAISED = (sa.update(_DAYS).where(_DAYS.c.id == sa.bindparam("raised_day"))
          .values(desk_version=_DAYS.c.desk_version + 1).returning(_DAYS.c.desk_version))
_RAISED_DAY = RAISED.cte("day")
RAISED_WITH_BOOKINGS = sa.select(_RAISED_DAY.c.desk_version).add_cte(
    sa.update(_BOOKINGS).where(_BOOKINGS.c.id.in_(sa.bindparam("ids", expanding=True)))
    .values(desk_version=sa.select(_RAISED_DAY.c.desk_version).scalar_subquery())
    .returning(_BOOKINGS.c.id).cte("marked"))
MARKED = (sa.update(_BOOKINGS).where(_BOOKINGS.c.id.in_(sa.bindparam("ids", expanding=True)))
          .values(desk_version=sa.bindparam("new_version")))


def raise_day(connection, session_id: int, booking_ids: set[int]) -> int:
    """The day's next version, given to these bookings too (the day's row
    stays locked until the commit). On PostgreSQL one statement, the day's
    UPDATE and the bookings' as common table expressions: a tap at the desk
    is a handful of statements, and this was two of them."""
    if not booking_ids:
        return connection.execute(RAISED, {"raised_day": session_id}).scalar() or 0
    ids = sorted(booking_ids)
    if connection.dialect.name == "postgresql":
        return connection.execute(RAISED_WITH_BOOKINGS, {"raised_day": session_id, "ids": ids}).scalar() or 0
    version = connection.execute(RAISED, {"raised_day": session_id}).scalar() or 0
    connection.execute(MARKED, {"ids": ids, "new_version": version})
    return version


def _new_stamp_statement(insert):
    stmt = insert(InterviewStamp.__table__).values(name=sa.bindparam("stamp_name"), value=sa.bindparam("stamp_value"))
    return stmt.on_conflict_do_update(index_elements=["name"], set_={"value": stmt.excluded.value})


_NEW_STAMP = {"postgresql": _new_stamp_statement(postgresql.insert), "sqlite": _new_stamp_statement(sqlite.insert)}


def new_stamp(connection, name: str) -> None:
    """A new value for the stamp (the row is made if it is missing: an emptied table)."""
    connection.execute(_NEW_STAMP[connection.dialect.name], {"stamp_name": name, "stamp_value": secrets.randbits(62)})


STAMP = sa.select(InterviewStamp.value).where(InterviewStamp.name == sa.bindparam("name"))
_READ = "interview_stamps_read"  # session.info: the stamps read in this transaction


def stamp(session, name: str) -> int:
    """The stamp's value in this transaction: read with the signed-in user
    when there is one (`_keep_model_stamp`), else now."""
    read = session.info.get(_READ)
    if read is not None and name in read:
        return read[name]
    return session.scalar(STAMP, {"name": name}) or 0


def _keep_model_stamp(session: Session, value: int | None) -> None:
    session.info.setdefault(_READ, {})[SHOW_RATE_MODEL] = value or 0


# The planner's and the reports' pages ask for the model's stamp on every
# request: it comes with the signed-in user instead of in a statement of its own.
sessions.read_with_user(sa.select(InterviewStamp.value).where(InterviewStamp.name == SHOW_RATE_MODEL)
                        .scalar_subquery(), _keep_model_stamp)


@event.listens_for(Session, "after_transaction_end")
def _forget_stamps(session: Session, _transaction) -> None:
    """A stamp read in one transaction says nothing about the next, nor about
    what a savepoint rolled back; a flush ends a transaction of its own too,
    so a stamp this request changed is read again."""
    session.info.pop(_READ, None)


@event.listens_for(Session, "before_flush")
def _note_changes(session: Session, _context, _instances) -> None:
    """What this flush changes, read before it is written (the values it replaces)."""
    session.info.pop("interview_versions", None)  # a flush that failed leaves nothing to a later one
    days: dict[int, list[Booking]] = {}
    candidates: set[int] = set()
    outcomes = False
    for obj in (*session.new, *session.dirty, *session.deleted):
        new, deleted = obj in session.new, obj in session.deleted
        if isinstance(obj, Booking):
            if not (new or deleted or session.is_modified(obj, include_collections=False)):
                continue
            for day in _values(obj, "session_id") if not new else {obj.session_id}:
                if day is not None:
                    days.setdefault(day, []).append(obj)
            outcomes = outcomes or _outcome_moved(obj, new, deleted)
        elif isinstance(obj, (Slot, SessionInterviewer)):
            if obj.session_id is not None and (new or deleted or session.is_modified(obj)):
                days.setdefault(obj.session_id, [])
        elif isinstance(obj, Candidate) and not new and not deleted and _changed(obj, SHOWN_CANDIDATE_FIELDS):
            candidates.add(obj.id)
    if days or candidates or outcomes:
        session.info["interview_versions"] = (days, candidates, outcomes)


@event.listens_for(Session, "after_flush")
def _version_changes(session: Session, _context) -> None:
    """After the rows are written (a booking's row is always taken before its
    day's, whoever writes: no two transactions wait for each other in a
    circle), each changed day gets its next version and its changed bookings
    that version; the model's stamp a new value if an outcome moved."""
    noted = session.info.pop("interview_versions", None)
    if noted is None:
        return
    days, candidates, outcomes = noted
    connection = session.connection()
    bookings = Booking.__table__
    shown_by_day: dict[int, set[int]] = {}
    if candidates:
        for booking_id, day in connection.execute(sa.select(bookings.c.id, bookings.c.session_id)
                                                  .where(bookings.c.candidate_id.in_(candidates))):
            shown_by_day.setdefault(day, set()).add(booking_id)
    for day in sorted(set(days) | set(shown_by_day)):
        changed = [b for b in days.get(day, []) if b not in session.deleted and b.id is not None
                   and b.session_id == day]
        version = raise_day(connection, day, {b.id for b in changed} | shown_by_day.get(day, set()))
        for booking in changed:
            set_committed_value(booking, "desk_version", version)
    if outcomes:
        new_stamp(connection, SHOW_RATE_MODEL)


class StampedCache:
    """What a process keeps while the database's stamp stays put (one value)."""

    def __init__(self, name: str, build: Callable[[], Any]):
        self.name, self.build = name, build
        self._kept: tuple[tuple, Any] | None = None

    def get(self, session, *key) -> Any:
        current = (stamp(session, self.name), *key)
        kept = self._kept
        if kept is not None and kept[0] == current:
            return kept[1]
        value = self.build()
        self._kept = (current, value)
        return value

    def clear(self) -> None:
        self._kept = None
