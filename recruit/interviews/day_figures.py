"""The interview days' figures on the reports page: interviews held on the
days that are over, per interviewer-hour, idle seat-minutes, and the waits
(mean and 95th percentile, in minutes). Read as numbers, not moments: a
wait per interview in microseconds and one row of sums, so the database
does the arithmetic on moments (converting three moments per interview was
most of the figures' time). The rows have the layout of the hiring report's
lists (kind, key, name, city, n1, n2, n3), so the report reads them in the
same statement as its paces and scorecard rates (hiring_report.py)."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable
from typing import Any

import sqlalchemy as sa

from recruit.extensions import db
from recruit.interviews.models import Booking, InterviewSession, SessionInterviewer, Slot
from recruit.utc import utcnow

HELD, SUMS = "w", "d"  # a row per interview held (its wait), the one row of sums
MINUTE_US, HOUR_US = 60_000_000, 3_600_000_000
_OVER = sa.and_(InterviewSession.cancelled_at.is_(None), InterviewSession.ends_at < sa.bindparam("now"))


def _pg_microseconds(later, earlier) -> sa.ColumnElement[int]:
    return sa.cast(sa.extract("epoch", later - earlier) * 1_000_000, sa.BigInteger)


def _sqlite_microseconds(later, earlier) -> sa.ColumnElement[int]:
    """SQLite keeps a moment as 'YYYY-MM-DD HH:MM:SS.ffffff': whole seconds
    from strftime, the microseconds from the text (julianday rounds them)."""
    def whole(moment):
        return sa.cast(sa.func.strftime("%s", moment), sa.BigInteger)

    def micro(moment):
        return sa.cast(sa.func.substr(moment, 21, 6), sa.BigInteger)

    return (whole(later) - whole(earlier)) * 1_000_000 + micro(later) - micro(earlier)


def _branches(microseconds: Callable, later: Callable) -> list[sa.Select]:
    """The sums first (interviewers' hours and idle seat-minutes, one row),
    then a row per interview held: its wait from the later of arriving and
    the slot's start to being sent in, or null when one of them is unknown."""
    none = sa.null()
    hours = (sa.select(sa.cast(sa.func.sum(microseconds(SessionInterviewer.ends_at, SessionInterviewer.starts_at)),
                               sa.BigInteger))
             .join(InterviewSession, SessionInterviewer.session_id == InterviewSession.id).where(_OVER)
             .scalar_subquery())
    seats = (sa.select(sa.func.coalesce(sa.func.sum(Slot.capacity), 0)).where(Slot.session_id == InterviewSession.id)
             .correlate(InterviewSession).scalar_subquery())
    came = (sa.select(sa.func.count(Booking.id))
            .where(Booking.session_id == InterviewSession.id, Booking.state == "arrived")
            .correlate(InterviewSession).scalar_subquery())
    days = sa.select(((seats - came) * InterviewSession.slot_minutes).label("idle")).where(_OVER).subquery("days")
    idle = sa.cast(sa.func.coalesce(sa.func.sum(sa.case((days.c.idle > 0, days.c.idle), else_=0)), 0), sa.BigInteger)
    sums = sa.select(sa.literal(SUMS, sa.String), none, none, none, hours, idle, none).select_from(days)
    known = sa.and_(Booking.seen_at.is_not(None), Booking.arrived_at.is_not(None), Slot.starts_at.is_not(None))
    wait = sa.case((known, microseconds(Booking.seen_at, later(Booking.arrived_at, Slot.starts_at))))
    held = (sa.select(sa.literal(HELD, sa.String), none, none, none, wait, none, none)
            .join(InterviewSession, Booking.session_id == InterviewSession.id)
            .outerjoin(Slot, Booking.slot_id == Slot.id).where(_OVER, Booking.state == "arrived"))
    return [sums, held]


# Built once per database kind (the arithmetic on moments is each one's own).
BRANCHES = {"postgresql": _branches(_pg_microseconds, sa.func.greatest),
            "sqlite": _branches(_sqlite_microseconds, sa.func.max)}
STATEMENT = {name: sa.union_all(*branches) for name, branches in BRANCHES.items()}




def figures(rows: Iterable[Any]) -> dict[str, Any]:
    """The figures from the rows of `branches` (other kinds of row are skipped)."""
    hours = idle_minutes = 0.0
    held = 0
    waits: list[float] = []
    for kind, _key, _name, _city, value, idle, _n3 in rows:
        if kind == SUMS:
            hours, idle_minutes = (value or 0) / HOUR_US, float(idle)
        elif kind == HELD:
            held += 1
            if value is not None:
                waits.append(max(value / MINUTE_US, 0.0))
    waits.sort()
    return {
        "interviews": held, "interviewer_hours": hours,
        "per_hour": held / hours if hours else None, "idle_minutes": idle_minutes,
        "mean_wait": statistics.fmean(waits) if waits else None,
        "p95_wait": waits[min(len(waits) - 1, int(0.95 * len(waits)))] if waits else None,
    }


def read() -> dict[str, Any]:
    """The figures in a statement of their own."""
    return figures(db.session.execute(STATEMENT[db.session.get_bind().dialect.name], {"now": utcnow()}))
