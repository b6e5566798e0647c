"""The interviews' part of a pipeline, registered with vacancies.pipeline_hooks:
each row's next interview (or the last one) with its state, and the filters
a recruiter works the day with ("confirmed for tomorrow", "no-show last week")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.dialects.postgresql import ARRAY

from recruit.extensions import db
from recruit.i18n import label
from recruit.interviews.models import LIVE_STATES, Booking, InterviewSession, Slot
from recruit.organisation.services import local_now
from recruit.utc import utcnow
from recruit.vacancies.pipeline_hooks import row_filter, row_notes

SHOWN_STATES = ("waitlisted", "invited", "confirmed", "declined", "arrived", "no_show")


@dataclass(frozen=True)
class InterviewNote:
    """What pipeline_hooks' rows show: a word, a moment, and a badge (its words
    and class), the words put in once per page rather than looked up per row."""

    starts_at: datetime
    state: str
    upcoming: bool
    prefix: str
    badge: str

    @property
    def at(self) -> datetime:
        return self.starts_at

    @property
    def css(self) -> str:
        return f"booking-{self.state}"


# Built once, the page's ids as a parameter (a statement built per call pays its
# cache key again); on PostgreSQL one array rather than an IN list of fifty.
def _note_rows(ids_match: sa.ColumnElement[bool]) -> sa.Select:
    start = sa.func.coalesce(Slot.starts_at, InterviewSession.starts_at)
    return (sa.select(Booking.application_id, Booking.state, start, InterviewSession.ends_at)
            .join(InterviewSession, InterviewSession.id == Booking.session_id)
            .outerjoin(Slot, Slot.id == Booking.slot_id)
            .where(ids_match, Booking.state.in_(SHOWN_STATES)))


NOTE_ROWS = {"postgresql": _note_rows(Booking.application_id == sa.any_(sa.bindparam("ids", type_=ARRAY(sa.Integer)))),
             "sqlite": _note_rows(Booking.application_id.in_(sa.bindparam("ids", expanding=True)))}


@row_notes
def next_or_last_interview(application_ids: list[int]) -> dict[int, InterviewNote]:
    """The next interview still to come, else the most recent one."""
    now = utcnow()
    rows = db.session.execute(NOTE_ROWS[db.session.get_bind().dialect.name], {"ids": list(application_ids)}).all()
    found: dict[int, tuple[datetime, str, bool]] = {}
    for app_id, state, starts_at, ends_at in rows:
        upcoming = ends_at > now and state in LIVE_STATES
        held = found.get(app_id)
        if held is None or (upcoming and (not held[2] or starts_at < held[0])) or \
                (not upcoming and not held[2] and starts_at > held[0]):
            found[app_id] = (starts_at, state, upcoming)
    prefixes = {True: _("Next:"), False: _("Last:")}
    badges: dict[str, str] = {}
    return {app_id: InterviewNote(starts_at, state, upcoming, prefixes[upcoming],
                                  badges.get(state) or badges.setdefault(state, label(state, "booking_state")))
            for app_id, (starts_at, state, upcoming) in found.items()}


def _today() -> date:
    return local_now().date()


def _on_days(states: tuple[str, ...], first: date, last: date) -> sa.Select:
    return (sa.select(Booking.application_id).join(InterviewSession, InterviewSession.id == Booking.session_id)
            .where(Booking.state.in_(states), InterviewSession.day >= first, InterviewSession.day <= last,
                   InterviewSession.cancelled_at.is_(None)))


@row_filter("confirmed_tomorrow", _l("Confirmed for tomorrow"))
def _confirmed_tomorrow() -> sa.Select:
    tomorrow = _today() + timedelta(days=1)
    return _on_days(("confirmed",), tomorrow, tomorrow)


@row_filter("not_confirmed_tomorrow", _l("Booked for tomorrow, not confirmed"))
def _unconfirmed_tomorrow() -> sa.Select:
    tomorrow = _today() + timedelta(days=1)
    return _on_days(("invited",), tomorrow, tomorrow)


@row_filter("booked_ahead", _l("Booked for a day ahead"))
def _booked_ahead() -> sa.Select:
    today = _today()
    return _on_days(("invited", "confirmed"), today, today + timedelta(days=366))


@row_filter("waitlisted", _l("On a waiting list"))
def _waitlisted() -> sa.Select:
    today = _today()
    return _on_days(("waitlisted",), today, today + timedelta(days=366))


@row_filter("came_last_week", _l("Came in the last 7 days"))
def _came_last_week() -> sa.Select:
    today = _today()
    return _on_days(("arrived",), today - timedelta(days=7), today)


@row_filter("no_show_last_week", _l("No-show in the last 7 days"))
def _no_show_last_week() -> sa.Select:
    today = _today()
    return _on_days(("no_show",), today - timedelta(days=7), today)
