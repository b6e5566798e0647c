"""Figures about interview days: show-up by channel and week, interviews per
interviewer-hour, idle minutes and waits; and the data of the show-rate chart."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Hashable
from datetime import datetime, time, timedelta
from typing import Any, TypeVar

import sqlalchemy as sa
from flask_babel import gettext as _

from recruit.extensions import db
from recruit.i18n import label
from recruit.interviews import versions
from recruit.interviews.formats import channel, percent, segment_label, week_label, week_tick
from recruit.interviews.hiring_report import Filters
from recruit.interviews.models import Booking, InterviewSession, SessionInterviewer, Slot
from recruit.interviews.showrate import ShowRateModel
from recruit.organisation.services import get_settings, zone
from recruit.utc import utcnow

T = TypeVar("T")
PALETTE = ("#2f6fed", "#e0603a", "#1f8a5b", "#8a4bd6", "#c9a227", "#3aa6c9", "#c93a7c", "#6b7385")


Tally = dict[tuple[str, str], tuple[int, int]]  # (ISO week in the organisation's zone, source): (arrived, outcomes)

OUTCOME_ROWS = (sa.select(Booking.outcome_at, Booking.state, Booking.source)
                .where(Booking.state.in_(("arrived", "no_show")), Booking.outcome_at.is_not(None))
                .order_by(Booking.outcome_at))


def _count_outcomes() -> Tally:
    """Every arrival and no-show counted by week in the organisation's zone
    and source. The rows come in time order, so the week is worked out once
    for each week (until the instant its Monday ends it), not once per row."""
    tz = zone()
    cells: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    week, week_ends = "", None
    for when, state, source in db.session.execute(OUTCOME_ROWS):
        if week_ends is None or when >= week_ends:
            local = when.astimezone(tz)
            year, number, weekday = local.isocalendar()
            week = f"{year}-W{number:02d}"
            week_ends = datetime.combine(local.date() + timedelta(days=8 - weekday), time(), tzinfo=tz)
        cell = cells[week, source or ""]
        cell[0] += state == "arrived"
        cell[1] += 1
    return {key: (arrived, n) for key, (arrived, n) in cells.items()}


# Every outcome ever recorded is read for the counts: a process keeps them while
# the outcomes' stamp (raised in the same transaction as any change of an
# outcome, by any process: recruit/interviews/versions.py) and the zone stay put.
_TALLY = versions.StampedCache(versions.SHOW_RATE_MODEL, _count_outcomes)


def outcome_tally() -> Tally:
    return _TALLY.get(db.session, str(db.engine.url), get_settings().timezone)


def weekly_by_source(tally: Tally) -> tuple[list[str], dict[str, list[tuple[float | None, int]]]]:
    weeks = sorted({week for week, _source in tally})
    counts: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
    for (week, source), cell in tally.items():
        counts[channel(source)][week] = cell
    series = {name: [((c[0] / c[1]) if (c := by_week.get(w)) and c[1] else None, c[1] if c else 0)
                     for w in weeks] for name, by_week in counts.items()}
    return weeks, series


def chart(weeks: list[str], series: dict[str, list[tuple[float | None, int]]], *, width: int = 960,
          height: int = 260, pad: int = 36) -> dict[str, Any]:
    """Polylines of rates (0..1) over weeks, for an inline SVG."""
    if not weeks:
        return {"lines": [], "width": width, "height": height, "ticks": [], "grid": []}
    step = (width - 2 * pad) / max(len(weeks) - 1, 1)
    lines = []
    for n, (name, values) in enumerate(sorted(series.items())):
        points = [(pad + i * step, height - pad - v * (height - 2 * pad)) for i, (v, count) in enumerate(values)
                  if v is not None and count]
        lines.append({"name": name, "color": PALETTE[n % len(PALETTE)],
                      "points": " ".join(f"{x:.1f},{y:.1f}" for x, y in points),
                      "dots": points, "outcomes": sum(count for _v, count in values)})
    ticks = [(pad + i * step, week_tick(w)) for i, w in enumerate(weeks)][:: max(1, len(weeks) // 12)]
    grid = [(height - pad - f * (height - 2 * pad), percent(f, 0)) for f in (0, 0.25, 0.5, 0.75, 1)]
    return {"lines": lines, "width": width, "height": height, "ticks": ticks, "grid": grid, "pad": pad}


def show_rate_page(model: ShowRateModel) -> dict[str, Any]:
    weeks, series = weekly_by_source(outcome_tally())
    segments = sorted(model.segments.items(), key=lambda item: -item[1].outcomes)
    return {"overall": model.overall, "segments": [(segment_label(s), r) for s, r in segments],
            "chart": chart(weeks, series), "weeks": weeks}


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


def _days_figures(microseconds, later) -> sa.CompoundSelect:
    """The days that are over, in one statement whatever their number: a row
    per interview held (its wait from the later of arriving and the slot's
    start to being sent in, in microseconds, or null), and one row of the
    interviewers' hours (microseconds) and the idle seat-minutes. Numbers,
    not moments: reading and converting three moments per interview was most
    of the figures' time."""
    known = sa.and_(Booking.seen_at.is_not(None), Booking.arrived_at.is_not(None), Slot.starts_at.is_not(None))
    wait = sa.case((known, microseconds(Booking.seen_at, later(Booking.arrived_at, Slot.starts_at))))
    held = (sa.select(sa.literal(1, sa.Integer), wait, sa.null())
            .join(InterviewSession, Booking.session_id == InterviewSession.id)
            .outerjoin(Slot, Booking.slot_id == Slot.id).where(_OVER, Booking.state == "arrived"))
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
    return sa.union_all(sa.select(sa.literal(0, sa.Integer), hours, idle).select_from(days), held)


