"""Figures about interview days: show-up by channel and week, interviews per
interviewer-hour, idle minutes and waits; and the data of the show-rate chart."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable
from datetime import datetime, time, timedelta
from typing import Any, TypeVar

import sqlalchemy as sa
from flask_babel import gettext as _

from recruit.extensions import db
from recruit.i18n import label
from recruit.interviews import day_figures, versions
from recruit.interviews.formats import channel, percent, segment_label, week_label, week_tick
from recruit.interviews.hiring_report import Filters
from recruit.interviews.models import Booking, InterviewSession
from recruit.interviews.showrate import ShowRateModel
from recruit.organisation.services import get_settings, zone

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
    seat-minutes and the waits (recruit/interviews/day_figures.py)."""
    return day_figures.read()


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