# Built once per database kind (the arithmetic on moments is each one's own).
DAYS_FIGURES = {"postgresql": _days_figures(_pg_microseconds, sa.func.greatest),
                "sqlite": _days_figures(_sqlite_microseconds, sa.func.max)}
MINUTE_US, HOUR_US = 60_000_000, 3_600_000_000


def outcome_figures(tally: Tally) -> dict[str, Any]:
    """Show-up by channel and by week (rows, the week's chart) from the counts."""
    by_source: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_week: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (week, source), (arrived, n) in tally.items():
        by_source[channel(source)][0] += arrived
        by_source[channel(source)][1] += n
        by_week[week][0] += arrived
        by_week[week][1] += n
    weeks = sorted(by_week)
    return {
        "by_source": sorted(((s, a, n, a / n) for s, (a, n) in by_source.items()), key=lambda r: -r[2]),
        "by_week": [(week_label(w), *by_week[w], by_week[w][0] / by_week[w][1]) for w in weeks],
        "week_chart": chart(weeks, {"all": [(by_week[w][0] / by_week[w][1], by_week[w][1]) for w in weeks]},
                            width=480, height=200),
        "outcomes": sum(by_week[w][1] for w in weeks),
    }


def days_figures() -> dict[str, Any]:
    """Interviews held on the days that are over, per interviewer-hour, idle
    seat-minutes and the waits (mean and 95th percentile, in minutes)."""
    hours = idle_minutes = 0.0
    held = 0
    waits: list[float] = []
    for is_held, value, idle in db.session.execute(DAYS_FIGURES[db.session.get_bind().dialect.name],
                                                   {"now": utcnow()}):
        if not is_held:
            hours, idle_minutes = (value or 0) / HOUR_US, float(idle)
            continue
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


def summary() -> dict[str, Any]:
    return {**outcome_figures(outcome_tally()), **days_figures()}


_SHOWN: list = [None, {}]  # [the tally it was written from, {key: what was written}]


def kept_with_outcomes(key: Hashable, write: Callable[[dict[str, Any]], T]) -> T:
    """What is written from the outcome counts alone (the show-up tables in a
    reader's language), kept while the counts stay the ones this process
    keeps (`outcome_tally`: the outcomes' stamp and the zone); a new tally
    drops what the old one wrote."""
    tally = outcome_tally()
    kept_tally, written = _SHOWN
    if kept_tally is not tally:
        written = {}
        _SHOWN[:] = [tally, written]
    if key not in written:
        written[key] = write(outcome_figures(tally))
    return written[key]


def booking_header() -> list[str]:
    """The export's column names, in the reader's language."""
    return [_("Session"), _("Day"), _("Format"), _("Slot"), _("Candidate"), _("Source"), _("State"),
            _("Predicted show-up"), _("Confirmed"), _("Arrived at"), _("Sent in at"), _("Interviewer"),
            _("Wait, minutes")]


def booking_rows(filters: Filters | None = None):
    """Every booking, or those of the report's filters: the day in the period,
    the day's vacancy, the interviewer who saw them, the booking's channel."""
    stmt = (sa.select(Booking).join(InterviewSession, Booking.session_id == InterviewSession.id)
            .order_by(InterviewSession.starts_at, Booking.id))
    if filters is not None:
        if filters.start is not None:
            stmt = stmt.where(InterviewSession.day >= filters.start)
        if filters.end is not None:
            stmt = stmt.where(InterviewSession.day <= filters.end)
        if filters.vacancy_id is not None:
            stmt = stmt.where(InterviewSession.vacancy_id == filters.vacancy_id)
        if filters.interviewer_id is not None:
            stmt = stmt.where(Booking.interviewer_id == filters.interviewer_id)
        if filters.channel is not None:
            stmt = stmt.where(Booking.source == filters.channel)
    for booking in db.session.scalars(stmt).unique():
        wait = ""
        if booking.seen_at and booking.arrived_at and booking.slot:
            wait = round(max((booking.seen_at - max(booking.arrived_at, booking.slot.starts_at))
                             / timedelta(minutes=1), 0.0), 1)
        yield [booking.session.title, booking.session.day.isoformat(),
               label(booking.session.kind, "interview_session_kind"),
               booking.slot.starts_at.astimezone(zone()).strftime("%H:%M") if booking.slot else "",
               booking.candidate.full_name, booking.source, label(booking.state, "booking_state"),
               round(booking.predicted_show, 3), _("yes") if booking.ever_confirmed else _("no"),
               booking.arrived_at.isoformat() if booking.arrived_at else "",
               booking.seen_at.isoformat() if booking.seen_at else "",
               booking.interviewer.full_name if booking.interviewer else "", wait]
